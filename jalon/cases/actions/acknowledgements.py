"""Recording the consistency warnings an agent acknowledged (see ``jalon.cases.checks``)."""

from __future__ import annotations

from django.utils import timezone

from jalon.access.models import Agent
from jalon.cases.checks import Finding
from jalon.cases.models import Acknowledgement, Charge, Judgment, Orientation, Procedure
from jalon.history.actions import record

ACKNOWLEDGED = "procedure.warning_acknowledged"


def record_acknowledgements(
    *,
    agent: Agent,
    procedure: Procedure,
    warnings: list[Finding],
    charge: Charge | None = None,
    orientation: Orientation | None = None,
    judgment: Judgment | None = None,
) -> list[Acknowledgement]:
    """One ``Acknowledgement`` row and one history event per acknowledged warning.

    Call it inside the action's transaction, after the object the warning is about is saved.
    """
    now = timezone.now()
    rows = Acknowledgement.objects.bulk_create(
        Acknowledgement(
            procedure=procedure,
            charge=charge,
            orientation=orientation,
            judgment=judgment,
            code=warning.code,
            message=warning.message,
            agent=agent,
            at=now,
        )
        for warning in warnings
    )
    for row in rows:
        record(
            ACKNOWLEDGED,
            actor=agent,
            target=procedure,
            details={
                "code": row.code,
                "message": row.message,
                "charge": charge.pk if charge else None,
                "orientation": orientation.pk if orientation else None,
                "judgment": judgment.pk if judgment else None,
            },
        )
    return rows
