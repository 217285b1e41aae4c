"""The end of a measure: its SAP or SPIP records the day and why it ended.

A measure runs from the decision that created it until its service says it has ended: the
sentence was executed to its term, it was revoked, another decision replaced it, or another
reason the agent writes down. An ended measure leaves the "in execution" lists and stays on
the person's record with its end. The day is the service's local day, never in the future
and never before the judgment.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent
from jalon.cases.models import Measure
from jalon.core.dates import french_numeric_date
from jalon.history.actions import record

MEASURE_ENDED = "procedure.measure_ended"


def end_measure(
    *,
    agent: Agent,
    measure: Measure,
    ended_on: date,
    reason: str,
    comment: str = "",
    today: date | None = None,
) -> Measure:
    """Record the end of ``measure``; the same end sent twice is recorded once. ``today`` is
    the measure's service's local day unless given."""
    today = today or timezone.localdate(timezone.now(), ZoneInfo(measure.service.time_zone))
    comment = comment.strip()
    errors: dict[str, str] = {}
    if reason not in Measure.End.values:
        errors["reason"] = "Choisissez le motif de fin de la mesure."
    elif reason == Measure.End.OTHER and not comment:
        errors["comment"] = "Précisez le motif de fin de la mesure."
    if ended_on > today:
        errors["ended_on"] = "La date de fin ne peut pas être dans le futur."
    judgment = measure.execution.judgment
    if judgment.delivered_on is not None and ended_on < judgment.delivered_on:
        errors["ended_on"] = (
            "La mesure ne peut pas se terminer avant le jugement du "
            f"{french_numeric_date(judgment.delivered_on)}."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if locked.ended_on is not None:
            if (locked.ended_on, locked.end_reason) == (ended_on, reason):
                return locked  # the same form sent twice
            raise ValidationError(
                {
                    "__all__": "Cette mesure est déjà terminée depuis le "
                    f"{french_numeric_date(locked.ended_on)}."
                }
            )
        locked.ended_on = ended_on
        locked.end_reason = reason
        locked.end_comment = comment
        locked.ended_by = agent
        locked.save(update_fields=["ended_on", "end_reason", "end_comment", "ended_by"])
        record(
            MEASURE_ENDED,
            actor=agent,
            target=judgment.procedure,
            details={
                "measure": locked.pk,
                "label": f"{measure.sentence.get_kind_display()} — {measure.service}",
                "service": locked.service_id,
                "person": locked.person_id,
                "ended_on": ended_on.isoformat(),
                "reason": reason,
            },
        )
    return locked
