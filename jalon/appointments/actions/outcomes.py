"""One outcome for several convocations at once (the "statut inconnu" queue, issue 18).

Each convocation goes through ``record_outcome``, the action of the single buttons: the
same permission check and the same history events, one convocation at a time, each in
its own transaction, so a refused one is reported and the others are still recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from jalon.access.models import Agent
from jalon.access.rules import appointments as rules
from jalon.appointments.actions.lifecycle import record_outcome
from jalon.appointments.models import Appointment


@dataclass
class BulkOutcome:
    """What happened to each chosen convocation."""

    recorded: list[Appointment] = field(default_factory=list)
    already: list[Appointment] = field(default_factory=list)  # had this outcome already
    refused: list[tuple[Appointment, str]] = field(default_factory=list)
    missing: int = 0  # not found, or out of the agent's reach


REFUSED = "vous ne pouvez pas renseigner le statut de cette convocation."


def record_outcomes(*, agent: Agent, appointment_ids: Iterable[int], status: str) -> BulkOutcome:
    """Record ``status`` for every convocation of ``appointment_ids`` the agent may mark.

    Idempotent: a convocation that already has ``status`` (a double click, a colleague
    faster) is counted as such and not recorded again.
    """
    wanted = list(dict.fromkeys(appointment_ids))
    found = {
        appointment.pk: appointment
        for appointment in rules.appointments_visible_to(agent)
        .filter(pk__in=wanted)
        .select_related("appointment_type", "service", "person")
    }
    result = BulkOutcome(missing=len([pk for pk in wanted if pk not in found]))
    for appointment in sorted(found.values(), key=lambda a: (a.starts_at, a.pk)):
        if appointment.status == status:
            result.already.append(appointment)
            continue
        try:
            result.recorded.append(
                record_outcome(agent=agent, appointment=appointment, status=status)
            )
        except PermissionDenied:
            result.refused.append((appointment, REFUSED))
        except ValidationError as error:
            appointment.refresh_from_db(fields=["status"])
            if appointment.status == status:  # recorded meanwhile by another request
                result.already.append(appointment)
            else:
                result.refused.append((appointment, " ".join(error.messages)))
    return result
