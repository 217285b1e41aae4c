"""Retention (MSJ-39): automatic archive after 12 months without activity, deletion 6 months
after archiving, anonymous counts kept, history without personal data."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from jalon.appointments.models import Appointment, Slot
from jalon.history.actions import record
from jalon.history.models import Event
from jalon.people import actions, retention
from jalon.people.models import Follow, Person
from jalon.situations.models import Policy, Situation
from jalon.sms.models import Message, MessageEvent, MessageKind
from jalon.stats.models import AppointmentCount, MessageCount
from tests.factories import AppointmentFactory, MessageFactory, PersonFactory, appointment_type
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
Status = Appointment.Status
YEAR = relativedelta(months=12)
HALF_YEAR = relativedelta(months=6)
DAY = dt.timedelta(days=1)


def travel(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment.timestamp(), tick=False)


def old_person(frozen_now, **kwargs) -> Person:
    """A person registered two years before now."""
    return PersonFactory(created_at=frozen_now - relativedelta(years=2), **kwargs)


def message(appointment: Appointment, **kwargs) -> Message:
    """The convocation's reminder, with the first line of its timeline."""
    created = MessageFactory(appointment=appointment, **kwargs)
    MessageEvent.objects.create(message=created, status=created.status, at=created.send_after)
    return created


def events_about(obj) -> list[str]:
    return list(Event.objects.for_object(obj).values_list("action", flat=True))


# --- Automatic archive ---------------------------------------------------------------------


def test_a_person_is_archived_12_months_after_the_last_activity_not_a_day_earlier(frozen_now, org):
    person = PersonFactory(followed_by=[org.spip_alpha])
    with travel(frozen_now + YEAR - DAY):
        assert retention.archive_inactive_persons() == []
    with travel(frozen_now + YEAR):
        assert retention.archive_inactive_persons() == [person.pk]
    person.refresh_from_db()
    assert person.archived_at == frozen_now + YEAR
    event = Event.objects.for_object(person).get(action="person.archived")
    assert (event.actor, event.actor_label, event.details) == (None, "", {"automatic": True})
    assert event.created_at == frozen_now + YEAR


def test_a_past_convocation_is_activity_until_12_months_after_it(frozen_now, org, agendas):
    person = old_person(frozen_now)
    start = frozen_now - relativedelta(months=11)
    AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=start,
        created_at=frozen_now - relativedelta(months=13),
        status=Status.BOOKED,
    )
    assert retention.archive_inactive_persons() == []
    with travel(start + YEAR - DAY):
        assert retention.archive_inactive_persons() == []
    with travel(start + YEAR):
        assert retention.archive_inactive_persons() == [person.pk]


def test_a_late_outcome_is_activity(frozen_now, agendas):
    person = old_person(frozen_now)
    AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - relativedelta(months=14),
        created_at=frozen_now - relativedelta(months=15),
        status=Status.MISSED,
        outcome_at=frozen_now - relativedelta(months=1),
    )
    assert retention.archive_inactive_persons() == []


def test_a_future_convocation_prevents_the_archive(frozen_now, agendas):
    person = old_person(frozen_now)
    AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now + relativedelta(months=30),
        created_at=frozen_now - relativedelta(months=18),
    )
    with travel(frozen_now + relativedelta(months=28)):
        assert retention.archive_inactive_persons() == []
    assert not Person.objects.get(pk=person.pk).is_archived


def test_an_edit_keeps_the_record_alive_and_a_mere_reading_does_not(frozen_now, cpip):
    edited, only_read = old_person(frozen_now), old_person(frozen_now)
    identity = actions.Identity(
        last_name=edited.last_name, first_names="Paul", birth_date=edited.birth_date
    )
    actions.update_person(agent=cpip, person=edited, identity=identity)
    record("person.viewed", actor=cpip, target=only_read)
    assert retention.archive_inactive_persons() == [only_read.pk]


