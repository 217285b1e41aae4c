"""The bulk path of the run writes exactly what the per-row path (the screens' actions) writes.

The same checked file is run twice from the same state: through the actions, one row at a
time (``run(bulk=False)``), then, that state rolled back, through the bulk path. Every row
written (persons, follows, convocations, history, SMS outbox with its events and jobs, the
import's rows) is compared field by field, ids and timestamps left out; the persons and
convocations are named by their natural keys.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection, transaction

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.imports import actions
from jalon.imports.models import Import
from jalon.people.models import Follow, Person
from jalon.sms.models import Message, MessageEvent, MessageKind
from tests.dates import working_day_at
from tests.factories import AppointmentFactory, PersonFactory
from tests.imports.helpers import convocation_row, csv_bytes, person_row
from tests.imports.test_import import PLACE, checked
from tests.stats.test_maintained import kept, recount

pytestmark = pytest.mark.django_db

SKIPPED = {"id", "created_at", "since", "uuid", "updated_at"}


class Snapshot:
    """What a run wrote after ``mark`` (the ids the state had before the run)."""

    def __init__(self, batch: Import, mark: dict[str, int]) -> None:
        self.persons = {p.pk: self.person_key(p) for p in Person.objects.all()}
        self.appointments = {
            a.pk: (self.persons[a.person_id], a.starts_at.isoformat(), a.appointment_type_id)
            for a in Appointment.objects.all()
        }
        self.messages = {
            m.pk: (self.appointments.get(m.appointment_id), m.kind) for m in Message.objects.all()
        }
        self.data = {
            "persons": self.rows(Person.objects.filter(pk__gt=mark["person"])),
            "follows": sorted(
                (self.persons[f.person_id], f.service_id) for f in Follow.objects.all()
            ),
            "appointments": self.rows(Appointment.objects.filter(pk__gt=mark["appointment"])),
            "events": self.rows(Event.objects.filter(pk__gt=mark["event"])),
            "messages": self.rows(Message.objects.filter(pk__gt=mark["message"])),
            "message_events": self.rows(
                MessageEvent.objects.filter(message_id__gt=mark["message"])
            ),
            "jobs": self.jobs(mark["job"]),
            "import_rows": self.rows(batch.rows.all()),
        }

    @staticmethod
    def person_key(person: Person) -> tuple[str, str, str]:
        return (person.last_name_key, person.first_names_key, person.birth_date.isoformat())

    def named(self, model: str, pk: Any) -> Any:
        if pk is None:
            return None
        table = {"person": self.persons, "appointment": self.appointments}[model]
        return table[int(pk)]

    def rows(self, queryset: Any) -> list[dict[str, Any]]:
        out = []
        for obj in queryset.order_by("pk"):
            values: dict[str, Any] = {}
            for field in obj._meta.concrete_fields:
                name = field.attname
                if name in SKIPPED:
                    continue
                value = getattr(obj, name)
                if name in ("person_id", "candidate_id"):
                    value = self.named("person", value)
                elif name == "appointment_id":
                    value = self.named("appointment", value)
                elif name == "message_id":
                    value = self.messages[value]
                elif name == "batch_id":
                    value = None
                elif name == "send_after" and obj.kind == MessageKind.CONVOCATION:
                    value = None  # "now": the moment of each run
                elif name == "at":
                    continue
                values[name] = value
            if isinstance(obj, Event):
                values.update(self.event_target(obj))
            out.append(values)
        return out

    def event_target(self, event: Event) -> dict[str, Any]:
        details = dict(event.details)
        model = event.target_type.model if event.target_type else ""
        target = self.named(model, event.target_id) if model in ("person", "appointment") else None
        if "person" in details:
            details["person"] = self.named("person", details["person"])
        if "appointment" in details:
            details["appointment"] = self.named("appointment", details["appointment"])
        return {"target_id": target or event.target_id, "details": details}

    def jobs(self, after: int) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT task_name, queue_name, args, scheduled_at, queueing_lock, status, priority "
                "FROM procrastinate_jobs WHERE id > %s AND task_name LIKE %s ORDER BY id",
                [after, "%send_message"],
            )
            out = []
            for task, queue, args, scheduled_at, lock, status, priority in cursor.fetchall():
                kwargs = json.loads(args) if isinstance(args, str) else args
                message = self.messages[kwargs["message_id"]]
                when = None if message[1] == MessageKind.CONVOCATION else scheduled_at
                own_lock = lock == f"sms:{kwargs['message_id']}"
                out.append((task, queue, message, when, own_lock, status, priority))
            return out


def marks() -> dict[str, int]:
    def last(model: Any) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        job = cursor.fetchone()[0]
    return {
        "person": last(Person),
        "appointment": last(Appointment),
        "event": last(Event),
        "message": last(Message),
        "job": job,
    }


class Rollback(Exception):
    pass


def run_and_snapshot(agent, batch: Import, *, bulk: bool, keep: bool) -> dict[str, Any]:
    mark = marks()
    snapshot: dict[str, Any] = {}
    try:
        with transaction.atomic():
            assert actions.start(agent=agent, batch=batch)
            actions.run(batch.pk, bulk=bulk)
            batch.refresh_from_db()
            snapshot = Snapshot(batch, mark).data
            if not keep:
                raise Rollback
    except Rollback:
        pass
    batch.refresh_from_db()
    return snapshot


def test_the_bulk_path_writes_what_the_screens_actions_write(world, monkeypatch):
    agent, service, agenda = world["agent"], world["service"], world["agenda"]
    soon = working_day_at(1, 9, service=service)  # inside the reminder delay: one SMS
    later = working_day_at(6, 10, service=service)
    other_day = working_day_at(8, 14, 30, service=service)
    known = PersonFactory(
        last_name="Connu", first_names="Paul", birth_date=datetime.date(1980, 1, 2), phone=None
    )
    followed = PersonFactory(
        last_name="Suivi",
        first_names="Anne",
        birth_date=datetime.date(1970, 3, 4),
        followed_by=[service],
    )
    busy = PersonFactory(
        last_name="Occupe", first_names="Luc", birth_date=datetime.date(1985, 1, 1)
    )
    AppointmentFactory(person=busy, agenda=agenda, starts_at=later + datetime.timedelta(minutes=15))
    booked = PersonFactory(
        last_name="Deja", first_names="Lea", birth_date=datetime.date(1991, 2, 3), phone=None
    )
    AppointmentFactory(person=booked, agenda=agenda, starts_at=other_day, created_by=agent)
    similar = PersonFactory(
        last_name="Bernard", first_names="Sophie", birth_date=datetime.date(1975, 6, 7)
    )
    PersonFactory(appi_number="20012345", last_name="Porteur", phone=None)
    rows = [
        convocation_row(
            "Nouveau", "Jean", "03/04/1990", place=PLACE, starts_at=later, phone="0611223344"
        ),
        convocation_row(
            "Rapide", "Eva", "03/04/1992", place=PLACE, starts_at=soon, phone="0611223355"
        ),
        convocation_row("Connu", "Paul", "02/01/1980", place=PLACE, starts_at=later),
        person_row("Seul", "Marc", "05/05/1985", appi="20099999"),
        person_row("Suivi", "Anne", "04/03/1970"),
        person_row("Connu", "Paul", "02/01/1980"),
        convocation_row("Occupe", "Luc", "01/01/1985", place=PLACE, starts_at=later),
        convocation_row("Deja", "Lea", "03/02/1991", place=PLACE, starts_at=other_day),
        person_row("Mauvais", "Tel", "05/05/1985", phone="0388000000"),
        person_row("Autre", "Appi", "05/05/1986", appi="20012345"),
        convocation_row("Nouveau", "Jean", "03/04/1990", place=PLACE, starts_at=other_day),
        convocation_row("Nouveau", "Jean", "03/04/1990", place=PLACE, starts_at=later),
        person_row("Double", "Tel", "05/05/1987", phone="0611223344"),
        person_row("Bernardd", "Sophie", "07/06/1975"),
        person_row("Bernart", "Sophie", "07/06/1975"),
        person_row("Bernarde", "Sophie", "07/06/1975"),
        person_row("Sansdate", "Luc", "32/01/1980"),
    ]
    batch = checked(agent, csv_bytes(rows))
    lines = {row.line: row for row in batch.rows.all()}
    actions.decide(
        agent=agent,
        batch=batch,
        decisions={lines[15].pk: "same", lines[16].pk: "new"},
    )
    monkeypatch.setattr(actions, "BATCH_SIZE", 4)  # persons met again in a later batch
    reference = run_and_snapshot(agent, batch, bulk=False, keep=False)
    assert batch.status == Import.Status.CHECKED
    bulk = run_and_snapshot(agent, batch, bulk=True, keep=True)
    assert batch.status == Import.Status.DONE
    for name in reference:
        assert bulk[name] == reference[name], name
    # The convocations and SMS written by COPY are in the dashboards' per-day counts.
    assert kept() == recount()
    # The file really exercised the cases compared above.
    results = {row["line"]: (row["result"], row["result_reason"]) for row in bulk["import_rows"]}
    assert [results[line][0] for line in range(2, 19)] == [
        "created",
        "created",
        "matched",
        "created",
        "already",
        "already",
        "error",
        "already",
        "error",
        "error",
        "matched",
        "already",
        "error",
        "matched",
        "created",
        "error",
        "error",
    ]
    assert "déjà une convocation" in results[8][1]
    assert len(bulk["jobs"]) == len(bulk["messages"]) >= 2
    assert similar.pk and followed.pk and known.pk
