"""The run of one batch of an import in set-based statements (docs/imports.md, "Run").

``run_batch`` writes exactly what the screens' actions write for each good row
(``register_person``, ``follow``, ``book_appointment``: persons with their normalised and
phonetic keys, follows, convocations, ``person.created`` and ``appointment.booked`` events
with the agent as actor, the SMS outbox with its ``pending`` events and sending jobs), but
resolves the batch's natural keys in a few queries and writes with ``bulk_create``:

- the identity locks of every row, taken at once in a fixed order (as ``lock_identity``);
- the persons with the same identity (names and birth date, no other APPI number) or the
  same APPI number or mobile, locked (``FOR UPDATE``) as ``book_appointment`` locks its person;
- the follows of the agent's service, and the booked convocations of these persons (natural
  key and overlaps).

A row whose identity the dry run found probable goes through ``actions.lookup`` as in the
per-row path (rare). Not re-checked here: a probable duplicate that appeared after the dry
run, or between two rows of the same file (the dry run compares each row to the persons
registered, the per-row run also to those the file created before it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q

from jalon.access.models import Agent
from jalon.appointments.actions.lifecycle import assignee_for
from jalon.appointments.models import Appointment
from jalon.core.copying import copy_insert
from jalon.history.actions import copy_events
from jalon.imports.models import Row
from jalon.imports.rows import Context, Parsed, RowError, parse
from jalon.people.actions import _lock_id
from jalon.people.duplicates import find_duplicates
from jalon.people.models import Follow, Person
from jalon.sms import actions as sms_actions

Verdict, Result = Row.Verdict, Row.Result
ALREADY_IMPORTED = "Ligne déjà importée par un import précédent."
ARCHIVED = "Cette personne est archivée : elle ne peut pas être convoquée."


@dataclass
class _Todo:
    """A good row of the batch: its row, what it says, and the person it resolves to."""

    row: Row
    parsed: Parsed
    probe: Person
    person: Person | None = None
    created: bool = False
    confirmed_despite: list[int] | None = None


def _identity(person: Person) -> tuple[str, str, datetime.date]:
    return (person.last_name_key, person.first_names_key, person.birth_date)


def _lock_keys(probes: Iterable[Person]) -> None:
    """``people.actions.lock_identity`` for every row at once, in one sorted order."""
    keys: set[str] = set()
    for person in probes:
        names = sorted((person.last_name_key, person.first_names_key))
        keys.add(f"identity:{names[0]}|{names[1]}|{person.birth_date.isoformat()}")
        if person.phone:
            keys.add(f"phone:{person.phone}")
        if person.appi_number:
            keys.add(f"appi:{person.appi_number}")
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) FROM "
            "(SELECT DISTINCT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
            [sorted(_lock_id(key) for key in keys)],
        )


def _known_persons(probes: list[Person]) -> list[Person]:
    """The registered persons sharing a row's names and birth date, APPI number or mobile,
    locked in id order (the person lock of ``book_appointment``)."""
    condition = Q(
        last_name_key__in={probe.last_name_key for probe in probes},
        birth_date__in={probe.birth_date for probe in probes},
    )
    appis = {probe.appi_number for probe in probes if probe.appi_number}
    phones = {probe.phone for probe in probes if probe.phone}
    if appis:
        condition |= Q(appi_number__in=appis)
    if phones:
        condition |= Q(phone__in=phones)
    return list(Person.objects.select_for_update(of=("self",)).filter(condition).order_by("pk"))


class _Persons:
    """Who is who in the batch: the registered persons found, then those the batch creates."""

    def __init__(self, known: list[Person]) -> None:
        self.by_identity: dict[tuple[str, str, datetime.date], list[Person]] = {}
        self.by_appi: dict[str, Person] = {}
        self.by_phone: dict[str, Person] = {}
        for person in known:
            self.add(person)

    def add(self, person: Person) -> None:
        self.by_identity.setdefault(_identity(person), []).append(person)
        if person.appi_number:
            self.by_appi.setdefault(person.appi_number, person)
        if person.phone:
            self.by_phone.setdefault(person.phone, person)

    def same(self, probe: Person) -> Person | None:
        for person in self.by_identity.get(_identity(probe), []):
            if not (
                person.appi_number and probe.appi_number and person.appi_number != probe.appi_number
            ):
                return person
        return None

    def conflict(self, probe: Person) -> str | None:
        """The per-row lookup's error when another person has the APPI number or mobile."""
        for value, index, why in (
            (probe.appi_number, self.by_appi, "le même numéro APPI"),
            (probe.phone, self.by_phone, "le même numéro de téléphone"),
        ):
            other = index.get(value) if value else None
            if other is not None:
                return f"Une autre personne a {why} : {other} (née le {other.birth_date:%d/%m/%Y})."
        return None