def test_an_unarchived_person_is_not_archived_again_the_next_night(frozen_now, make_agent, org):
    person = old_person(frozen_now)
    assert retention.archive_inactive_persons() == [person.pk]
    admin = make_agent("local_admin", service=org.spip_alpha)
    actions.unarchive_person(agent=admin, person=person)
    with travel(frozen_now + DAY):
        assert retention.archive_inactive_persons() == []
    with travel(frozen_now + YEAR):
        assert retention.archive_inactive_persons() == [person.pk]


def test_recent_sms_and_follows_are_activity(frozen_now, org, agendas):
    texted, followed = old_person(frozen_now), old_person(frozen_now)
    appointment = AppointmentFactory(
        person=texted,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - relativedelta(months=14),
        created_at=frozen_now - relativedelta(months=15),
    )
    message(appointment, sent_at=frozen_now - relativedelta(months=2))
    Follow.objects.create(person=followed, service=org.sap_alpha, since=frozen_now - DAY)
    assert retention.archive_inactive_persons() == []


def test_an_open_sispopp_situation_prevents_the_archive(frozen_now, org):
    person = old_person(frozen_now)
    situation(person, org)
    assert retention.archive_inactive_persons() == []


def test_the_automatic_archive_cancels_the_sms_not_yet_sent(frozen_now, agendas):
    person = old_person(frozen_now)
    appointment = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - relativedelta(months=14),
        created_at=frozen_now - relativedelta(months=15),
    )
    stuck = message(appointment)
    assert retention.archive_inactive_persons() == [person.pk]
    stuck.refresh_from_db()
    assert stuck.status == Message.Status.CANCELLED
    assert stuck.events.last().detail.startswith("Fiche archivée automatiquement")


def test_archiving_works_by_batches_and_skips_what_is_already_archived(frozen_now):
    persons = [old_person(frozen_now) for _ in range(5)]
    archived = retention.archive_inactive_persons(batch_size=2)
    assert archived == [person.pk for person in persons]
    assert retention.archive_inactive_persons(batch_size=2) == []
    assert Event.objects.filter(action="person.archived").count() == 5


def test_archiving_issues_the_same_queries_for_3_or_9_persons(frozen_now):
    for _ in range(3):
        old_person(frozen_now)
    archived = assert_queries_do_not_grow(
        retention.archive_inactive_persons,
        lambda: [old_person(frozen_now) for _ in range(9)],
        warm_up=False,  # a run archives what it finds: the first one is measured
    )
    assert len(archived) == 9


# --- Deletion ------------------------------------------------------------------------------


@pytest.fixture
def archived(frozen_now, org, agendas, cpip):
    """A person with a full file, archived by an agent now."""
    person = PersonFactory(
        last_name="Dupont-Secret", first_names="Lucie", phone="+33612345678",
        landline="+33388765432", email="lucie.secret@exemple.fr", address="7 impasse Cachée",
        postal_code="67400", city="Illkirch-Graffenstaden", lawyer="Maître Avocasse",
        followed_by=[org.spip_alpha, org.sap_alpha],
    )  # fmt: skip
    record("person.created", actor=cpip, target=person, details={"service": "SPIP Alpha"})
    record("person.viewed", actor=cpip, target=person)
    for day, status in [
        (dt.datetime(2027, 6, 1, 10, tzinfo=PARIS), Status.HONOURED),
        (dt.datetime(2027, 6, 30, 23, 30, tzinfo=PARIS), Status.MISSED),  # 21:30 UTC: June
        (dt.datetime(2027, 7, 1, 0, 30, tzinfo=PARIS), Status.MISSED),  # 30 June UTC: July
        (dt.datetime(2027, 7, 2, 9, tzinfo=PARIS), Status.CANCELLED),
    ]:
        appointment = AppointmentFactory(
            person=person, agenda=agendas.spip_alpha, starts_at=day, status=status,
            prosecution_number="27001234", created_at=frozen_now - relativedelta(months=2),
        )  # fmt: skip
        record(
            f"appointment.{status}",
            actor=cpip,
            target=appointment,
            details={"person": person.pk, "starts_at": day.isoformat()},
        )
        message(appointment, status=Message.Status.DELIVERED)
    actions.archive_person(agent=cpip, person=person)
    return person


