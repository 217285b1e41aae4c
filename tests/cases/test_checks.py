"""Consistency checks: blocks where the law is clear, warnings to acknowledge elsewhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jalon.cases import checks
from jalon.cases.models import Orientation
from tests.factories import OffenceFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2027, 7, 5)
K = Orientation.Kind


def codes(findings):
    return [finding.code for finding in findings]


def test_facts_in_the_future_are_blocked_with_both_dates():
    [finding] = checks.check_facts_dates(D(2027, 7, 6), None, received_on=None, today=TODAY)
    assert finding.blocks and finding.field == "facts_from"
    assert "06/07/2027" in finding.message and "05/07/2027" in finding.message


def test_facts_after_the_receipt_are_blocked():
    [finding] = checks.check_facts_dates(
        D(2027, 3, 2), None, received_on=D(2027, 3, 1), today=TODAY
    )
    assert finding.code == checks.FACTS_AFTER_RECEIPT
    assert "reçue le 01/03/2027" in finding.message


def test_a_reversed_period_is_blocked_and_a_sound_one_passes():
    assert codes(
        checks.check_facts_dates(D(2027, 2, 1), D(2027, 1, 1), received_on=None, today=TODAY)
    ) == [checks.FACTS_PERIOD_REVERSED]
    assert (
        checks.check_facts_dates(
            D(2027, 1, 1), D(2027, 2, 1), received_on=D(2027, 3, 1), today=TODAY
        )
        == []
    )


@pytest.mark.parametrize(
    ("kind", "facts", "quiet_on", "warned_on", "limit"),
    [
        ("contravention", D(2026, 3, 1), D(2027, 3, 1), D(2027, 3, 2), "01/03/2027"),
        ("delit", D(2020, 1, 10), D(2026, 1, 10), D(2026, 1, 11), "10/01/2026"),
        ("crime", D(2005, 6, 1), D(2025, 6, 1), D(2025, 6, 2), "01/06/2025"),
    ],
)
def test_facts_older_than_the_ordinary_limitation_warn_with_the_date(
    kind, facts, quiet_on, warned_on, limit
):
    assert checks.check_limitation(kind, facts, on=quiet_on) == []
    [finding] = checks.check_limitation(kind, facts, on=warned_on, natinf=42)
    assert finding.severity == checks.WARNING
    assert limit in finding.message and "NATINF 42" in finding.message


def test_the_limitation_period_is_the_one_in_force_on_the_day_of_the_check():
    # A délit of 2012: 3 years under the old article 8, 6 years from 1 March 2017.
    assert checks.check_limitation("delit", D(2012, 1, 1), on=D(2017, 2, 28))
    assert "6 ans" in checks.check_limitation("delit", D(2010, 1, 1), on=D(2017, 3, 1))[0].message


def test_an_offence_retired_before_the_facts_is_blocked():
    offence = OffenceFactory(number=1234, retired_from=D(2025, 1, 1))
    [finding] = checks.check_offence_in_force(offence, D(2025, 1, 1))
    assert finding.blocks
    assert "NATINF 1234 n’était pas en vigueur le 01/01/2025" in finding.message
    assert "plus en vigueur depuis le 01/01/2025" in finding.message
    assert checks.check_offence_in_force(offence, D(2024, 12, 31)) == []


def test_an_offence_not_yet_in_force_on_the_facts_date_is_blocked():
    offence = OffenceFactory(in_force_from=D(2026, 7, 1))
    [finding] = checks.check_offence_in_force(offence, D(2026, 6, 30))
    assert "n’est en vigueur que depuis le 01/07/2026" in finding.message


def test_a_crime_is_dismissed_or_investigated_only():
    assert checks.allowed_orientations(["crime", "delit"], minor=False, on=TODAY) == [
        K.DISMISSAL,
        K.JUDICIAL_INVESTIGATION,
    ]


def test_contraventions_alone_go_to_the_police_court_whatever_their_class():
    allowed = checks.allowed_orientations(["contravention"], minor=False, on=TODAY)
    assert K.POLICE_COURT_SUMMONS in allowed
    assert not {K.DIRECT_SUMMONS, K.CRPC, K.IMMEDIATE_TRIAL, K.COPJ} & set(allowed)


def test_a_contravention_joined_to_a_delit_follows_the_delit():
    allowed = checks.allowed_orientations(["contravention", "delit"], minor=False, on=TODAY)
    assert K.DIRECT_SUMMONS in allowed and K.CRPC in allowed
    assert K.POLICE_COURT_SUMMONS not in allowed


def test_a_minor_at_the_facts_gets_no_crpc_penal_order_nor_immediate_trial():
    allowed = checks.allowed_orientations(["delit"], minor=True, on=TODAY)
    assert not {K.CRPC, K.PENAL_ORDER, K.IMMEDIATE_TRIAL} & set(allowed)
    assert K.PENAL_COMPOSITION in allowed and K.COPJ in allowed


def test_without_any_charge_only_a_dismissal_is_possible():
    assert checks.allowed_orientations([], minor=None, on=TODAY) == [K.DISMISSAL]


@pytest.mark.parametrize(
    ("kind", "kinds", "minor", "expected"),
    [
        (K.CRPC, ["crime"], False, "comporte un crime"),
        (K.PENAL_COMPOSITION, ["crime"], False, "comporte un crime"),
        (K.DIRECT_SUMMONS, ["contravention"], False, "que des contraventions"),
        (K.POLICE_COURT_SUMMONS, ["delit", "contravention"], False, "comporte un délit"),
        (K.CRPC, ["delit"], True, "mineure au moment des faits"),
        (K.IMMEDIATE_TRIAL, ["delit"], True, "mineure au moment des faits"),
    ],
)
def test_an_orientation_the_law_excludes_is_blocked_with_the_reason(kind, kinds, minor, expected):
    [finding] = checks.check_orientation(kind, kinds=kinds, minor=minor, on=TODAY)
    assert finding.blocks and finding.field == "kind"
    assert expected in finding.message


def test_the_rappel_a_la_loi_no_longer_exists_after_2022():
    [finding] = checks.check_orientation(
        K.ALTERNATIVE,
        kinds=["delit"],
        minor=False,
        on=D(2023, 1, 2),
        alternative_kind="rappel_a_la_loi",
    )
    assert "avertissement pénal probatoire a remplacé le rappel à la loi" in finding.message
    assert (
        checks.check_orientation(
            K.ALTERNATIVE,
            kinds=["delit"],
            minor=False,
            on=D(2022, 6, 1),
            alternative_kind="rappel_a_la_loi",
        )
        == []
    )


def test_enforce_refuses_blocks_asks_for_warnings_and_returns_the_acknowledged():
    block = checks.Finding("b", checks.BLOCK, "Bloqué.", "natinf")
    warning = checks.Finding("w", checks.WARNING, "Attention.")
    with pytest.raises(ValidationError) as refused:
        checks.enforce([block, warning], {"w"})
    assert refused.value.message_dict == {"natinf": ["Bloqué."]}
    with pytest.raises(checks.WarningsToAcknowledge) as asked:
        checks.enforce([warning])
    assert asked.value.warnings == [warning]
    assert checks.enforce([warning], {"w"}) == [warning]


def test_the_court_seized_is_named_from_the_rules_and_the_tribunal():
    name = "Tribunal judiciaire de Strasbourg"
    assert checks.court_for(K.COPJ, minor=False, on=TODAY, tribunal_name=name) == (
        "Tribunal correctionnel de Strasbourg"
    )
    assert checks.court_for(K.COPJ, minor=True, on=TODAY, tribunal_name=name) == (
        "Tribunal pour enfants de Strasbourg"
    )
    assert checks.court_for(
        K.POLICE_COURT_SUMMONS, minor=False, on=TODAY, tribunal_name="TJ Alpha"
    ) == ("Tribunal de police (TJ Alpha)")
    assert checks.court_for(K.DISMISSAL, minor=False, on=TODAY, tribunal_name=name) == ""