def _resolve(todo: _Todo, persons: _Persons, agent: Agent) -> None:
    """The person of the row, as ``actions._person_for`` finds or creates it."""
    from jalon.imports.actions import lookup

    probe = todo.probe
    same = persons.same(probe)
    if same is not None:
        todo.person = same
        return
    conflict = persons.conflict(probe)
    if conflict is not None:
        raise RowError(conflict)
    row = todo.row
    if row.verdict == Verdict.PROBABLE:
        found = lookup(todo.parsed)
        if found.verdict == Verdict.PROBABLE:
            if row.decision == Row.Decision.SAME and row.candidate is not None:
                todo.person = row.candidate
                return
            if row.decision != Row.Decision.NEW:
                raise RowError(f"Doublon probable non confirmé : {found.reason}")
            todo.confirmed_despite = [
                candidate.pk
                for candidate in find_duplicates(
                    last_name=probe.last_name,
                    first_names=probe.first_names,
                    birth_date=probe.birth_date,
                    appi_number=probe.appi_number,
                    phone=probe.phone,
                ).probable
            ]
    person = probe  # built by ``_parse_all`` as ``register_person`` builds it
    todo.person, todo.created = person, True
    persons.add(person)


def _parse_all(rows: list[Row], context: Context, done: set[str], agent: Agent) -> list[_Todo]:
    todos = []
    for row in rows:
        if row.key in done:
            row.result, row.result_reason = Result.ALREADY, ALREADY_IMPORTED
            continue
        try:
            parsed = parse(row.values, context)
        except RowError as error:
            _error(row, str(error))
            continue
        probe = Person(**parsed.identity.values(), created_by=agent)
        probe.normalize()
        todos.append(_Todo(row, parsed, probe))
    return todos


def _error(row: Row, reason: str) -> None:
    row.result, row.result_reason = Result.ERROR, reason
    row.person = row.appointment = None


def _local(moment: datetime.datetime, appointment: Appointment) -> str:
    return f"{moment.astimezone(appointment.time_zone):%d/%m/%Y %H:%M}"


class _Bookings:
    """The booked convocations of the batch's known persons, and those the batch books."""

    def __init__(self, person_ids: list[int], todos: list[_Todo]) -> None:
        starts = [todo.parsed.booking.starts_at for todo in todos if todo.parsed.booking]
        self.by_person: dict[int, list[Appointment]] = {}
        if person_ids and starts:
            for appointment in (
                Appointment.objects.active()
                .filter(person_id__in=person_ids)
                .overlapping(min(starts), max(starts) + datetime.timedelta(days=1))
                .select_related("appointment_type", "service")
                .order_by("starts_at", "pk")
            ):
                self.by_person.setdefault(appointment.person_id, []).append(appointment)

    def find(self, person: Person, todo: _Todo, ends_at: datetime.datetime) -> tuple[bool, str]:
        """(the same convocation exists, the clash message or "")."""
        booking = todo.parsed.booking
        assert booking is not None
        for other in self.by_person.get(id(person) if person.pk is None else person.pk, []):
            if (
                other.appointment_type_id == booking.appointment_type.pk
                and other.agenda_id == booking.agenda.pk
                and other.starts_at == booking.starts_at
            ):
                return True, ""
        for other in self.by_person.get(id(person) if person.pk is None else person.pk, []):
            if other.starts_at < ends_at and other.ends_at > booking.starts_at:
                return False, (
                    f"Cette personne a déjà une convocation à ce moment-là : "
                    f"{other.appointment_type} le {_local(other.starts_at, other)} "
                    f"({other.service})."
                )
        return False, ""

    def add(self, person: Person, appointment: Appointment) -> None:
        key = id(person) if person.pk is None else person.pk
        self.by_person.setdefault(key, []).append(appointment)