def test_an_archived_person_is_deleted_6_months_after_archiving_not_a_day_earlier(
    frozen_now, archived
):
    with travel(frozen_now + HALF_YEAR - DAY):
        assert retention.delete_expired_archives().persons == 0
    assert Person.objects.filter(pk=archived.pk).exists()
    with travel(frozen_now + HALF_YEAR):
        deleted = retention.delete_expired_archives()
    assert (deleted.persons, deleted.appointments, deleted.messages) == (1, 4, 4)
    assert not Person.objects.filter(pk=archived.pk).exists()


def test_an_unarchived_person_is_not_deleted(frozen_now, archived, make_agent, org):
    actions.unarchive_person(
        agent=make_agent("local_admin", service=org.spip_alpha), person=archived
    )
    with travel(frozen_now + relativedelta(months=7)):
        assert retention.delete_expired_archives().persons == 0
    assert Person.objects.filter(pk=archived.pk).exists()


def test_deletion_removes_everything_personal(frozen_now, archived, cpip):
    actions.update_person(
        agent=cpip, person=archived,
        identity=actions.Identity(
            last_name=archived.last_name, first_names=archived.first_names,
            birth_date=archived.birth_date, phone=archived.phone, address="9 impasse Cachée",
        ),
    )  # fmt: skip
    appointments = list(Appointment.objects.filter(person=archived).values_list("pk", flat=True))
    messages = list(Message.objects.filter(person=archived).values_list("pk", flat=True))
    events_before = Event.objects.count()
    with travel(frozen_now + HALF_YEAR):
        retention.delete_expired_archives()
    assert not Person.objects.filter(pk=archived.pk).exists()
    assert not Follow.objects.filter(person_id=archived.pk).exists()
    assert not Appointment.objects.filter(pk__in=appointments).exists()
    assert not Message.objects.filter(pk__in=messages).exists()
    assert not MessageEvent.objects.filter(message_id__in=messages).exists()
    # Nothing in history names, numbers or points at the person any more.
    as_text = Event.objects.annotate(text=Cast("details", TextField()))
    for needle in (
        "Dupont", "Lucie", "+33612345678", "27001234", "+33388765432", "secret@", "Cachée",
        "67400", "Illkirch", "Avocasse",
    ):  # fmt: skip
        assert not as_text.filter(target_label__icontains=needle).exists()
        assert not as_text.filter(text__icontains=needle).exists()
    for model_events in (
        Event.objects.filter(target_type__model="person", target_id=str(archived.pk)),
        Event.objects.filter(
            target_type__model="appointment", target_id__in=map(str, appointments)
        ),
    ):
        assert not model_events.exists()
    # ... but the skeleton stays: who did what, when (and the run's summary is added).
    assert Event.objects.count() == events_before + 1
    skeleton = Event.objects.filter(target_type__model="person", target_id="", actor=cpip)
    assert sorted(skeleton.values_list("action", flat=True)) == [
        "person.archived", "person.created", "person.updated", "person.viewed",
    ]  # fmt: skip
    assert set(skeleton.values_list("target_label", flat=True)) == {""}
    assert all(details == {} for details in skeleton.values_list("details", flat=True))
    assert Event.objects.filter(target_type__model="appointment", target_id="").count() == 4


