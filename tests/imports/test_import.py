"""Dry run, run, resume after a crash, idempotency and the refusals of an import."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.imports import actions
from jalon.imports.models import Import, Row
from jalon.imports.reading import ImportFileError
from jalon.people.models import Person
from jalon.sms.models import Message
from tests.dates import working_day_at
from tests.factories import PersonFactory
from tests.imports.helpers import convocation_row, csv_bytes, person_row

pytestmark = pytest.mark.django_db

PLACE = "SPIP Alpha — siège"
NAMES = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit"]


def checked(agent, content: bytes, name: str = "personnes.csv") -> Import:
    batch = actions.upload(agent=agent, content=content, file_name=name)
    actions.confirm_mapping(agent=agent, batch=batch, mapping=batch.mapping)
    actions.check(batch.pk)
    batch.refresh_from_db()
    return batch


def ran(agent, batch: Import) -> Import:
    assert actions.start(agent=agent, batch=batch)
    actions.run(batch.pk)
    batch.refresh_from_db()
    return batch


def verdicts(batch: Import) -> dict[int, str]:
    return dict(batch.rows.values_list("line", "verdict"))


def results(batch: Import) -> dict[int, str]:
    return dict(batch.rows.values_list("line", "result"))


def test_the_dry_run_classifies_each_row_and_writes_nothing_else(world):
    agent, service = world["agent"], world["service"]
    starts = working_day_at(3, service=service)
    PersonFactory(last_name="Existant", first_names="Paul", birth_date=datetime.date(1980, 1, 2))
    PersonFactory(last_name="Bernard", first_names="Sophie", birth_date=datetime.date(1975, 6, 7))
    content = csv_bytes(
        [
            convocation_row("Nouveau", "Jean", "03/04/1990", place=PLACE, starts_at=starts),
            person_row("EXISTANT", "paul", "02/01/1980"),
            person_row("Bernardd", "Sophie", "07/06/1975"),
            person_row("Sansdate", "Luc", "32/01/1980"),
            convocation_row("Ailleurs", "Ana", "03/04/1991", place="Inconnu", starts_at=starts),
            person_row("Nouveau", "Jean", "03/04/1990"),
        ]
    )
    before = (Person.objects.count(), Appointment.objects.count(), Message.objects.count())
    events = Event.objects.count()
    batch = checked(agent, content)
    assert batch.status == Import.Status.CHECKED
    assert batch.checked == 6
    assert verdicts(batch) == {
        2: Row.Verdict.CREATE,
        3: Row.Verdict.MATCH,
        4: Row.Verdict.PROBABLE,
        5: Row.Verdict.ERROR,
        6: Row.Verdict.ERROR,
        7: Row.Verdict.MATCH,
    }
    reasons = dict(batch.rows.values_list("line", "reason"))
    assert "n’existe pas" in reasons[5]
    assert "Lieu « Inconnu » inconnu" in reasons[6]
    assert "ligne 2" in reasons[7]
    assert (Person.objects.count(), Appointment.objects.count(), Message.objects.count()) == before
    # Only the upload is in history: the dry run records nothing.
    assert Event.objects.count() == events + 1


def test_the_run_creates_persons_convocations_history_and_sms_as_the_screens_do(world):
    agent, service = world["agent"], world["service"]
    starts = working_day_at(5, service=service)
    existing = PersonFactory(
        last_name="Existant", first_names="Paul", birth_date=datetime.date(1980, 1, 2)
    )
    content = csv_bytes(
        [
            convocation_row(
                "Nouveau", "Jean", "03/04/1990", place=PLACE, starts_at=starts, phone="0611223344"
            ),
            convocation_row("Existant", "Paul", "02/01/1980", place=PLACE, starts_at=starts),
            person_row("Seul", "Marc", "05/05/1985", appi="20012345"),
            person_row("Mauvais", "Tel", "05/05/1985", phone="0388000000"),
        ]
    )
    batch = ran(agent, checked(agent, content))
    assert batch.status == Import.Status.DONE
    assert results(batch) == {
        2: Row.Result.CREATED,
        3: Row.Result.MATCHED,
        4: Row.Result.CREATED,
        5: Row.Result.ERROR,
    }
    jean = Person.objects.get(last_name_key="nouveau")
    assert jean.phone == "+33611223344"
    assert jean.created_by == agent
    assert set(jean.follows.values_list("service", flat=True)) == {service.pk}
    booked = Appointment.objects.filter(person__in=[jean, existing])
    assert booked.count() == 2
    assert {a.created_by_id for a in booked} == {agent.pk}
    assert existing.follows.filter(service=service).exists()
    # The same history as by hand, the agent as actor.
    created = Event.objects.filter(action="person.created", actor=agent)
    assert set(created.values_list("target_id", flat=True)) == {
        str(jean.pk),
        str(Person.objects.get(last_name_key="seul").pk),
    }
    assert Event.objects.filter(action="appointment.booked", actor=agent).count() == 4
    assert Event.objects.filter(action="import.finished", target_id=str(batch.pk)).exists()
    # Jean has a mobile: his convocation SMS is in the outbox, with its job.
    assert Message.objects.filter(person=jean).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE %s",
            ["%send_message"],
        )
        assert cursor.fetchone()[0] >= 1


def test_a_probable_duplicate_follows_the_agents_decision(world):
    agent = world["agent"]
    known = PersonFactory(
        last_name="Bernard", first_names="Sophie", birth_date=datetime.date(1975, 6, 7)
    )
    content = csv_bytes(
        [
            person_row("Bernardd", "Sophie", "07/06/1975"),
            person_row("Bernart", "Sophie", "07/06/1975"),
            person_row("Bernarde", "Sophie", "07/06/1975"),
        ]
    )
    batch = checked(agent, content)
    rows = {row.line: row for row in batch.rows.all()}
    assert {row.verdict for row in rows.values()} == {Row.Verdict.PROBABLE}
    assert rows[2].candidate == known
    actions.decide(
        agent=agent,
        batch=batch,
        decisions={rows[2].pk: Row.Decision.SAME, rows[3].pk: Row.Decision.NEW},
    )
    batch = ran(agent, batch)
    outcome = {row.line: row for row in batch.rows.all()}
    assert outcome[2].result == Row.Result.MATCHED and outcome[2].person == known
    assert outcome[3].result == Row.Result.CREATED and outcome[3].person != known
    assert outcome[4].result == Row.Result.ERROR
    assert "non confirmé" in outcome[4].result_reason
    event = Event.objects.get(action="person.created", target_id=str(outcome[3].person_id))
    assert event.details["confirmed_despite"] == [known.pk]


def test_a_crash_mid_run_resumes_after_the_last_committed_batch(world, monkeypatch):
    agent, service = world["agent"], world["service"]
    starts = working_day_at(4, service=service)
    names = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit"]
    rows = [
        convocation_row(name, "Jean", f"{10 + i:02d}/04/1990", place=PLACE, starts_at=starts)
        for i, name in enumerate(names)
    ]
    batch = checked(agent, csv_bytes(rows))
    monkeypatch.setattr(actions, "BATCH_SIZE", 2)

    def crash(number: int) -> None:
        if number == 3:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(actions, "before_commit", crash)
    assert actions.start(agent=agent, batch=batch)
    with pytest.raises(RuntimeError):
        actions.run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Import.Status.RUNNING
    assert batch.processed == 4  # two batches committed, the third rolled back
    assert Person.objects.filter(last_name_key__in=NAMES).count() == 4
    monkeypatch.setattr(actions, "before_commit", None)
    actions.run(batch.pk)  # the job again, as procrastinate retries it
    batch.refresh_from_db()
    assert batch.status == Import.Status.DONE
    assert set(results(batch).values()) == {Row.Result.CREATED}
    assert Person.objects.filter(last_name_key__in=NAMES).count() == 7
    assert Appointment.objects.filter(person__last_name_key__in=NAMES).count() == 7
    assert Event.objects.filter(action="person.created").count() == 7


def test_uploading_the_same_file_again_creates_nothing_twice(world):
    agent, service = world["agent"], world["service"]
    starts = working_day_at(4, service=service)
    content = csv_bytes(
        [
            convocation_row("Une", "Jean", "03/04/1990", place=PLACE, starts_at=starts),
            person_row("Deux", "Paul", "03/04/1991"),
        ]
    )
    ran(agent, checked(agent, content))
    counts = (Person.objects.count(), Appointment.objects.count(), Event.objects.count())
    again = checked(agent, content, "encore.csv")
    assert set(verdicts(again).values()) == {Row.Verdict.ALREADY}
    again = ran(agent, again)
    assert set(results(again).values()) == {Row.Result.ALREADY}
    # Only the import's own events (uploaded, started, finished) were added.
    assert (Person.objects.count(), Appointment.objects.count()) == counts[:2]
    assert Event.objects.count() == counts[2] + 3


def test_the_same_file_is_refused_while_it_is_being_imported(world):
    agent = world["agent"]
    content = csv_bytes([person_row("Une", "Jean", "03/04/1990")])
    first = checked(agent, content)
    actions.start(agent=agent, batch=first)
    with pytest.raises(ImportFileError, match="déjà en cours"):
        actions.upload(agent=agent, content=content, file_name="bis.csv")
    assert Import.objects.count() == 1


def test_the_same_file_uploaded_twice_cannot_be_checked_twice_at_once(world):
    agent = world["agent"]
    content = csv_bytes([person_row("Une", "Jean", "03/04/1990")])
    first = actions.upload(agent=agent, content=content, file_name="a.csv")
    second = actions.upload(agent=agent, content=content, file_name="b.csv")
    actions.confirm_mapping(agent=agent, batch=first, mapping=first.mapping)
    with pytest.raises(actions.ImportRefused, match="déjà en cours"):
        actions.confirm_mapping(agent=agent, batch=second, mapping=second.mapping)


def test_starting_twice_queues_one_run(world):
    agent = world["agent"]
    batch = checked(agent, csv_bytes([person_row("Une", "Jean", "03/04/1990")]))
    assert actions.start(agent=agent, batch=batch)
    assert not actions.start(agent=agent, batch=batch)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE %s", ["%run_import"]
        )
        assert cursor.fetchone()[0] == 1
    assert Event.objects.filter(action="import.started").count() == 1


def test_a_missing_required_column_is_refused_before_anything_is_written(world):
    agent = world["agent"]
    content = csv_bytes([["Jean", "03/04/1990"]], header=["Prénoms", "Date de naissance"])
    batch = actions.upload(agent=agent, content=content, file_name="a.csv")
    with pytest.raises(Exception, match="Nom"):
        actions.confirm_mapping(agent=agent, batch=batch, mapping=batch.mapping)
    batch.refresh_from_db()
    assert batch.status == Import.Status.MAPPING
    assert not batch.rows.exists()
