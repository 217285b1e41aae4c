"""Transfers, sortie d'audience (art. 474) and situations: each indicator equals a naive count.

Rows are built with factories (seeded random states, times close to midnight, the October
2026 clock change, a SPIP in Cayenne) and recounted in plain Python (``naive_flows``); then
retention deletes persons and old situations and no figure changes; ``stats_verify`` finds no
gap; a page's tables cost the same queries whatever the data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment
from jalon.cases.models import Execution, Judgment, LegalRule
from jalon.people import retention
from jalon.people.models import Person
from jalon.situations.models import Policy, Review, Situation
from jalon.stats import flows_exits, flows_situations, flows_transfers
from jalon.stats.models import ExitConvocationCount, SituationCount, TransferCount
from jalon.stats.queries import Area, Period
from jalon.stats.verify import verify
from jalon.stats.wilson import wilson_interval
from jalon.transfers.models import Transfer
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    PersonFactory,
    ProcedureFactory,
    SituationFactory,
    policy,
)
from tests.stats.naive_flows import (
    BuiltExit,
    BuiltNeed,
    BuiltSituation,
    BuiltTransfer,
    Rule,
    Rules,
    naive_exits,
    naive_situations,
    naive_transfers,
    nearest_rank,
    not_convoked,
)

PARIS = ZoneInfo("Europe/Paris")
CAYENNE = ZoneInfo("America/Cayenne")
TIMES = [(0, 10), (0, 45), (9, 0), (14, 30), (23, 15), (23, 55)]
TRANSFER_STATES = ["pending", "accepted", "accepted", "refused", "auto_accepted", "cancelled"]
EXIT_STATES = ["booked", "honoured", "missed", "cancelled", "honoured"]
TODAY = dt.date(2027, 7, 5)  # ``frozen_now`` in Paris
SEEDED_RULES = Rules({
    "spip": [Rule(dt.date(2020, 3, 24), None, 45)],
    "jap": [Rule(dt.date(2020, 3, 24), None, 30)],
})  # fmt: skip


@dataclass
class Built:
    transfers: list[BuiltTransfer]
    exits: list[BuiltExit]
    situations: list[BuiltSituation]
    needs: list[BuiltNeed]


def _local(rng: random.Random, day: dt.date, zone: ZoneInfo) -> dt.datetime:
    hour, minute = rng.choice(TIMES)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def make_transfer(service, created_at, status, decided_at, person=None) -> BuiltTransfer:
    person = person or PersonFactory()
    Transfer.objects.create(
        person=person, requesting_service=service, reason="Déménagement",
        created_at=created_at, status=status, decided_at=decided_at,
    )  # fmt: skip
    return BuiltTransfer(service.pk, service.time_zone, created_at, status, decided_at, person.pk)


def make_judgment(procedure, delivered_on, spip_by=None, jap_by=None, needs=None) -> Judgment:
    """A judgment and its execution (its TJ the procedure's, its art. 474 deadlines), kept in
    ``needs`` for the naive count when given."""
    judgment = Judgment.objects.create(
        procedure=procedure, delivered_on=delivered_on, delivery_mode="contradictoire"
    )
    Execution.objects.create(judgment=judgment, tribunal_id=procedure.tribunal_id,
                             spip_by=spip_by, jap_by=jap_by)  # fmt: skip
    if needs is not None:
        needs.append(BuiltNeed(judgment.pk, delivered_on, procedure.tribunal_id, spip_by, jap_by))
    return judgment


def set_deadlines(judgment, spip_by, jap_by, needs) -> None:
    Execution.objects.filter(judgment=judgment).update(spip_by=spip_by, jap_by=jap_by)
    needs.append(BuiltNeed(judgment.pk, judgment.delivered_on, judgment.procedure.tribunal_id,
                           spip_by, jap_by))  # fmt: skip


def make_exit(judgment, agenda, booked_by, starts_at, status, person) -> BuiltExit:
    service = agenda.place.service
    appointment = AppointmentFactory(
        agenda=agenda, service=service, starts_at=starts_at, status=status, judgment=judgment,
        created_by_service=booked_by, person=person,
    )  # fmt: skip
    return BuiltExit(judgment.pk, judgment.delivered_on, service.pk, service.kind, booked_by.pk,
                     service.time_zone, starts_at, status, appointment.pk, person.pk)  # fmt: skip


def make_situation(jurisdiction, chosen_policy, created_at, closed_on, next_review_on,
                   reviews) -> BuiltSituation:  # fmt: skip
    situation = SituationFactory(
        jurisdiction=jurisdiction, policy=chosen_policy, created_at=created_at,
        closed_on=closed_on, next_review_on=next_review_on,
    )  # fmt: skip
    for held_on in reviews:
        Review.objects.create(situation=situation, held_on=held_on, participants="Parquet",
                              next_review_on=held_on + dt.timedelta(days=30))  # fmt: skip
    return BuiltSituation(jurisdiction.pk, chosen_policy.pk, created_at, closed_on,
                          next_review_on, list(reviews), situation.pk)  # fmt: skip


@pytest.fixture
def flows_activity(frozen_now, org, agendas, guyane) -> Built:
    rng = random.Random(474)
    built = Built([], [], [], [])
    # Transfers: requested around the October 2026 clock change and in June 2027.
    for service in [org.spip_alpha, org.sap_alpha, org.bex_alpha, org.sap_beta, guyane]:
        zone = ZoneInfo(service.time_zone)
        for first, days, n in [(dt.date(2026, 10, 20), 14, 10), (dt.date(2027, 6, 1), 30, 5)]:
            for _ in range(n):
                created = _local(rng, first + dt.timedelta(days=rng.randrange(days)), zone)
                status = rng.choice(TRANSFER_STATES)
                decided = None
                if status != "pending":
                    decided = created + dt.timedelta(hours=rng.randrange(0, 400))
                built.transfers.append(make_transfer(service, created, status, decided))
    # Sorties d'audience: judgments of the BEX Alpha, convocations 30 to 50 days later.
    guyane_agenda = AgendaFactory(place__service=guyane)
    receiving = [agendas.spip_alpha, agendas.sap_alpha, agendas.sap_beta, guyane_agenda]
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    for first, days, n in [(dt.date(2026, 10, 20), 14, 24), (dt.date(2027, 5, 20), 20, 8)]:
        for _ in range(n):
            judgment = make_judgment(procedure, first + dt.timedelta(days=rng.randrange(days)))
            person = PersonFactory()
            first_exit = len(built.exits)
            for _ in range(rng.choice([1, 1, 2, 3])):
                agenda = rng.choice(receiving)
                zone = ZoneInfo(agenda.place.service.time_zone)
                day = judgment.delivered_on + dt.timedelta(days=rng.randrange(25, 50))
                booked_by = rng.choice([org.bex_alpha, agenda.place.service])
                built.exits.append(make_exit(judgment, agenda, booked_by, _local(rng, day, zone),
                                             rng.choice(EXIT_STATES), person))  # fmt: skip
            # Art. 474 deadlines (convoked or not of each kind), except on the judgments whose
            # convocations retention deletes below (``exits[::3]``: a deleted convocation is
            # not linked to its judgment any more; a party is never deleted, see the doc).
            if all(i % 3 for i in range(first_exit, len(built.exits))):
                on = judgment.delivered_on
                set_deadlines(judgment, rng.choice([None, on + dt.timedelta(days=45)]),
                              rng.choice([None, on + dt.timedelta(days=30)]), built.needs)  # fmt: skip
    # Judgments that needed a convocation and got none: deadlines long passed, passed the day
    # before the reading (4 July 2027), on the reading day (running), later; in TJ Alpha,
    # TJ Beta (the court of appeal's) and TJ Cayenne (another court of appeal).
    for tribunal in [org.tj_alpha, org.tj_beta, guyane.jurisdiction]:
        other = ProcedureFactory(tribunal=tribunal)
        for on in [dt.date(2026, 10, 21), dt.date(2026, 10, 25), dt.date(2027, 5, 20),
                   dt.date(2027, 5, 21), dt.date(2027, 6, 4), dt.date(2027, 6, 5),
                   dt.date(2027, 6, 20)]:  # fmt: skip
            spip_by = rng.choice([None, on + dt.timedelta(days=45)])
            jap_by = on + dt.timedelta(days=30) if spip_by is None else rng.choice(
                [None, on + dt.timedelta(days=30)])  # fmt: skip
            make_judgment(other, on, spip_by, jap_by, built.needs)
    # Situations: in four jurisdictions, two policies; old closed ones for retention.
    local_policy = Policy.objects.create(code="stups", label="Stupéfiants", jurisdiction=None)
    today = dt.date(2027, 7, 5)
    for jurisdiction in [org.tj_alpha, org.tj_beta, org.ca, guyane.jurisdiction]:
        for _ in range(6):
            created = _local(rng, dt.date(2026, 10, 20) + dt.timedelta(days=rng.randrange(14)),
                             PARIS)  # fmt: skip
            closed = rng.choice(
                [None, None, dt.date(2026, 11, 1) + dt.timedelta(rng.randrange(60))]
            )
            reviews = [dt.date(2026, 10, 20) + dt.timedelta(days=rng.randrange(40))
                       for _ in range(rng.randrange(3))]  # fmt: skip
            next_review = today + dt.timedelta(days=rng.randrange(-20, 40))
            built.situations.append(make_situation(
                jurisdiction, rng.choice([policy("vif"), local_policy]), created, closed,
                next_review, reviews,
            ))  # fmt: skip
        for _ in range(3):
            created = _local(rng, dt.date(2020, 5, 1) + dt.timedelta(days=rng.randrange(200)),
                             PARIS)  # fmt: skip
            closed = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randrange(60))
            built.situations.append(make_situation(
                jurisdiction, policy("vif"), created, closed, closed,
                [dt.date(2020, 12, 1) + dt.timedelta(days=rng.randrange(60))],
            ))  # fmt: skip
    return built


def areas(org, guyane):
    """name: (area, its services or None for all, its jurisdictions, the tribunals whose
    judgments not convoked it counts: none for a SPIP, the TJ for its BEX)."""
    return {
        "service": (Area("service", org.spip_alpha.pk), {org.spip_alpha.pk}, {org.tj_alpha.pk},
                    set()),
        "bex": (Area("service", org.bex_alpha.pk), {org.bex_alpha.pk}, {org.tj_alpha.pk},
                {org.tj_alpha.pk}),
        "jurisdiction": (Area("jurisdiction", org.tj_alpha.pk),
                         {org.spip_alpha.pk, org.sap_alpha.pk, org.bex_alpha.pk},
                         {org.tj_alpha.pk}, {org.tj_alpha.pk}),
        "court_of_appeal": (Area("court_of_appeal", org.ca.pk),
                            {org.spip_alpha.pk, org.sap_alpha.pk, org.bex_alpha.pk,
                             org.sap_beta.pk},
                            {org.ca.pk, org.tj_alpha.pk, org.tj_beta.pk},
                            {org.ca.pk, org.tj_alpha.pk, org.tj_beta.pk}),
        "overseas": (Area("service", guyane.pk), {guyane.pk}, {guyane.jurisdiction_id}, set()),
        "national": (Area("national"), None,
                     {org.ca.pk, org.tj_alpha.pk, org.tj_beta.pk, guyane.jurisdiction_id,
                      guyane.jurisdiction.court_of_appeal_id}, None),
    }  # fmt: skip


PERIODS = [
    (dt.date(2026, 10, 25), dt.date(2026, 10, 25)),  # the 25-hour day in Paris
    (dt.date(2026, 10, 22), dt.date(2026, 10, 28)),
    (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    (dt.date(2027, 5, 1), dt.date(2027, 7, 5)),
    (dt.date(2020, 1, 1), dt.date(2021, 12, 31)),  # the situations retention deletes
]


def assert_matches(figure_of, expected: dict[str, object]) -> None:
    for code, want in expected.items():
        figure = figure_of(code)
        if isinstance(want, tuple):
            numerator, denominator = want
            assert (figure.numerator, figure.denominator) == want, code
            assert figure.value == (numerator / denominator if denominator else None), code
            assert figure.interval == wilson_interval(numerator, denominator), code
        else:
            assert figure.value == want, code


def expected_all(built: Built, services, jurisdictions, tribunals, start,
                 end) -> dict[str, object]:  # fmt: skip
    everyone = {t.service_id for t in built.transfers}
    return {
        **naive_transfers(built.transfers, everyone if services is None else services, start, end),
        **naive_exits(
            built.exits, services, start, end, SEEDED_RULES, built.needs, tribunals, TODAY
        ),
        **naive_situations(built.situations, jurisdictions, start, end, TODAY),
    }


def figures(area: Area, period: Period, now: dt.datetime):
    transfers = flows_transfers.counted(area, period)
    exits = flows_exits.counted(area, period, now=now)
    situations = flows_situations.counted(area, period, now=now)

    def figure_of(code: str):
        if code.startswith("transfers_"):
            return transfers.figure(code)
        if code.startswith("exit_"):
            return exits[code.split("_")[1]].figure(code)
        return situations.figure(code)

    return figure_of


ALL_CODES = [*flows_transfers.INDICATORS, *flows_exits.INDICATORS, *flows_situations.INDICATORS]


@pytest.mark.parametrize("area_name", ["service", "bex", "jurisdiction", "court_of_appeal",
                                       "overseas", "national"])  # fmt: skip
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_every_flow_indicator_equals_a_naive_count(frozen_now, org, guyane, flows_activity,
                                                   area_name, start, end):  # fmt: skip
    area, services, jurisdictions, tribunals = areas(org, guyane)[area_name]
    expected = expected_all(flows_activity, services, jurisdictions, tribunals, start, end)
    assert set(expected) == set(ALL_CODES)
    assert_matches(figures(area, Period(start, end), frozen_now), expected)


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_each_bucket_equals_a_naive_count(frozen_now, org, guyane, flows_activity, grain):
    period = Period(dt.date(2026, 10, 14), dt.date(2026, 12, 20), grain)
    area = Area("court_of_appeal", org.ca.pk)
    _, services, jurisdictions, tribunals = areas(org, guyane)["court_of_appeal"]
    transfers = flows_transfers.counted(area, period)
    exits = flows_exits.counted(area, period, now=frozen_now)
    situations = flows_situations.counted(area, period, now=frozen_now)
    buckets = period.buckets()
    for i, bucket in enumerate(buckets):
        first = max(bucket, period.start)
        last = min(buckets[i + 1] - dt.timedelta(days=1), period.end) if i + 1 < len(buckets) \
            else period.end  # fmt: skip
        want = expected_all(flows_activity, services, jurisdictions, tribunals, first, last)
        for code in flows_transfers.INDICATORS:
            assert dict(transfers.by_bucket(code))[bucket].value == want[code], (code, bucket)
        for kind in ("spip", "jap"):
            got = dict(exits[kind].by_bucket(f"exit_{kind}_within"))[bucket]
            assert (got.numerator, got.denominator) == want[f"exit_{kind}_within"]
            got = dict(exits[kind].by_bucket(f"exit_{kind}_not_convoked"))[bucket]
            assert got.value == want[f"exit_{kind}_not_convoked"]
            got = dict(exits[kind].by_bucket(f"exit_{kind}_delay_p90"))[bucket]
            assert got.value == want[f"exit_{kind}_delay_p90"]
        for code in flows_situations.FLOW_CODES:
            got = dict(situations.flows.by_bucket(code))[bucket]
            assert got.value == want[code], (code, bucket)


def test_the_activity_holds_judgments_not_convoked_of_each_state(flows_activity):
    # Deadlines passed and running, of both kinds, convoked of the other kind or not at all:
    # the comparisons above test something.
    for kind in ("spip", "jap"):
        over, running = not_convoked(flows_activity.exits, flows_activity.needs, kind, None,
                                     dt.date(2020, 1, 1), dt.date(2027, 12, 31), TODAY)  # fmt: skip
        assert over >= 3 and running >= 3, kind
    assert any(n.spip_by and n.judgment_id in {b.judgment_id for b in flows_activity.exits}
               for n in flows_activity.needs)  # fmt: skip


def test_nearest_rank_percentiles():
    assert nearest_rank([], Fraction(1, 2)) is None
    assert nearest_rank([3, 1, 2], Fraction(1, 2)) == 2
    assert nearest_rank([1, 2, 3, 4], Fraction(1, 2)) == 2
    assert nearest_rank(list(range(1, 11)), Fraction(9, 10)) == 9
    assert nearest_rank(list(range(1, 12)), Fraction(9, 10)) == 10
    from jalon.stats.flowkit import Delays

    assert Delays({1: 1, 2: 1, 3: 1, 4: 1}).rank(1, 2) == 2
    assert Delays({1: 5, 7: 1}).rank(9, 10) == 7
    assert Delays({}).rank(1, 2) is None


# --- Article 474: the delay's edges ----------------------------------------------------------


def test_art474_delay_edges_midnight_time_zones_and_a_rule_changed_on_a_date(frozen_now, org,
                                                                           agendas, guyane):  # fmt: skip
    # The SPIP delay becomes 40 days for judgments from 1 March 2027 (the rule valid on the
    # judgment's day applies, whatever the day the convocation is on).
    LegalRule.objects.filter(key="delay.spip_after_judgment.days").update(
        valid_until=dt.date(2027, 2, 28)
    )
    LegalRule.objects.create(key="delay.spip_after_judgment.days", value=40,
                             valid_from=dt.date(2027, 3, 1), label="Délai SPIP (test)")  # fmt: skip
    rules = Rules({"spip": [Rule(dt.date(2020, 3, 24), dt.date(2027, 2, 28), 45),
                            Rule(dt.date(2027, 3, 1), None, 40)],
                   "jap": [Rule(dt.date(2020, 3, 24), None, 30)]})  # fmt: skip
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    guyane_agenda = AgendaFactory(place__service=guyane)
    built = []

    def exit_(delivered_on, agenda, local, status="booked"):
        judgment = make_judgment(procedure, delivered_on)
        built.append(make_exit(judgment, agenda, org.bex_alpha, local, status, PersonFactory()))

    feb = dt.date(2027, 2, 1)
    # Exactly 45 days at 23:55 in Paris: in the delay; 46 days at 00:10: out of it.
    exit_(feb, agendas.spip_alpha, dt.datetime(2027, 3, 18, 23, 55, tzinfo=PARIS))
    exit_(feb, agendas.spip_alpha, dt.datetime(2027, 3, 19, 0, 10, tzinfo=PARIS))
    # 22:30 in Cayenne on day 45 is day 46 in Paris and in UTC: in the delay.
    exit_(feb, guyane_agenda, dt.datetime(2027, 3, 18, 22, 30, tzinfo=CAYENNE))
    # The JAP: 30 days in, 31 days out.
    exit_(feb, agendas.sap_alpha, dt.datetime(2027, 3, 3, 9, 0, tzinfo=PARIS))
    exit_(feb, agendas.sap_alpha, dt.datetime(2027, 3, 4, 9, 0, tzinfo=PARIS))
    # The rule changed: 28 February + 44 days is in (45); 1 March + 44 days is out (40).
    exit_(dt.date(2027, 2, 28), agendas.spip_alpha, dt.datetime(2027, 4, 13, 10, tzinfo=PARIS))
    exit_(dt.date(2027, 3, 1), agendas.spip_alpha, dt.datetime(2027, 4, 14, 10, tzinfo=PARIS))
    exit_(dt.date(2027, 3, 1), agendas.spip_alpha, dt.datetime(2027, 4, 10, 10, tzinfo=PARIS))
    # A convocation moved (cancelled) then booked again later: the later one counts.
    judgment = make_judgment(procedure, dt.date(2027, 3, 10))
    person = PersonFactory()
    built.append(
        make_exit(
            judgment,
            agendas.spip_alpha,
            org.bex_alpha,
            dt.datetime(2027, 3, 20, 10, tzinfo=PARIS),
            "cancelled",
            person,
        )
    )
    built.append(
        make_exit(
            judgment,
            agendas.spip_alpha,
            org.bex_alpha,
            dt.datetime(2027, 5, 20, 10, tzinfo=PARIS),
            "booked",
            person,
        )
    )
    built.append(
        make_exit(
            judgment,
            agendas.spip_alpha,
            org.bex_alpha,
            dt.datetime(2027, 5, 25, 10, tzinfo=PARIS),
            "honoured",
            person,
        )
    )
    period = Period(dt.date(2027, 2, 1), dt.date(2027, 3, 31))
    exits = flows_exits.counted(Area("national"), period, now=frozen_now)
    assert exits["spip"].figure("exit_spip_within").numerator == 4
    assert exits["spip"].figure("exit_spip_within").denominator == 7
    assert exits["jap"].figure("exit_jap_within").numerator == 1
    assert exits["spip"].figure("exit_spip_delay_median").value == 45
    assert exits["spip"].figure("exit_spip_delay_p90").value == 71
    assert_matches(
        lambda code: exits[code.split("_")[1]].figure(code),
        naive_exits(built, None, period.start, period.end, rules),
    )
    # BEX Alpha booked them all; SPIP Alpha received 6 of the 7; TJ Alpha (its BEX) holds all 7.
    bex = flows_exits.counted(Area("service", org.bex_alpha.pk), period, now=frozen_now)
    assert bex["spip"].figure("exit_spip_convoked").value == 7
    spip = flows_exits.counted(Area("service", org.spip_alpha.pk), period, now=frozen_now)
    assert spip["spip"].figure("exit_spip_convoked").value == 6
    tj = flows_exits.counted(Area("jurisdiction", org.tj_alpha.pk), period, now=frozen_now)
    assert tj["spip"].figure("exit_spip_convoked").value == 7
    assert verify(Area("national"), period, now=frozen_now) == []


# --- Deletion keeps the past true ----------------------------------------------------------


def _snapshot(org, guyane, now):
    seen = {}
    for name, (area, _, _, _) in areas(org, guyane).items():
        for start, end in PERIODS:
            for grain in ("day", "week", "month"):
                period = Period(start, end, grain)
                figure_of = figures(area, period, now)
                exits = flows_exits.counted(area, period, now=now)
                seen[name, start, grain] = (
                    {code: figure_of(code) for code in ALL_CODES},
                    flows_transfers.counted(area, period).by_bucket("transfers_delay_median"),
                    exits["spip"].by_bucket("exit_spip_within"),
                    flows_situations.counted(area, period, now=now).by_policy("situations_closed"),
                )
    return seen


def test_figures_stay_true_after_retention_deletes_persons_and_situations(frozen_now, org, guyane,
                                                                          flows_activity):  # fmt: skip
    old_people = {t.person_id for t in flows_activity.transfers[::2]}
    old_people |= {b.person_id for b in flows_activity.exits[::3]}
    Person.objects.filter(pk__in=old_people).update(archived_at=frozen_now - dt.timedelta(days=200))
    before = _snapshot(org, guyane, frozen_now)
    assert retention.delete_expired_situations(now=frozen_now).situations == 12
    assert retention.delete_expired_archives(now=frozen_now).persons == len(old_people)
    assert not Transfer.objects.filter(person_id__in=old_people).exists()
    assert not Appointment.objects.filter(person_id__in=old_people).exists()
    assert TransferCount.objects.exists() and ExitConvocationCount.objects.exists()
    assert SituationCount.objects.filter(event="review").exists()
    assert Situation.objects.count() == len(flows_activity.situations) - 12
    assert _snapshot(org, guyane, frozen_now) == before
    for area, services, jurisdictions, tribunals in areas(org, guyane).values():
        for start, end in PERIODS:
            assert_matches(figures(area, Period(start, end), frozen_now),
                           expected_all(flows_activity, services, jurisdictions, tribunals,
                                        start, end))  # fmt: skip
    for start, end in PERIODS:
        assert verify(Area("national"), Period(start, end, "month"), now=frozen_now) == []


# --- stats_verify ---------------------------------------------------------------------------


@pytest.mark.parametrize("area_name", ["bex", "court_of_appeal", "overseas", "national"])
@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_stats_verify_finds_no_gap(frozen_now, org, guyane, flows_activity, area_name, grain):
    area = areas(org, guyane)[area_name][0]
    for start, end in PERIODS[1:4]:
        assert verify(area, Period(start, end, grain), now=frozen_now) == []


def test_stats_verify_reports_a_planted_gap(frozen_now, org, flows_activity):
    TransferCount.objects.create(day=dt.date(2026, 10, 22), service=org.spip_alpha,
                                 status="refused", delay_days=3, count=2)  # fmt: skip
    gaps = verify(Area("national"), Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month"),
                  now=frozen_now)  # fmt: skip
    # Counted by the indicators and by the recount alike: no gap. A row out of both's reach
    # (a service's count the recount does not read) is what a gap looks like:
    assert gaps == []
    from jalon.stats import verify_flows

    recounted = verify_flows.recount_transfers(
        Area("national"), Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month")
    )
    recounted[(dt.date(2026, 10, 1), "")]["refused"] += 1
    counted = flows_transfers.transfer_tallies(
        Area("national"), Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month")
    )
    found = verify_flows._compare("transferts", counted, recounted, flows_transfers.TransferTally)
    assert [(g.what, g.field) for g in found] == [("transferts", "refused")]


# --- Query counts ---------------------------------------------------------------------------


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_tables_cost_the_same_queries_whatever_the_data(frozen_now, org, guyane, agendas):
    period = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31), "week")
    area = Area("court_of_appeal", org.ca.pk)

    def run():
        for module in (flows_transfers, flows_exits, flows_situations):
            module.tables_for(area, period, period.previous(), now=frozen_now)

    empty = _queries(run)
    assert empty == 4 + 6 + 10
    # Add data to every family.
    rng = random.Random(1)
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    for i in range(5):
        created = dt.datetime(2026, 10, 5 + i, 10, tzinfo=PARIS)
        make_transfer(org.spip_alpha, created, "accepted", created + dt.timedelta(days=i))
        judgment = make_judgment(procedure, dt.date(2026, 10, 5 + i))
        make_exit(
            judgment,
            agendas.spip_alpha,
            org.bex_alpha,
            _local(rng, dt.date(2026, 11, 10 + i), PARIS),
            "honoured",
            PersonFactory(),
        )
        make_situation(org.tj_alpha, policy("vif"), created, dt.date(2026, 11, 1 + i),
                       dt.date(2027, 7, 1), [dt.date(2026, 10, 20 + i)])  # fmt: skip
    assert _queries(run) == empty
    tables = [t for m in (flows_transfers, flows_exits, flows_situations)
              for t in m.tables_for(area, period, period.previous(), now=frozen_now)]  # fmt: skip
    by_key = {t.key: t for t in tables}
    assert by_key["transferts"].rows[0][1] == "5"
    assert by_key["sorties_audience"].rows[0][1] == "5"
    assert by_key["situations_par_politique"].rows[0][0] == policy("vif").label


def test_service_kind_decides_which_families_a_dashboard_shows(frozen_now, org):
    from jalon.stats import flows

    period = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    keys = {t.key for t in flows.service_tables(org.bex_alpha, period, period.previous(),
                                                 now=frozen_now)}  # fmt: skip
    assert keys == {"transferts", "transferts_par_periode", "sorties_audience",
                    "sorties_audience_par_periode"}  # fmt: skip
    national = flows.service_tables(org.national, period, period.previous(), now=frozen_now)
    assert {t.key for t in national} == {"transferts", "transferts_par_periode"}
    assert ServiceKind.SAP in flows_exits.SERVICE_KINDS
