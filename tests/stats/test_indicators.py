"""Indicators are exact by construction: each equals a count written naively in the test.

Convocations and SMS are built with factories in known numbers (local times chosen around
midnight, a daylight-saving change and an overseas time zone); the expected figures are
recomputed here in plain Python from the list of what was built, never by calling the
implementation. Deleting persons by retention must not change any figure.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment
from jalon.people import retention
from jalon.people.models import Person
from jalon.sms.models import Message
from jalon.stats.figures import Tallies
from jalon.stats.indicators import BASE_FAMILIES, INDICATORS
from jalon.stats.queries import Area, Period
from jalon.stats.wilson import wilson_interval
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    CourtOfAppealFactory,
    MessageFactory,
    PersonFactory,
    ServiceFactory,
    TribunalFactory,
    appointment_type,
)

Status = Appointment.Status
SmsStatus = Message.Status
REMINDER_STATES = [
    None, SmsStatus.DELIVERED, SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED,
    SmsStatus.SENT, SmsStatus.CANCELLED,
]  # fmt: skip
STATUSES = [Status.HONOURED, Status.HONOURED, Status.MISSED, Status.EXCUSED, Status.CANCELLED,
            Status.BOOKED]  # fmt: skip


@dataclass
class Built:
    """One convocation as the test made it: what a naive count needs."""

    service_id: int
    local: dt.datetime  # aware, in the service's zone
    status: str
    reminder: str | None
    type_code: str
    person_id: int
    starts_at: dt.datetime  # UTC

    @property
    def day(self) -> dt.date:
        return self.local.date()

    @property
    def reminder_day(self) -> dt.date:
        # 48 hours before the start (the factory's ``send_after``), not "two calendar days":
        # across the October clock change they differ by an hour.
        return (self.starts_at - dt.timedelta(hours=48)).astimezone(self.local.tzinfo).date()


@pytest.fixture
def guyane(org):
    """A SPIP in Cayenne (UTC−3 all year, no daylight saving) in its own court of appeal."""
    ca = CourtOfAppealFactory(code="ca-cayenne", name="Cour d’appel de Cayenne")
    tj = TribunalFactory(code="tj-cayenne", name="TJ Cayenne", court_of_appeal=ca)
    return ServiceFactory(
        name="SPIP Guyane", kind=ServiceKind.SPIP, jurisdiction=tj, served=[tj],
        time_zone="America/Cayenne", holiday_subdivision="973",
    )  # fmt: skip


def build(service, agenda, local: dt.datetime, status: str, reminder: str | None,
          type_code: str = "spip_follow_up") -> Built:  # fmt: skip
    starts_at = local.astimezone(dt.UTC)
    appointment = AppointmentFactory(
        agenda=agenda, service=service, starts_at=starts_at, status=status,
        appointment_type=appointment_type(type_code),
        person=PersonFactory(followed_by=[service]),
    )  # fmt: skip
    if reminder is not None:
        MessageFactory(appointment=appointment, status=reminder)
    return Built(service.pk, local, status, reminder, type_code, appointment.person_id, starts_at)


def scatter(rng: random.Random, service, agenda, first: dt.date, days: int, n: int) -> list[Built]:
    """``n`` convocations on random local days and times, many close to midnight."""
    zone = ZoneInfo(service.time_zone)
    built = []
    for _ in range(n):
        day = first + dt.timedelta(days=rng.randrange(days))
        hour, minute = rng.choice([(0, 15), (0, 45), (9, 0), (14, 30), (23, 15), (23, 50)])
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
        built.append(build(service, agenda, local, rng.choice(STATUSES), rng.choice(REMINDER_STATES),
                           rng.choice(["spip_follow_up", "spip_first"])))  # fmt: skip
    return built


# --- The naive recomputation -----------------------------------------------------------------


def naive(built: list[Built], services: set[int], start: dt.date, end: dt.date, now: dt.datetime):
    rows = [b for b in built if b.service_id in services and start <= b.day <= end]
    honoured = [b for b in rows if b.status == Status.HONOURED]
    missed = [b for b in rows if b.status == Status.MISSED]
    reminded = SmsStatus.DELIVERED
    sms = [b for b in built if b.service_id in services and b.reminder is not None
           and start <= b.reminder_day <= end]  # fmt: skip
    expected = {
        "appointments_booked": len(rows),
        "appointments_honoured": len(honoured),
        "appointments_missed": len(missed),
        "appointments_excused": sum(b.status == Status.EXCUSED for b in rows),
        "appointments_cancelled": sum(b.status == Status.CANCELLED for b in rows),
        "appointments_without_outcome": sum(
            b.status == Status.BOOKED and b.starts_at < now for b in rows
        ),
        "absenteeism_rate": (len(missed), len(honoured) + len(missed)),
        "absenteeism_with_reminder": (
            sum(b.reminder == reminded for b in missed),
            sum(b.reminder == reminded for b in honoured + missed),
        ),
        "absenteeism_without_reminder": (
            sum(b.reminder != reminded for b in missed),
            sum(b.reminder != reminded for b in honoured + missed),
        ),
        "sms_left": sum(
            b.reminder in (SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.UNDELIVERED) for b in sms
        ),
        "sms_delivered": sum(b.reminder == SmsStatus.DELIVERED for b in sms),
        "sms_undelivered": sum(b.reminder == SmsStatus.UNDELIVERED for b in sms),
        "sms_failed": sum(b.reminder == SmsStatus.FAILED for b in sms),
        "sms_cancelled": sum(b.reminder == SmsStatus.CANCELLED for b in sms),
        "sms_delivery_rate": (
            sum(b.reminder == SmsStatus.DELIVERED for b in sms),
            sum(b.reminder in (SmsStatus.DELIVERED, SmsStatus.UNDELIVERED) for b in sms),
        ),
    }
    return expected


def assert_figures_equal(tallies: Tallies, expected: dict) -> None:
    assert set(expected) == {c for c, i in INDICATORS.items() if i.family in BASE_FAMILIES}
    for code, want in expected.items():
        figure = tallies.figure(code)
        if isinstance(want, tuple):
            numerator, denominator = want
            assert (figure.numerator, figure.denominator) == want, code
            assert figure.value == (numerator / denominator if denominator else None), code
            if figure.interval is not None:
                assert figure.interval == wilson_interval(numerator, denominator)
        else:
            assert figure.value == want, code


# --- Tests -----------------------------------------------------------------------------------


@pytest.fixture
def activity(frozen_now, org, agendas, guyane):
    """Random but seeded activity in three services, around the October 2026 clock change
    (Paris: 25 October, 03:00 → 02:00) and, for "without outcome", around now."""
    rng = random.Random(16)
    guyane_agenda = AgendaFactory(place__service=guyane)
    built = []
    for service, agenda in [(org.spip_alpha, agendas.spip_alpha), (org.sap_alpha, agendas.sap_alpha),
                            (org.sap_beta, agendas.sap_beta), (guyane, guyane_agenda)]:  # fmt: skip
        built += scatter(rng, service, agenda, dt.date(2026, 10, 20), 14, 25)
        built += scatter(rng, service, agenda, dt.date(2027, 7, 1), 10, 10)
    return built


AREAS = {
    "service": lambda org, guyane: (Area("service", org.spip_alpha.pk), {org.spip_alpha.pk}),
    "jurisdiction": lambda org, guyane: (
        Area("jurisdiction", org.tj_alpha.pk),
        {org.spip_alpha.pk, org.sap_alpha.pk},
    ),
    "court_of_appeal": lambda org, guyane: (
        Area("court_of_appeal", org.ca.pk),
        {org.spip_alpha.pk, org.sap_alpha.pk, org.sap_beta.pk},
    ),
    "overseas": lambda org, guyane: (Area("service", guyane.pk), {guyane.pk}),
    "national": lambda org, guyane: (
        Area("national"),
        {org.spip_alpha.pk, org.sap_alpha.pk, org.sap_beta.pk, guyane.pk},
    ),
}
PERIODS = [
    (dt.date(2026, 10, 25), dt.date(2026, 10, 25)),  # the 25-hour day in Paris
    (dt.date(2026, 10, 22), dt.date(2026, 10, 28)),
    (dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
    (dt.date(2027, 7, 1), dt.date(2027, 7, 10)),  # around now: without outcome and upcoming
]


@pytest.mark.parametrize("area_name", list(AREAS))
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_every_indicator_equals_a_naive_count(frozen_now, org, guyane, activity, area_name,
                                              start, end):  # fmt: skip
    area, services = AREAS[area_name](org, guyane)
    tallies = Tallies.count(area, Period(start, end), now=frozen_now)
    assert_figures_equal(tallies, naive(activity, services, start, end, frozen_now))


def test_a_convocation_belongs_to_its_service_s_local_day(frozen_now, org, agendas, guyane):
    cayenne, paris = ZoneInfo("America/Cayenne"), ZoneInfo("Europe/Paris")
    guyane_agenda = AgendaFactory(place__service=guyane)
    # 22:30 in Cayenne on 31 January is 1 February in UTC and in Paris.
    build(guyane, guyane_agenda, dt.datetime(2027, 1, 31, 22, 30, tzinfo=cayenne), Status.MISSED,
          None)  # fmt: skip
    # 00:30 in Paris on 1 February is still 31 January in UTC.
    build(org.spip_alpha, agendas.spip_alpha, dt.datetime(2027, 2, 1, 0, 30, tzinfo=paris),
          Status.HONOURED, None)  # fmt: skip
    # 02:30 on 25 October 2026 happens twice in Paris: both are that day.
    for fold in (0, 1):
        local = dt.datetime(2026, 10, 25, 2, 30, fold=fold, tzinfo=paris)
        build(org.spip_alpha, agendas.spip_alpha, local, Status.HONOURED, None)

    def missed_and_honoured(area, start, end, grain="day"):
        tallies = Tallies.count(area, Period(start, end, grain), now=frozen_now)
        return [(bucket, f.numerator, f.denominator) for bucket, f in
                tallies.by_bucket("absenteeism_rate") if f.denominator]  # fmt: skip

    january = (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    february = (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert missed_and_honoured(Area("service", guyane.pk), *january) == [
        (dt.date(2027, 1, 31), 1, 1)
    ]
    assert missed_and_honoured(Area("service", guyane.pk), *february) == []
    assert missed_and_honoured(Area("national"), *january, "month") == [(dt.date(2027, 1, 1), 1, 1)]
    assert missed_and_honoured(Area("national"), *february, "month") == [
        (dt.date(2027, 2, 1), 0, 1)
    ]
    assert missed_and_honoured(Area("service", org.spip_alpha.pk), dt.date(2026, 10, 25),
                               dt.date(2026, 10, 25)) == [(dt.date(2026, 10, 25), 0, 2)]  # fmt: skip
    assert missed_and_honoured(Area("national"), dt.date(2026, 10, 24), dt.date(2026, 10, 26)) == [
        (dt.date(2026, 10, 25), 0, 2)
    ]


def test_weeks_start_on_monday_and_empty_buckets_are_shown(frozen_now, org, agendas):
    paris = ZoneInfo("Europe/Paris")
    # Sunday 1 November 2026 late evening and Monday 2 November just after midnight.
    build(org.spip_alpha, agendas.spip_alpha, dt.datetime(2026, 11, 1, 23, 50, tzinfo=paris),
          Status.MISSED, None)  # fmt: skip
    build(org.spip_alpha, agendas.spip_alpha, dt.datetime(2026, 11, 2, 0, 10, tzinfo=paris),
          Status.HONOURED, None)  # fmt: skip
    tallies = Tallies.count(
        Area("service", org.spip_alpha.pk),
        Period(dt.date(2026, 10, 26), dt.date(2026, 11, 15), "week"),
        now=frozen_now,
    )
    assert [(bucket, f.value) for bucket, f in tallies.by_bucket("appointments_booked")] == [
        (dt.date(2026, 10, 26), 1), (dt.date(2026, 11, 2), 1), (dt.date(2026, 11, 9), 0),
    ]  # fmt: skip


def test_figures_stay_true_after_retention_deletes_persons(frozen_now, org, guyane, activity):
    """Half the persons of the old period are deleted: every figure of every area stays."""
    old = [b for b in activity if b.day < dt.date(2027, 1, 1)]
    doomed = [b.person_id for b in old[::2]]
    Person.objects.filter(pk__in=doomed).update(archived_at=frozen_now - dt.timedelta(days=200))
    before = {}
    for name, make in AREAS.items():
        area, services = make(org, guyane)
        for start, end in PERIODS:
            for grain in ("day", "week", "month"):
                tallies = Tallies.count(area, Period(start, end, grain), now=frozen_now)
                before[name, start, grain] = (
                    tallies.figures(), tallies.by_bucket("absenteeism_rate"),
                    tallies.by_second_key("appointments_missed"),
                )  # fmt: skip
    deleted = retention.delete_expired_archives(now=frozen_now)
    assert deleted.persons == len(doomed)
    assert not Appointment.objects.filter(person_id__in=doomed).exists()
    for name, make in AREAS.items():
        area, services = make(org, guyane)
        for start, end in PERIODS:
            for grain in ("day", "week", "month"):
                tallies = Tallies.count(area, Period(start, end, grain), now=frozen_now)
                assert_figures_equal(tallies, naive(activity, services, start, end, frozen_now))
                figures, buckets, types = before[name, start, grain]
                assert tallies.figures() == figures
                assert tallies.by_bucket("absenteeism_rate") == buckets
                assert tallies.by_second_key("appointments_missed") == types


def test_absenteeism_leaves_out_convocations_without_outcome_but_shows_them(frozen_now, org,
                                                                            agendas):  # fmt: skip
    paris = ZoneInfo("Europe/Paris")
    for hour, status in [(9, Status.HONOURED), (10, Status.MISSED), (11, Status.BOOKED),
                         (12, Status.BOOKED), (13, Status.EXCUSED)]:  # fmt: skip
        build(org.spip_alpha, agendas.spip_alpha, dt.datetime(2027, 6, 1, hour, tzinfo=paris),
              status, None)  # fmt: skip
    figure = Tallies.count(
        Area("service", org.spip_alpha.pk),
        Period(dt.date(2027, 6, 1), dt.date(2027, 6, 1)),
        now=timezone.now(),
    ).figure("absenteeism_rate")
    assert (figure.value, figure.aside) == (0.5, 2)
    assert figure.interval == wilson_interval(1, 2)
