"""Meetings of the instances de concertation (SIS-07): actions and the printable agenda."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jalon.access.models import Agent
from jalon.access.rules import situations as rules
from jalon.core.dates import french_date
from jalon.core.pdf import write_pdf
from jalon.history.actions import record
from jalon.situations.models import ListEntry, Meeting, MeetingItem, Situation


@transaction.atomic
def plan_meeting(*, agent: Agent, instance: ListEntry, held_on: date) -> Meeting:
    home = rules.home_jurisdiction(agent)
    if (
        home is None
        or not rules.can_manage_meetings(agent)
        or instance.jurisdiction_id != home.pk
        or instance.kind != ListEntry.Kind.INSTANCE
    ):
        raise ValidationError({"instance": "Choisissez une instance de votre juridiction."})
    meeting = Meeting.objects.create(instance=instance, held_on=held_on, created_by=agent)
    record("meeting.planned", actor=agent, target=meeting, details={"instance": instance.pk})
    return meeting


@transaction.atomic
def add_to_agenda(*, agent: Agent, meeting: Meeting, situation: Situation) -> MeetingItem:
    try:
        with transaction.atomic():
            item = MeetingItem.objects.create(meeting=meeting, situation=situation)
    except IntegrityError:
        raise ValidationError(
            {"situation": "Cette situation est déjà à l’ordre du jour."}
        ) from None
    record("meeting.item_added", actor=agent, target=meeting, details={"situation": situation.pk})
    return item


@transaction.atomic
def save_notes(*, agent: Agent, item: MeetingItem, notes: str) -> None:
    notes = notes.strip()
    if notes == item.notes:
        return
    item.notes = notes
    item.save(update_fields=["notes"])
    record(
        "meeting.notes_saved",
        actor=agent,
        target=item.meeting,
        details={"situation": item.situation_id},
    )


def agenda_pdf(meeting: Meeting, items: Iterable[MeetingItem]) -> bytes:
    """The printable agenda: the situations the printing agent sees, with their notes."""
    return write_pdf(
        "situations/print/agenda.html",
        {"meeting": meeting, "day": french_date(meeting.held_on), "items": list(items)},
    )
