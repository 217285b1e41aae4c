"""State changes of the national referentials, each recorded in history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction

from jalon.access.models import Agent
from jalon.history.actions import record


@transaction.atomic
def save_entry(*, agent: Agent, slug: str, form: forms.ModelForm) -> models.Model:
    """Create or update one entry from a valid form; history names the changed fields."""
    creating = form.instance.pk is None
    changed = list(form.changed_data)
    entry: models.Model = form.save()
    if creating or changed:
        record(
            "referential.created" if creating else "referential.updated",
            actor=agent,
            target=entry,
            details={"referential": slug, "fields": changed},
        )
    return entry


@transaction.atomic
def set_active(*, agent: Agent, slug: str, entry: Any, active: bool) -> bool:
    """Deactivate or reactivate an entry; ``False`` when it already was (a second click)."""
    locked = type(entry)._default_manager.select_for_update().get(pk=entry.pk)
    if locked.is_active == active:
        return False
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    entry.is_active = active
    record(
        "referential.reactivated" if active else "referential.deactivated",
        actor=agent,
        target=locked,
        details={"referential": slug},
    )
    return True
