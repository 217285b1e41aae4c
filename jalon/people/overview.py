"""The person 360° page (CNP-29): everything the agent may see of one person, in one read.

``person_overview`` loads each section with one query (or none when the agent may not see
it: the section is then absent), so the page's query count does not depend on how many
convocations, SMS, situations or procedures the person has. The timeline is built in Python
from those rows plus the person's history events: one list, newest first, cut to a size.

Python time is what this page costs (docs/benchmarks.md): rows the template shows are
loaded here, each once, with only the relations it reads; the timeline's labels and dates
are computed once per entry instead of through template filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import cases as case_rules
from jalon.access.rules import judgments as judgment_rules
from jalon.access.rules import people as rules
from jalon.access.rules import situations as situation_rules
from jalon.access.rules import slots as slot_rules
from jalon.history.actions import PERSON_READ
from jalon.history.models import Event
from jalon.people.models import Person

TIMELINE_SIZE = 20  # entries on the page
TIMELINE_FULL_SIZE = 200  # entries when the agent asks for more ("Voir toute la chronologie")
MESSAGES_SHOWN = 20


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime  # aware, for the order
    shown: str  # the date as the page writes it
    kind: str  # "convocation", "sms", "situation", "procedure", "measure", "follow", "event"
    kind_label: str
    label: str
    detail: str = ""
    url: str = ""
    upcoming: bool = False


@dataclass(frozen=True)
class MeasureRow:
    """A measure in execution, its convocations and where its title leads (the measure's page
    for its SAP or SPIP, the judgment's for the greffe and the BEX, nowhere for the parquet)."""

    measure: Any
    convocations: list[Any]
    url: str = ""


@dataclass
class PersonOverview:
    person: Person
    future: list[tuple[Any, dict[str, bool]]]
    past: list[tuple[Any, dict[str, bool]]]
    messages_sent: list[Any]
    situations: list[Any] | None  # None: the agent has no access to situations
    parties: list[Any] | None  # the person's roles in procedures; None: no access
    measures: list[MeasureRow] | None  # measures in execution; None: no access
    measures_ended: list[MeasureRow]
    follows: list[Any]
    timeline: list[Entry]
    timeline_more: bool
    timeline_full: bool
    allowed: dict[str, bool] = field(default_factory=dict)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _at(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}"


def _on(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _convocation_entries(appointments: Iterable[Any], now: datetime) -> Iterable[Entry]:
    for appointment in appointments:
        upcoming = appointment.starts_at >= now
        status = (
            "Statut inconnu" if appointment.outcome_unknown else appointment.get_status_display()
        )
        yield Entry(
            at=appointment.starts_at,
            shown=f"{appointment.local_start:%d/%m/%Y à %H:%M}",
            kind="convocation",
            kind_label="Convocation",
            label=f"{appointment.appointment_type} — {status}",
            detail=f"{appointment.agenda.place.name}, {appointment.service}",
            url=reverse("appointment_detail", args=[appointment.pk]),
            upcoming=upcoming,
        )


def _message_entries(messages: Iterable[Any]) -> Iterable[Entry]:
    for message in messages:
        yield Entry(
            at=message.created_at,
            shown=_at(message.created_at),
            kind="sms",
            kind_label="SMS",
            label=f"{message.get_kind_display()} — {message.get_status_display()}",
            # A space message (invitation, code) is about no convocation.
            detail=str(message.appointment.appointment_type) if message.appointment_id else "",
            url=(
                reverse("appointment_detail", args=[message.appointment_id])
                if message.appointment_id
                else ""
            ),
        )


def _situation_entries(situations: Iterable[Any]) -> Iterable[Entry]:
    for situation in situations:
        where = f"{situation.policy.label} — {situation.jurisdiction.name}"
        url = reverse("situation_detail", args=[situation.pk])
        yield Entry(
            at=situation.created_at,
            shown=_at(situation.created_at),
            kind="situation",
            kind_label="Situation",
            label="Situation ouverte",
            detail=where,
            url=url,
        )
        if situation.closed_on:
            yield Entry(
                at=_day_start(situation.closed_on),
                shown=_on(situation.closed_on),
                kind="situation",
                kind_label="Situation",
                label="Situation clôturée",
                detail=where,
                url=url,
            )


def _procedure_entries(parties: Iterable[Any]) -> Iterable[Entry]:
    for party in parties:
        procedure = party.procedure
        yield Entry(
            at=procedure.registered_at,
            shown=_on(procedure.received_on),
            kind="procedure",
            kind_label="Procédure",
            label=f"Procédure n° {procedure.parquet_number_display} ({party.get_role_display()})",
            detail=f"{procedure.tribunal} — {procedure.get_stage_display()}",
            url=reverse("procedure_detail", args=[procedure.pk]),
        )


def _measure_entries(rows: Iterable[MeasureRow]) -> Iterable[Entry]:
    for row in rows:
        measure = row.measure
        judgment = measure.execution.judgment
        if measure.ended_on is not None:
            yield Entry(
                at=_day_start(measure.ended_on),
                shown=_on(measure.ended_on),
                kind="measure",
                kind_label="Mesure",
                label=f"Fin de la mesure {measure.sentence.get_kind_display().lower()} — "
                f"{measure.service}",
                detail=measure.get_end_reason_display(),
                url=row.url,
            )
        yield Entry(
            at=measure.created_at,
            shown=_at(measure.created_at),
            kind="measure",
            kind_label="Mesure",
            label=f"{measure.sentence.get_kind_display()} — {measure.service}",
            detail=f"Jugement du {_on(judgment.delivered_on)}, parquet n° "
            f"{judgment.procedure.parquet_number_display}",
            url=row.url,
        )


def _measure_rows(agent: Agent, person: Person, appointments: list[Any]) -> list[MeasureRow]:
    """One query; the convocations come from those the page loaded already."""
    measures = (
        judgment_rules.person_page_measures(agent)
        .filter(person=person)
        .select_related("sentence", "service", "execution__judgment__procedure")
        .order_by("-created_at", "-pk")
    )
    by_measure: dict[int, list[Any]] = {}
    for appointment in sorted(appointments, key=lambda a: (a.starts_at, a.pk)):
        if appointment.measure_id is not None:
            by_measure.setdefault(appointment.measure_id, []).append(appointment)
    rows = []
    for measure in measures:
        if judgment_rules.can_view_measure(agent, measure):
            url = reverse("measure", args=[measure.pk])
        elif judgment_rules.can_open_judgment_of(agent, measure):
            url = reverse("judgment", args=[measure.execution.judgment_id])
        else:
            url = ""
        rows.append(MeasureRow(measure, by_measure.get(measure.pk, []), url))
    return rows


def _follow_entries(follows: Iterable[Any]) -> Iterable[Entry]:
    for follow in follows:
        yield Entry(
            at=follow.since,
            shown=_on(timezone.localdate(follow.since)),
            kind="follow",
            kind_label="Suivi",
            label=f"Suivi par {follow.service}",
        )


def _event_entries(events: Iterable[Event]) -> Iterable[Entry]:
    for event in events:
        by = event.actor_label or "le système"
        yield Entry(
            at=event.created_at,
            shown=_at(event.created_at),
            kind="event",
            kind_label="Historique",
            label=event.label,
            detail=f"par {by}" + (f" ({event.client_ip})" if event.client_ip else ""),
        )


def person_overview(agent: Agent, person: Person, *, full_timeline: bool = False) -> PersonOverview:
    """Every section of the person page the agent may see; a fixed number of queries.

    ``person`` comes from ``access_lookups.access_person`` (follows and referent loaded).
    The timeline leaves out the reads of the file (``person.viewed``), which would bury the
    rest; ``full_timeline`` shows them too, with more entries.
    """
    now = timezone.now()
    size = TIMELINE_FULL_SIZE if full_timeline else TIMELINE_SIZE
    # Not ``with_details()``: the related manager already sets ``appointment.person``, and
    # the table reads no assigned agent; two joins and two model instances less per row.
    appointments = list(
        person.appointments.select_related(
            "appointment_type", "service", "agenda__place__service"
        ).order_by("-starts_at", "-pk")
    )
    rows = [
        (
            appointment,
            {
                "outcome": appointment_rules.can_record_outcome(agent, appointment),
                "cancel": appointment_rules.can_cancel_appointment(agent, appointment),
            },
        )
        for appointment in appointments
    ]
    messages = list(
        person.messages.select_related("appointment__appointment_type")
        .prefetch_related("events")
        .order_by("-created_at", "-pk")[:MESSAGES_SHOWN]
    )
    situations = None
    if situation_rules.can_use_situations(agent):
        situations = list(
            situation_rules.situations_visible_to(agent)
            .filter(mec=person)
            .select_related("policy", "jurisdiction")
            .order_by("-created_at")
        )
    parties = None
    if case_rules.can_list_procedures(agent):
        parties = list(
            person.procedure_parties.filter(
                procedure__in=case_rules.procedures_visible_to(agent).values("pk")
            )
            .select_related("procedure__tribunal")
            .order_by("-procedure__received_on", "-procedure_id", "role")
        )
    measures = None
    if judgment_rules.sees_person_measures(agent):
        measures = _measure_rows(agent, person, appointments)
    running = [row for row in measures or [] if row.measure.ended_on is None]
    follows = list(person.follows.all())
    events = Event.objects.for_object(person).order_by("-created_at", "-id")
    if not full_timeline:
        events = events.exclude(action=PERSON_READ)
    loaded_events = list(events[: size + 1])
    entries = [
        *_convocation_entries(appointments, now),
        *_message_entries(messages),
        *_situation_entries(situations or []),
        *_procedure_entries(parties or []),
        *_measure_entries(measures or []),
        *_follow_entries(follows),
        *_event_entries(loaded_events),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return PersonOverview(
        person=person,
        future=[row for row in rows if row[0].starts_at >= now],
        past=[row for row in rows if row[0].starts_at < now],
        messages_sent=messages,
        situations=situations,
        parties=parties,
        measures=None if measures is None else running,
        measures_ended=[row for row in measures or [] if row.measure.ended_on is not None],
        follows=follows,
        timeline=entries[:size],
        timeline_more=len(entries) > size,
        timeline_full=full_timeline,
        allowed={
            "edit": rules.can_edit_person(agent, person),
            "archive": rules.can_archive_person(agent, person),
            "unarchive": rules.can_unarchive_person(agent, person),
            "book": appointment_rules.can_book_for(agent, person),
            "book_on_slot": slot_rules.can_book_on_slot_for(agent, person),
        },
    )
