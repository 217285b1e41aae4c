"""An import whose job fails for good: shown failed, resumed or abandoned (imports/recovery.py)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.imports import actions, tasks
from jalon.imports.models import Import, Row
from jalon.people.models import Person
from tests.dates import working_day_at
from tests.imports.helpers import convocation_row, csv_bytes
from tests.imports.test_import import NAMES, PLACE, checked

pytestmark = pytest.mark.django_db


def job_context(attempts: int) -> JobContext:
    """The context procrastinate gives the run job at its ``attempts``-th retry."""
    job = Job(
        queue="imports",
        lock=None,
        queueing_lock=None,
        task_name=tasks.run_import.name,
        attempts=attempts,
    )
    return JobContext(app=app, job=job, start_timestamp=0.0, abort_reason=lambda: None)


def crash_at(monkeypatch, batch_number: int) -> None:
    """Batches of 2 rows; every attempt dies before committing batch ``batch_number`` of the
    import (the batches before it commit, in the first attempt)."""
    monkeypatch.setattr(actions, "BATCH_SIZE", 2)
    committed = [0]

    def crash(number: int) -> None:
        if committed[0] >= batch_number - 1:
            raise RuntimeError("the database went away")
        committed[0] += 1

    monkeypatch.setattr(actions, "before_commit", crash)


@pytest.fixture
def started(world):
    """Seven persons with a convocation, checked and started."""
    agent, service = world["agent"], world["service"]
    starts = working_day_at(4, service=service)
    names = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit"]
    rows = [
        convocation_row(name, "Jean", f"{10 + i:02d}/04/1990", place=PLACE, starts_at=starts)
        for i, name in enumerate(names)
    ]
    batch = checked(agent, csv_bytes(rows))
    assert actions.start(agent=agent, batch=batch)
    return batch


def fail_for_good(batch: Import) -> Import:
    """The run job's attempts, the last one included, all fail."""
    for attempts in range(tasks.RETRIES + 1):
        with pytest.raises(RuntimeError):
            tasks.attempt(job_context(attempts), actions.run, batch.pk)
        batch.refresh_from_db()
        expected = Import.Status.FAILED if attempts == tasks.RETRIES else Import.Status.RUNNING
        assert batch.status == expected
    with connection.cursor() as cursor:  # what procrastinate does after the last attempt
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'failed' WHERE queueing_lock = %s",
            [f"import-run:{batch.pk}"],
        )
    return batch


def run_jobs_waiting() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s AND status = 'todo'",
            [tasks.run_import.name],
        )
        return cursor.fetchone()[0]


def test_the_last_failed_attempt_marks_the_import_failed_with_a_french_message(
    world, started, monkeypatch, client_for
):
    crash_at(monkeypatch, 2)
    batch = fail_for_good(started)
    assert batch.failed_during == Import.Status.RUNNING
    assert batch.processed == 2
    assert "2 lignes sur 7 traitées" in batch.failure
    event = Event.objects.get(action="import.failed")
    assert event.details == {"step": "running", "error": "RuntimeError", "checked": 7, "done": 2}
    page = client_for(world["agent"]).get(reverse("import_detail", args=[batch.pk]))
    text = page.content.decode()
    assert "Import interrompu" in text
    assert "Reprendre l’import" in text and "Abandonner l’import" in text


