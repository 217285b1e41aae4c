"""The national back office (/administration/): who reaches it and edits the referentials.

National administrators only, whatever their service. The operators' technical console
(/admin/) is decided by ``Agent.is_staff`` / ``is_superuser`` (``access.models``), not here.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from jalon.access.models import Agent
from jalon.access.rules import is_national_admin

M = TypeVar("M", bound=models.Model)


def can_use_back_office(agent: Agent) -> bool:
    """National administrators reach the national back office's home page."""
    return is_national_admin(agent)


def can_edit_referentials(agent: Agent) -> bool:
    """National administrators create, edit and deactivate the national referentials (penal
    policies, convocation types, jurisdictions and services)."""
    return is_national_admin(agent)


def referential_entries_visible_to(
    agent: Agent, queryset: models.QuerySet[M]
) -> models.QuerySet[M]:
    """The entries of a referential an agent may open: all for national admins, else none."""
    return queryset if can_edit_referentials(agent) else queryset.none()