def test_deletion_keeps_correct_anonymous_counts(frozen_now, archived, org, agendas):
    follow_up = appointment_type("spip_follow_up")
    AppointmentCount.objects.create(
        day=dt.date(2027, 6, 30), service=org.spip_alpha, appointment_type=follow_up,
        status=Status.MISSED, reminder_delivered=True, count=10,
    )  # fmt: skip
    with travel(frozen_now + HALF_YEAR):
        retention.delete_expired_archives()
    counts = {
        (row.day, row.status, row.reminder_delivered): row.count
        for row in AppointmentCount.objects.filter(
            service=org.spip_alpha, appointment_type=follow_up
        )
    }
    assert counts == {  # each convocation had a delivered reminder
        (dt.date(2027, 6, 1), Status.HONOURED, True): 1,
        (dt.date(2027, 6, 30), Status.MISSED, True): 11,  # 10 before + 1 (23:30 local)
        (dt.date(2027, 7, 1), Status.MISSED, True): 1,  # 00:30 local on 1 July, 30 June in UTC
        (dt.date(2027, 7, 2), Status.CANCELLED, True): 1,
    }
    sms = {(row.day, row.kind, row.status): row.count for row in MessageCount.objects.all()}
    assert sms == {  # local days of ``send_after``, two days before each convocation
        (dt.date(2027, 5, 30), MessageKind.REMINDER, Message.Status.DELIVERED): 1,
        (dt.date(2027, 6, 28), MessageKind.REMINDER, Message.Status.DELIVERED): 1,
        (dt.date(2027, 6, 29), MessageKind.REMINDER, Message.Status.DELIVERED): 1,
        (dt.date(2027, 6, 30), MessageKind.REMINDER, Message.Status.DELIVERED): 1,
    }


def test_the_run_writes_one_summary_without_personal_data(frozen_now, archived):
    with travel(frozen_now + HALF_YEAR):
        retention.delete_expired_archives()
    summary = Event.objects.get(action="persons.deleted")
    assert (summary.actor, summary.target_type, summary.target_label) == (None, None, "")
    assert summary.details == {
        "persons": 1, "appointments": 4, "messages": 4, "events_erased": 7, "automatic": True,
    }  # fmt: skip


def test_a_second_run_changes_nothing(frozen_now, archived):
    with travel(frozen_now + HALF_YEAR):
        retention.delete_expired_archives()
        counts = list(AppointmentCount.objects.values_list("status", "count"))
        events = Event.objects.count()
        again = retention.delete_expired_archives()
        assert retention.archive_inactive_persons() == []
    assert (again.persons, again.appointments, again.events_erased) == (0, 0, 0)
    assert list(AppointmentCount.objects.values_list("status", "count")) == counts
    assert Event.objects.count() == events


def test_deleting_a_future_slot_convocation_gives_its_place_back(frozen_now, archived, agendas):
    slot = Slot.objects.create(
        agenda=agendas.spip_alpha, appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=frozen_now + relativedelta(months=8), duration_minutes=30, capacity=2,
        booked_count=2,
    )  # fmt: skip
    AppointmentFactory(
        person=archived, agenda=agendas.spip_alpha, slot=slot, starts_at=slot.starts_at,
        appointment_type=slot.appointment_type,
    )  # fmt: skip
    with travel(frozen_now + HALF_YEAR):
        assert retention.delete_expired_archives().appointments == 5
    slot.refresh_from_db()
    assert slot.booked_count == 1


def situation(person: Person, org) -> Situation:
    policy = Policy.objects.create(code="vif-test", label="VIF (test)")
    return Situation.objects.create(
        jurisdiction=org.tj_alpha, policy=policy, mec=person, next_review_on=dt.date(2027, 9, 1)
    )


def test_a_person_linked_to_a_sispopp_situation_is_kept(frozen_now, archived, org):
    situation(archived, org)
    with travel(frozen_now + HALF_YEAR):
        assert retention.delete_expired_archives().persons == 0
        plan = retention.plan()
    assert Person.objects.filter(pk=archived.pk).exists()
    assert [person.pk for person in plan.kept] == [archived.pk]


# --- Dry run, command and jobs ---------------------------------------------------------------


def table_sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Person, Follow, Appointment, Message, MessageEvent, AppointmentCount)
    } | {
        "Event": Event.objects.count(),
        "archived": Person.objects.filter(archived_at__isnull=False).count(),
    }