def test_the_page_shows_failed_an_import_whose_job_failed_in_procrastinate(
    world, started, client_for
):
    """A job that died without marking the import (a worker killed on its last attempt)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'failed' WHERE queueing_lock = %s",
            [f"import-run:{started.pk}"],
        )
    client = client_for(world["agent"])
    page = client.get(reverse("import_detail", args=[started.pk]))
    assert "Reprendre l’import" in page.content.decode()
    started.refresh_from_db()
    assert started.status == Import.Status.FAILED
    assert Event.objects.filter(action="import.failed").count() == 1
    client.get(reverse("import_detail", args=[started.pk]))  # seen again: recorded once
    assert Event.objects.filter(action="import.failed").count() == 1


def test_a_running_job_is_not_taken_for_failed(world, started, client_for):
    page = client_for(world["agent"]).get(reverse("import_detail", args=[started.pk]))
    assert "Reprendre l’import" not in page.content.decode()
    started.refresh_from_db()
    assert started.status == Import.Status.QUEUED


def test_resuming_goes_on_after_the_last_committed_batch_and_creates_nothing_twice(
    world, started, monkeypatch, client_for
):
    crash_at(monkeypatch, 3)
    batch = fail_for_good(started)
    assert batch.processed == 4
    assert Person.objects.filter(last_name_key__in=NAMES).count() == 4
    client = client_for(world["agent"])
    url = reverse("import_resume", args=[batch.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click
    batch.refresh_from_db()
    assert batch.status == Import.Status.QUEUED and batch.failure == ""
    assert Event.objects.filter(action="import.resumed").count() == 1
    assert run_jobs_waiting() == 1
    monkeypatch.setattr(actions, "before_commit", None)
    tasks.attempt(job_context(0), actions.run, batch.pk)  # the queued job, now succeeding
    batch.refresh_from_db()
    assert batch.status == Import.Status.DONE
    assert set(batch.rows.values_list("result", flat=True)) == {Row.Result.CREATED}
    assert Person.objects.filter(last_name_key__in=NAMES).count() == 7
    assert Appointment.objects.filter(person__last_name_key__in=NAMES).count() == 7
    assert Event.objects.filter(action="person.created").count() == 7
    assert Event.objects.filter(action="appointment.booked").count() == 14


def test_abandoning_keeps_the_rows_imported_and_reports_the_others(
    world, started, monkeypatch, client_for
):
    crash_at(monkeypatch, 2)
    batch = fail_for_good(started)
    client = client_for(world["agent"])
    url = reverse("import_abandon", args=[batch.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click
    batch.refresh_from_db()
    assert batch.status == Import.Status.ABANDONED
    assert [e.details["results"] for e in Event.objects.filter(action="import.abandoned")] == [
        {"created": 2, "": 5}
    ]
    assert Person.objects.filter(last_name_key__in=NAMES).count() == 2
    # Resuming an abandoned import does nothing.
    client.post(reverse("import_resume", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == Import.Status.ABANDONED and run_jobs_waiting() == 0
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "Import abandonné" in page and "5 lignes non traitées" in page
    report = client.get(reverse("import_report", args=[batch.pk])).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report), delimiter=";"))[1:]
    assert [int(line[0]) for line in lines] == [4, 5, 6, 7, 8]
    assert {line[1] for line in lines} == {
        "Non traitée : l’import a été abandonné avant cette ligne."
    }


def test_only_the_owner_or_a_local_admin_of_the_service_may_resume_or_abandon(
    world, started, monkeypatch, client_for, make_agent, org
):
    crash_at(monkeypatch, 2)
    batch = fail_for_good(started)
    colleague = make_agent("cpip", service=org.spip_alpha)
    client = client_for(colleague)
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "Import interrompu" in page and "Reprendre l’import" not in page
    assert client.post(reverse("import_resume", args=[batch.pk])).status_code == 403
    assert client.post(reverse("import_abandon", args=[batch.pk])).status_code == 403
    elsewhere = make_agent("local_admin", service=org.sap_alpha)
    assert client_for(elsewhere).post(reverse("import_abandon", args=[batch.pk])).status_code in (
        403,
        404,
    )
    batch.refresh_from_db()
    assert batch.status == Import.Status.FAILED
    local_admin = make_agent("local_admin", service=org.spip_alpha)
    assert (
        client_for(local_admin).post(reverse("import_resume", args=[batch.pk])).status_code == 302
    )
    batch.refresh_from_db()
    assert batch.status == Import.Status.QUEUED
    assert Event.objects.get(action="import.resumed").actor == local_admin
