"""Penal-chain indicators equal a naive recount of what the test built (``naive_chain``).

Three TJs in two courts of appeal, seeded random procedures received around month ends,
orientations replaced the same day or later, appeal decisions, executions taken in hand near
midnight in Paris and across the March clock change; five areas, four periods, three grains.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalon.cases.models import Orientation, Procedure
from jalon.people import retention
from jalon.people.models import Person
from jalon.stats.chain import ChainCounts, percentile
from jalon.stats.chain_indicators import CHAIN_INDICATORS, by_bucket, chain_figure
from jalon.stats.chain_tables import tables_for
from jalon.stats.indicators import INDICATORS
from jalon.stats.queries import Area, Period
from jalon.stats.verify import verify
from jalon.stats.verify_chain import compare_chain, recount, verify_chain
from tests.factories import CourtOfAppealFactory, ProcedureFactory, TribunalFactory
from tests.stats.naive_chain import buckets, build_world, expected

NOW = dt.datetime(2027, 6, 1, 10, 0, tzinfo=dt.UTC)
PERIODS = [
    Period(dt.date(2027, 1, 1), dt.date(2027, 1, 31), "week"),
    Period(dt.date(2026, 12, 15), dt.date(2027, 3, 31), "month"),
    Period(dt.date(2027, 1, 31), dt.date(2027, 2, 1), "day"),
    Period(dt.date(2027, 3, 27), dt.date(2027, 3, 28), "day"),
]
DELAYS = {code for code, i in CHAIN_INDICATORS.items() if i.unit == "jours"}
SECOND = {
    "chain_registrations": ["police", "gendarmerie", "complaint", "other"],
    "chain_orientations": [kind for kind, _ in Orientation.Kind.choices],
    "chain_judgments": ["contradictoire", "par_defaut", "contradictoire_a_signifier", ""],
}


@pytest.fixture
def tribunals(db):
    north = CourtOfAppealFactory(code="ca-nord", name="Cour d’appel du Nord")
    south = CourtOfAppealFactory(code="ca-sud", name="Cour d’appel du Sud")
    return [
        TribunalFactory(code="tj-un", name="TJ Un", court_of_appeal=north),
        TribunalFactory(code="tj-deux", name="TJ Deux", court_of_appeal=north),
        TribunalFactory(code="tj-trois", name="TJ Trois", court_of_appeal=south),
    ]


@pytest.fixture
def world(tribunals):
    return build_world(random.Random(1607), tribunals)


def areas(tribunals):
    return [
        Area("national"),
        *(Area("jurisdiction", tj.pk) for tj in tribunals[:2]),
        Area("court_of_appeal", tribunals[0].court_of_appeal_id),
        Area("court_of_appeal", tribunals[2].court_of_appeal_id),
    ]


def assert_figure(code: str, figure, want, *, pending: bool = True) -> None:
    if code in DELAYS:
        value, count, awaiting = want
        assert (figure.value, figure.numerator) == (value, count), code
        assert figure.aside == (awaiting if pending else None), code
    elif isinstance(want, tuple):
        numerator, denominator = want
        assert (figure.numerator, figure.denominator) == want, code
        assert figure.value == (numerator / denominator if denominator else None), code
    else:
        assert figure.value == want, code


def test_the_world_has_what_the_indicators_must_handle(world):
    """The seed gives every case the tests claim to cover."""
    assert any(o.superseded_on == o.decided_on for o in world.orientations)
    assert any(o.superseded_on and o.superseded_on > o.decided_on for o in world.orientations)
    assert any(o.party is None for o in world.orientations)
    assert any(j.appeal for j in world.judgments)
    assert {tuple(j.verdicts) for j in world.judgments} >= {("guilty",), ("relaxe",), ()}
    hours = {e.taken_at.hour for e in world.executions if e.taken_at}
    assert {22, 23} <= hours  # 23:30 UTC is the next day in Paris
    assert any(e.executable_on and e.taken_at is None for e in world.executions)
    long = expected(world, "national", None, dt.date(2026, 12, 15), dt.date(2027, 3, 31))
    assert long["chain_delay_to_judgment_median"][1] >= 10
    assert long["chain_delay_to_execution_median"][1] >= 8


def test_every_chain_indicator_equals_a_naive_count(world, tribunals):
    for area in areas(tribunals):
        for period in PERIODS:
            counts = ChainCounts.count(area, period)
            want = expected(world, area.kind, area.id, period.start, period.end)
            assert set(want) == set(CHAIN_INDICATORS)
            for code, value in want.items():
                assert_figure(code, chain_figure(counts, code), value)


def test_every_breakdown_equals_a_naive_count(world, tribunals):
    """By origin, by orientation kind, by delivery mode; and bucket by bucket."""
    for area in areas(tribunals):
        for period in PERIODS:
            counts = ChainCounts.count(area, period)
            for code, indicator in CHAIN_INDICATORS.items():
                for second in SECOND.get(indicator.family, []):
                    want = expected(world, area.kind, area.id, period.start, period.end, second)
                    assert_figure(code, chain_figure(counts, code, second), want[code])
                figures = dict(by_bucket(counts, code))
                spans = buckets(period.start, period.end, period.grain)
                assert list(figures) == [bucket for bucket, _, _ in spans]
                for bucket, first, last in spans:
                    want = expected(world, area.kind, area.id, first, last)[code]
                    assert_figure(code, figures[bucket], want, pending=False)


def test_the_indicators_are_in_the_global_registry():
    assert set(CHAIN_INDICATORS) <= set(INDICATORS)
    for indicator in CHAIN_INDICATORS.values():
        assert indicator.dimension_labels  # every dimension has a French label
        assert "service" not in indicator.dimensions


def test_percentile_is_an_observed_value_of_rank_ceiling():
    assert percentile(Counter(), 1, 2) is None
    assert percentile(Counter({7: 1}), 9, 10) == 7
    assert percentile(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 1, 2) == 2  # lower middle
    assert percentile(Counter({1: 1, 2: 1, 3: 1}), 1, 2) == 2
    days = Counter(dict.fromkeys(range(1, 71), 1))
    assert percentile(days, 9, 10) == 63  # ⌈0.9 × 70⌉ = 63, where 0.9 * 70 in floats is 63.0…1
    assert percentile(Counter({0: 9, 100: 1}), 9, 10) == 0


def test_a_service_area_has_no_penal_chain_figure(db):
    with pytest.raises(ValueError):
        ChainCounts.count(Area("service", 1), PERIODS[0])
    assert verify_chain(Area("service", 1), PERIODS[0]) == []


@pytest.mark.parametrize("seeded", [False, True], ids=["empty", "seeded"])
def test_the_tables_cost_a_fixed_number_of_queries(seeded, tribunals):
    if seeded:
        build_world(random.Random(3), tribunals, n=25)
    period = PERIODS[1]
    for area in [Area("national"), Area("jurisdiction", tribunals[0].pk)]:
        with CaptureQueriesContext(connection) as queries:
            result = tables_for(area, period, period.previous(), now=NOW)
        assert len(queries.captured_queries) == 12
        assert [t.key for t in result] == [
            "chaine_penale", "chaine_orientations", "chaine_delais", "chaine_enregistrements",
            "chaine_jugements", "chaine_par_periode",
        ]  # fmt: skip


def test_the_tables_show_the_figures_and_the_previous_period(world, tribunals):
    period = PERIODS[1]
    area = Area("court_of_appeal", tribunals[0].court_of_appeal_id)
    summary, kinds, delays, origins, modes, by_period = tables_for(
        area, period, period.previous(), now=NOW
    )
    want = expected(world, area.kind, area.id, period.start, period.end)
    before = expected(world, area.kind, area.id, period.previous().start, period.previous().end)
    rows = {row[0]: row for row in summary.rows}
    registered = rows["Procédures enregistrées"]
    assert registered[1] == str(want["chain_registered"])
    assert registered[2] == str(before["chain_registered"])
    assert summary.indicators[0].code == "chain_registered"
    median = rows["Délai médian de la réception au jugement"]
    value, count, awaiting = want["chain_delay_to_judgment_median"]
    assert median[1] == (f"{value} j" if value is not None else "–")
    assert f"calculé sur {count} jugements" in median[4]
    assert f"{awaiting} mis en cause renvoyés" in median[4]
    assert kinds.rows[-1][1] == want["chain_oriented"]
    assert sum(row[1] for row in kinds.rows[:-1]) == want["chain_oriented"]
    assert delays.rows[0][1:5] == [value, want["chain_delay_to_judgment_p90"][0], count, awaiting]
    assert sum(row[1] for row in origins.rows) == want["chain_registered"]
    assert sum(row[1] for row in modes.rows) == want["chain_judgments"]
    assert sum(row[1] for row in by_period.rows) == want["chain_registered"]


def test_stats_verify_finds_no_gap_in_the_penal_chain(world, tribunals):
    for area in areas(tribunals):
        for period in PERIODS:
            assert verify_chain(area, period) == [], (area, period)
    assert verify(Area("national"), PERIODS[1], now=NOW) == []


def test_stats_verify_reports_a_planted_difference(world, tribunals):
    period = PERIODS[0]
    counted = ChainCounts.count(Area("national"), period)
    ProcedureFactory(tribunal=tribunals[0], received_on=dt.date(2027, 1, 6), origin="complaint")
    gaps = compare_chain(counted, recount(Area("national"), period))
    planted = [g for g in gaps if g.field == "registered"]
    assert len(planted) == 1
    assert planted[0].key == "04/01/2027 complaint"
    assert planted[0].recounted == planted[0].counted + 1
    assert any(g.what == "chain_registered" for g in gaps)


def test_retention_never_deletes_the_penal_chain(world, tribunals):
    """A person who is a party is never deleted (the foreign key protects them), so the
    procedures and every count stay."""
    counts = {
        period: ChainCounts.count(Area("national"), period) for period in PERIODS
    }  # fmt: skip
    parties = Person.objects.filter(procedure_parties__isnull=False).distinct()
    assert parties.exists()
    parties.update(archived_at=NOW - dt.timedelta(days=400))
    retention.delete_expired_archives(now=NOW)
    assert Person.objects.filter(procedure_parties__isnull=False).count() == parties.count()
    assert Procedure.objects.count() == len(world.procedures)
    for period, before in counts.items():
        assert ChainCounts.count(Area("national"), period) == before