def test_the_dry_run_lists_what_would_change_and_changes_nothing(frozen_now, archived):
    with travel(frozen_now + HALF_YEAR):
        inactive = old_person(frozen_now)
        before = table_sizes()
        out = StringIO()
        call_command("retention", "--dry-run", stdout=out)
        assert table_sizes() == before
    text = out.getvalue()
    assert "Would archive 1 person(s) without activity since 2027-01-05 08:00 UTC:" in text
    assert f"  {inactive.pk} {inactive} (created 2025-07-05)" in text
    assert (
        "Would delete 1 person(s) archived before 2027-07-05 08:00 UTC, with 4 convocation(s) "
        "and 4 SMS; 7 history event(s) erased:"
    ) in text
    assert f"  {archived.pk} DUPONT-SECRET Lucie (archived 2027-07-05)" in text
    assert "Dry run: nothing changed." in text


def test_the_command_archives_and_deletes(frozen_now, archived):
    with travel(frozen_now + HALF_YEAR):
        inactive = old_person(frozen_now)
        out = StringIO()
        call_command("retention", stdout=out)
    assert "Archived 1 person(s)" in out.getvalue()
    assert "Deleted 1 person(s) archived for 6 months, with 4 convocation(s) and 4 SMS" in (
        out.getvalue()
    )
    assert Person.objects.get(pk=inactive.pk).is_archived
    assert not Person.objects.filter(pk=archived.pk).exists()


def test_the_periodic_jobs_run_the_retention(frozen_now, archived):
    from jalon.people.tasks import archive_inactive_persons, delete_expired_archives

    with travel(frozen_now + HALF_YEAR):
        inactive = old_person(frozen_now)
        archive_inactive_persons(timestamp=0)
        delete_expired_archives(timestamp=0)
    assert Person.objects.get(pk=inactive.pk).is_archived
    assert not Person.objects.filter(pk=archived.pk).exists()


# --- Concurrency -----------------------------------------------------------------------------


def in_parallel(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # re-raised below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.mark.django_db(transaction=True)
def test_two_deletion_runs_at_once_delete_each_person_once(org, agendas):
    start = dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC)
    with travel(start):
        persons = [PersonFactory(followed_by=[org.spip_alpha]) for _ in range(8)]
        for person in persons:
            AppointmentFactory(
                person=person, agenda=agendas.spip_alpha, starts_at=start - DAY,
                status=Status.MISSED,
            )  # fmt: skip
        Person.objects.update(archived_at=start)
    later = start + HALF_YEAR
    results = in_parallel(
        lambda: retention.delete_expired_archives(now=later, batch_size=2),
        lambda: retention.delete_expired_archives(now=later, batch_size=2),
    )
    assert sorted(results[0].ids + results[1].ids) == sorted(person.pk for person in persons)
    assert not Person.objects.exists()
    assert AppointmentCount.objects.get(status=Status.MISSED).count == 8
    summaries = Event.objects.filter(action="persons.deleted")
    assert sum(event.details["persons"] for event in summaries) == 8


@pytest.mark.django_db(transaction=True)
def test_two_archive_runs_at_once_archive_each_person_once(org):
    start = dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC)
    with travel(start - relativedelta(years=2)):
        persons = [PersonFactory() for _ in range(8)]
    results = in_parallel(
        lambda: retention.archive_inactive_persons(now=start, batch_size=2),
        lambda: retention.archive_inactive_persons(now=start, batch_size=2),
    )
    assert sorted(results[0] + results[1]) == sorted(person.pk for person in persons)
    assert Event.objects.filter(action="person.archived").count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_person_locked_by_a_booking_in_progress_is_left_for_the_next_night(org):
    start = dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC)
    with travel(start - relativedelta(years=2)):
        busy, idle = PersonFactory(), PersonFactory()
    locked, release = threading.Event(), threading.Event()

    def booking_in_progress():
        with transaction.atomic():
            Person.objects.select_for_update().get(pk=busy.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=booking_in_progress)
    thread.start()
    locked.wait(timeout=30)
    try:
        assert retention.archive_inactive_persons(now=start) == [idle.pk]
    finally:
        release.set()
        thread.join()
    assert retention.archive_inactive_persons(now=start) == [busy.pk]
