"""The per-day counts the database keeps (``stats/maintained.py``) equal a recount of the rows.

The recount here reads the convocations and SMS with plain SQL, computes each local day in
Python with ``zoneinfo`` and the delivered reminder from the SMS rows: it shares nothing with
the triggers it checks. Every write path counts: the ORM one row at a time, one statement on
many rows (bulk insert, queryset update, deletion), a receipt through the SMS action, a
rolled-back transaction (which must leave nothing), and ``COPY``-like bulk loads that
``rebuild`` recounts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from jalon.appointments.models import Appointment
from jalon.people.models import Person
from jalon.sms.actions import apply_receipt
from jalon.sms.models import Message, MessageKind
from jalon.sms.providers.base import DeliveryState
from jalon.sms.providers.linkmobility import Report
from jalon.stats import maintained
from jalon.stats.models import AppointmentDayChange, MessageDayChange
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    MessageFactory,
    PersonFactory,
    appointment_type,
)

Status = Appointment.Status
PARIS = ZoneInfo("Europe/Paris")


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def recount() -> tuple[Counter, Counter]:
    zones = dict(_rows("SELECT id, time_zone FROM access_service"))
    reminded = {
        appointment_id
        for appointment_id, kind, status in _rows(
            "SELECT appointment_id, kind, status FROM sms_message"
        )
        if kind == MessageKind.REMINDER and status == Message.Status.DELIVERED
    }
    appointments: Counter = Counter()
    for pk, service, kind, status, starts_at in _rows(
        "SELECT id, service_id, appointment_type_id, status, starts_at "
        "FROM appointments_appointment"
    ):
        day = starts_at.astimezone(ZoneInfo(zones[service])).date()
        appointments[(day, service, kind, status, pk in reminded)] += 1
    messages: Counter = Counter()
    for service, kind, status, send_after in _rows(
        "SELECT service_id, kind, status, send_after FROM sms_message"
    ):
        messages[
            (send_after.astimezone(ZoneInfo(zones[service])).date(), service, kind, status)
        ] += 1
    return appointments, messages


def kept() -> tuple[Counter, Counter]:
    """What the day rows and the pending changes add up to (zero counts left out)."""
    result = []
    for day, change, key in (
        (maintained.APPOINTMENT_DAY, maintained.APPOINTMENT_CHANGE, maintained.APPOINTMENT_KEY),
        (maintained.MESSAGE_DAY, maintained.MESSAGE_CHANGE, maintained.MESSAGE_KEY),
    ):
        rows = _rows(
            f"SELECT {key}, sum(count) FROM (SELECT {key}, count FROM {day} "  # noqa: S608
            f"UNION ALL SELECT {key}, count FROM {change}) x GROUP BY {key}"
        )
        result.append(Counter({tuple(row[:-1]): row[-1] for row in rows if row[-1]}))
    return result[0], result[1]


def assert_exact() -> None:
    assert kept() == recount()


def book(service, local: dt.datetime, status=Status.BOOKED, **kwargs) -> Appointment:
    return AppointmentFactory(
        agenda=AgendaFactory(place__service=service),
        service=service,
        starts_at=local.astimezone(dt.UTC),
        status=status,
        appointment_type=appointment_type("spip_follow_up"),
        person=PersonFactory(followed_by=[service]),
        **kwargs,
    )


@pytest.fixture
def spip(org):
    return org.spip_alpha


def test_each_write_moves_exactly_its_counts(spip):
    # 23:30 in Paris is the next day in UTC: the local day is the one counted.
    late = book(spip, dt.datetime(2027, 3, 1, 23, 30, tzinfo=PARIS))
    other = book(spip, dt.datetime(2027, 3, 2, 9, 0, tzinfo=PARIS))
    assert_exact()
    reminder = MessageFactory(appointment=late, status=Message.Status.SENT)
    assert_exact()
    Appointment.objects.filter(pk=late.pk).update(status=Status.HONOURED)
    assert_exact()
    # A receipt through the SMS action: the convocation moves to "with a delivered reminder".
    apply_receipt(
        report=Report(str(reminder.uuid), DeliveryState.DELIVERED, False, 1001, reminder.send_after)
    )
    assert Message.objects.get(pk=reminder.pk).status == Message.Status.DELIVERED
    assert_exact()
    # The convocation moves day after its reminder was delivered; then the outcome changes.
    moved = dt.timedelta(days=3)
    Appointment.objects.filter(pk=late.pk).update(
        starts_at=late.starts_at + moved, ends_at=late.ends_at + moved
    )
    Appointment.objects.filter(pk=late.pk).update(status=Status.MISSED)
    assert_exact()
    # A change of a column no count depends on writes no change row.
    changes = AppointmentDayChange.objects.count()
    Appointment.objects.filter(pk=other.pk).update(prosecution_number="12345678901")
    assert AppointmentDayChange.objects.count() == changes
    # The reminder leaves "delivered", then comes back; then the person is deleted.
    Message.objects.filter(pk=reminder.pk).update(status=Message.Status.UNDELIVERED)
    assert_exact()
    Message.objects.filter(pk=reminder.pk).update(status=Message.Status.DELIVERED)
    assert_exact()
    Person.objects.filter(pk=late.person_id).delete()
    assert_exact()


def test_a_statement_on_many_rows_is_counted_grouped(spip, org):
    day = dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)
    first = book(spip, day)
    Appointment.objects.bulk_create(
        [
            Appointment(
                person=first.person,
                agenda=first.agenda,
                service=spip,
                appointment_type=first.appointment_type,
                starts_at=first.starts_at + dt.timedelta(minutes=15 * i),
                ends_at=first.starts_at + dt.timedelta(minutes=15 * i + 15),
                status=Status.BOOKED,
                created_by_service=spip,
            )
            for i in range(1, 41)
        ]
    )
    before = AppointmentDayChange.objects.count()
    # One statement for 41 convocations: one change row per key, not per convocation.
    Appointment.objects.filter(service=spip).update(status=Status.HONOURED)
    assert AppointmentDayChange.objects.count() == before + 2
    assert_exact()
    Appointment.objects.filter(service=spip).delete()
    assert_exact()


def test_a_rolled_back_write_leaves_no_change(spip):
    book(spip, dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS))
    maintained.fold()
    with pytest.raises(RuntimeError), transaction.atomic():
        book(spip, dt.datetime(2027, 3, 1, 11, 0, tzinfo=PARIS))
        Appointment.objects.update(status=Status.CANCELLED)
        raise RuntimeError
    assert not AppointmentDayChange.objects.exists()
    assert not MessageDayChange.objects.exists()
    assert_exact()


def test_fold_moves_the_changes_and_rebuild_recounts(spip):
    appointment = book(spip, dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS))
    MessageFactory(appointment=appointment, status=Message.Status.DELIVERED)
    Appointment.objects.filter(pk=appointment.pk).update(status=Status.HONOURED)
    assert AppointmentDayChange.objects.exists()
    maintained.fold()
    assert not AppointmentDayChange.objects.exists()
    assert not MessageDayChange.objects.exists()
    assert_exact()
    # A load that bypassed the triggers (as the dataset generator's COPY does) is recounted.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {maintained.APPOINTMENT_DAY}")  # noqa: S608
    assert kept() != recount()
    maintained.rebuild()
    assert_exact()
    assert not AppointmentDayChange.objects.exists()


def test_a_truncated_table_recounts(spip):
    appointment = book(spip, dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS))
    MessageFactory(appointment=appointment, status=Message.Status.DELIVERED)
    maintained.fold()
    with connection.cursor() as cursor:
        # TRUNCATE fires no delete trigger (the dataset's --reset, a test's cleanup). The
        # deferred foreign-key checks of this test's transaction must run first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE sms_message CASCADE")
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appointments_appointment CASCADE")
    assert kept() == recount() == (Counter(), Counter())