def run_batch(rows: list[Row], agent: Agent, context: Context, done: set[str]) -> None:
    """Import ``rows`` (one batch, inside the caller's transaction); each row gets its result."""
    todos = _parse_all(rows, context, done, agent)
    if not todos:
        return
    _lock_keys(todo.probe for todo in todos)
    known = _known_persons([todo.probe for todo in todos])
    persons = _Persons(known)
    follows = set(
        Follow.objects.filter(person__in=known, service=agent.service_id).values_list(
            "person_id", flat=True
        )
    )
    bookings = _Bookings([person.pk for person in known], todos)
    good: list[_Todo] = []
    new_follows: set[tuple[int, int]] = set()  # (id(person) or pk, service)
    follow_rows: list[Follow] = []
    appointments: list[Appointment] = []

    def follow(person: Person, service_id: int) -> None:
        key = (id(person) if person.pk is None else person.pk, service_id)
        if key in new_follows or (service_id == agent.service_id and person.pk in follows):
            return
        new_follows.add(key)
        follow_rows.append(Follow(person=person, service_id=service_id))

    for todo in todos:
        row = todo.row
        try:
            _resolve(todo, persons, agent)
        except RowError as error:
            _error(row, str(error))
            continue
        person = todo.person
        assert person is not None
        row.person = person
        booking = todo.parsed.booking
        if booking is None:
            if todo.created:
                follow(person, agent.service_id)
                row.result = Result.CREATED
            elif person.pk in follows or (person.pk, agent.service_id) in new_follows:
                row.result, row.result_reason = Result.ALREADY, "Déjà enregistrée."
            else:
                follow(person, agent.service_id)
                row.result = Result.MATCHED
            good.append(todo)
            continue
        if person.is_archived:
            _error(row, ARCHIVED)
            continue
        kind = booking.appointment_type
        ends_at = booking.starts_at + datetime.timedelta(minutes=kind.default_duration_minutes)
        exists, clash = bookings.find(person, todo, ends_at)
        if exists and not todo.created:
            row.result, row.result_reason = Result.ALREADY, "Convocation déjà enregistrée."
            good.append(todo)
            continue
        if clash:
            _error(row, clash)
            if todo.created:  # the per-row path rolls the new person back with the row
                persons.by_identity[_identity(person)].remove(person)
                _forget(persons, person)
            continue
        service = booking.agenda.place.service
        if todo.created:
            follow(person, agent.service_id)
        appointment = Appointment(
            person=person,
            appointment_type=kind,
            agenda=booking.agenda,
            service=service,
            starts_at=booking.starts_at,
            ends_at=ends_at,
            assigned_agent=assignee_for(agent, booking.agenda),
            prosecution_number=booking.prosecution_number.strip(),
            created_by=agent,
            created_by_service=agent.service,
        )
        follow(person, service.pk)
        bookings.add(person, appointment)
        appointments.append(appointment)
        row.appointment = appointment
        row.result = Result.CREATED if todo.created else Result.MATCHED
        good.append(todo)
    _write(good, follow_rows, appointments, agent)


def _forget(persons: _Persons, person: Person) -> None:
    for index, value in ((persons.by_appi, person.appi_number), (persons.by_phone, person.phone)):
        if value and index.get(value) is person:
            del index[value]


def _write(
    good: list[_Todo], follow_rows: list[Follow], appointments: list[Appointment], agent: Agent
) -> None:
    """Persons, follows, convocations, SMS outbox and history, in that order, one insert each."""
    created = [todo for todo in good if todo.created]
    copy_insert([todo.person for todo in created if todo.person is not None], set_pks=True)
    # The follows, convocations and rows read their new persons' ids from the objects.
    if follow_rows:  # ``bulk_create(ignore_conflicts=True)`` without building instances' SQL
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO people_follow (person_id, service_id, since) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[]) "
                "ON CONFLICT DO NOTHING",
                [
                    [row.person.pk for row in follow_rows],
                    [row.service_id for row in follow_rows],
                    [row.since for row in follow_rows],
                ],
            )
    copy_insert(appointments, set_pks=True)
    sms_actions.queue_for_bookings(appointments=appointments, agent=agent)
    events: list[tuple[str, Any, dict[str, Any]]] = []
    service_name = agent.service.name
    for todo in good:
        person, appointment = todo.person, todo.row.appointment
        if todo.created:
            details: dict[str, Any] = {"service": service_name}
            if todo.confirmed_despite:
                details["confirmed_despite"] = todo.confirmed_despite
            events.append(("person.created", person, details))
        if appointment is not None and todo.row.result in Row.IMPORTED and person is not None:
            events.append(
                (
                    "appointment.booked",
                    appointment,
                    {
                        "person": person.pk,
                        "type": appointment.appointment_type.code,
                        "starts_at": appointment.starts_at.isoformat(),
                        "service": appointment.service.name,
                    },
                )
            )
            events.append(("appointment.booked", person, {"appointment": appointment.pk}))
    copy_events(events, actor=agent)
