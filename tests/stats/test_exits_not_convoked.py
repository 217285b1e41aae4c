"""Art. 474: a judgment that needed a sortie d'audience convocation and got none.

It lowers the share within the legal delay once its deadline has passed (the day before the
reading day in Paris or earlier), and is shown beside the share while the delay runs. It
belongs to the tribunal that executes the judgment (its BEX, its greffe correctionnel, its
court of appeal, the nation), never to a SPIP or a SAP. Every reading passes ``now``
explicitly; the clock itself stays frozen elsewhere (``frozen_now``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jalon.access.roles import ServiceKind
from jalon.cases.actions import judgments as judgment_actions
from jalon.cases.models import ChargeDecision
from jalon.stats import flows_exits
from jalon.stats.queries import Area, Period
from jalon.stats.verify import verify
from tests.cases.judgment_world import oriented_case
from tests.factories import PersonFactory, ProcedureFactory, ServiceFactory
from tests.stats.test_flows import make_exit, make_judgment

PARIS = ZoneInfo("Europe/Paris")
DELIVERED = dt.date(2027, 5, 10)
DEADLINE = DELIVERED + dt.timedelta(days=45)  # 24 June 2027
# 23:30 in Paris on the deadline (still 24 June in UTC too): the delay runs.
ON_DEADLINE = dt.datetime(2027, 6, 24, 21, 30, tzinfo=dt.UTC)
# 00:30 in Paris the day after (still 24 June in UTC): the delay is over.
DAY_AFTER = dt.datetime(2027, 6, 24, 22, 30, tzinfo=dt.UTC)
PERIOD = Period(dt.date(2027, 5, 1), dt.date(2027, 5, 31), "week")

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def world(org, agendas):
    """One judgment convoked to the SPIP within the delay, one with a SPIP deadline and no
    convocation (the one under test), both executed by TJ Alpha; services around them."""
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    convoked = make_judgment(procedure, DELIVERED, spip_by=DEADLINE)
    make_exit(convoked, agendas.spip_alpha, org.bex_alpha,
              dt.datetime(2027, 6, 1, 10, tzinfo=PARIS), "booked", PersonFactory())  # fmt: skip
    missing = make_judgment(procedure, DELIVERED, spip_by=DEADLINE)
    registry = ServiceFactory(name="Greffe Alpha", kind=ServiceKind.CORRECTIONAL_REGISTRY,
                              jurisdiction=org.tj_alpha)  # fmt: skip
    bex_beta = ServiceFactory(name="BEX Beta", kind=ServiceKind.BEX, jurisdiction=org.tj_beta)
    return {"missing": missing, "registry": registry, "bex_beta": bex_beta}


def spip(area: Area, now: dt.datetime):
    tallies = flows_exits.counted(area, PERIOD, now=now)["spip"]
    return tallies.figure("exit_spip_within"), tallies.figure("exit_spip_not_convoked").value


def areas(org, world) -> dict[str, Area]:
    return {
        "national": Area("national"),
        "court_of_appeal": Area("court_of_appeal", org.ca.pk),
        "jurisdiction": Area("jurisdiction", org.tj_alpha.pk),
        "bex": Area("service", org.bex_alpha.pk),
        "registry": Area("service", world["registry"].pk),
        "spip": Area("service", org.spip_alpha.pk),
        "sap": Area("service", org.sap_alpha.pk),
        "other_tj": Area("jurisdiction", org.tj_beta.pk),
        "other_bex": Area("service", world["bex_beta"].pk),
    }


# (numerator, denominator, aside, not convoked) of the SPIP share for each area.
ON_DEADLINE_SEEN = {
    "national": (1, 1, 1, 1),
    "court_of_appeal": (1, 1, 1, 1),
    "jurisdiction": (1, 1, 1, 1),
    "bex": (1, 1, 1, 1),
    "registry": (0, 0, 1, 1),  # it booked neither convocation, but it is the TJ's greffe
    "spip": (1, 1, None, 0),  # it received the convocation; a missing one is not its own
    "sap": (0, 0, None, 0),
    "other_tj": (0, 0, None, 0),
    "other_bex": (0, 0, None, 0),
}
DAY_AFTER_SEEN = {
    "national": (1, 2, None, 1),
    "court_of_appeal": (1, 2, None, 1),
    "jurisdiction": (1, 2, None, 1),
    "bex": (1, 2, None, 1),
    "registry": (0, 1, None, 1),
    "spip": (1, 1, None, 0),
    "sap": (0, 0, None, 0),
    "other_tj": (0, 0, None, 0),
    "other_bex": (0, 0, None, 0),
}


def seen(org, world, now) -> dict[str, tuple]:
    found = {}
    for name, area in areas(org, world).items():
        share, missing = spip(area, now)
        found[name] = (share.numerator, share.denominator, share.aside, missing)
    return found


def test_a_judgment_not_convoked_is_beside_the_share_then_lowers_it(org, world):
    assert seen(org, world, ON_DEADLINE) == ON_DEADLINE_SEEN
    assert seen(org, world, DAY_AFTER) == DAY_AFTER_SEEN
    share, _ = spip(Area("national"), ON_DEADLINE)
    assert share.value == 1.0
    assert share.aside_label.startswith("personnes à convoquer non convoquées")
    share, _ = spip(Area("national"), DAY_AFTER)
    assert share.value == 0.5
    # The JAP figures know nothing of it (no JAP deadline).
    jap = flows_exits.counted(Area("national"), PERIOD, now=DAY_AFTER)["jap"]
    assert jap.figure("exit_jap_not_convoked").value == 0
    assert jap.figure("exit_jap_within").denominator == 0
    for area in areas(org, world).values():
        assert verify(area, PERIOD, now=DAY_AFTER) == []


def test_a_cancelled_or_another_kind_of_convocation_does_not_convoke(org, agendas, world):
    judgment = world["missing"]
    make_exit(judgment, agendas.spip_alpha, org.bex_alpha,
              dt.datetime(2027, 6, 10, 10, tzinfo=PARIS), "cancelled", PersonFactory())  # fmt: skip
    make_exit(judgment, agendas.sap_alpha, org.bex_alpha,
              dt.datetime(2027, 6, 2, 10, tzinfo=PARIS), "booked", PersonFactory())  # fmt: skip
    share, missing = spip(Area("national"), DAY_AFTER)
    assert (share.numerator, share.denominator, missing) == (1, 2, 1)
    assert verify(Area("national"), PERIOD, now=DAY_AFTER) == []


def test_a_convocation_booked_from_the_judgment_removes_it(org, agendas, world):
    # Booked late (out of the delay): convoked, counted out of the delay, no longer missing.
    make_exit(world["missing"], agendas.spip_alpha, org.bex_alpha,
              dt.datetime(2027, 7, 1, 10, tzinfo=PARIS), "booked", PersonFactory())  # fmt: skip
    for name in ("national", "jurisdiction", "bex", "spip"):
        share, missing = spip(areas(org, world)[name], DAY_AFTER)
        assert (share.numerator, share.denominator, share.aside, missing) == (1, 2, None, 0)
    share, missing = spip(areas(org, world)["registry"], DAY_AFTER)
    assert (share.denominator, missing) == (0, 0)
    assert verify(Area("national"), PERIOD, now=DAY_AFTER) == []


def test_a_jap_deadline_counts_for_the_jap_only(org):
    make_judgment(ProcedureFactory(tribunal=org.tj_beta), DELIVERED,
                  jap_by=DELIVERED + dt.timedelta(days=30))  # fmt: skip
    exits = flows_exits.counted(Area("court_of_appeal", org.ca.pk), PERIOD, now=DAY_AFTER)
    assert exits["jap"].figure("exit_jap_not_convoked").value == 1
    assert exits["jap"].figure("exit_jap_within").denominator == 1
    assert exits["spip"].figure("exit_spip_not_convoked").value == 0
    tj_alpha = flows_exits.counted(Area("jurisdiction", org.tj_alpha.pk), PERIOD, now=DAY_AFTER)
    assert tj_alpha["jap"].figure("exit_jap_not_convoked").value == 0


def test_a_judgment_recorded_by_the_greffe_is_counted_until_convoked(org, make_agent):
    """Through the real action: a sursis probatoire with the person present sets the SPIP
    deadline; nobody convokes: the TJ's greffe and the nation see it."""
    case = oriented_case(org)
    judgment = judgment_actions.record_judgment(
        agent=make_agent("greff_co", service=case.registry),
        procedure=case.procedure,
        party=case.party,
        delivered_on=DELIVERED,
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[
            judgment_actions.SentenceInput("probation", months=12, suspended_months=12,
                                           probation_months=24, obligations=["soins"])
        ],
    )  # fmt: skip
    assert judgment.execution.spip_by == DEADLINE
    for area in (Area("national"), Area("service", case.registry.pk)):
        share, missing = spip(area, DAY_AFTER)
        assert (share.denominator, missing) == (1, 1)
        share, missing = spip(area, ON_DEADLINE)
        assert (share.denominator, share.aside, missing) == (0, 1, 1)
    assert verify(Area("service", case.registry.pk), PERIOD, now=DAY_AFTER) == []
