"""Legal rules as data: the value valid on a day, clear errors, one query per day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalon.cases import law
from jalon.cases.models import LegalRule

pytestmark = pytest.mark.django_db


def test_the_value_is_the_one_valid_on_the_day_asked():
    assert law.rule("limitation.years.delit", datetime.date(2017, 2, 28)) == 3
    assert law.rule("limitation.years.delit", datetime.date(2017, 3, 1)) == 6
    assert law.rule("limitation.years.crime", datetime.date(2030, 1, 1)) == 20
    assert law.rule("limitation.years.contravention", datetime.date(2030, 1, 1)) == 1


def test_the_probationary_warning_replaced_the_rappel_a_la_loi_on_1_january_2023():
    before = law.rule("orientation.alternative.kinds", datetime.date(2022, 12, 31))
    after = law.rule("orientation.alternative.kinds", datetime.date(2023, 1, 1))
    assert "rappel_a_la_loi" in before and "probationary_warning" not in before
    assert "probationary_warning" in after and "rappel_a_la_loi" not in after


def test_a_missing_rule_says_which_key_and_which_day():
    with pytest.raises(law.MissingRule, match=r"« delay\.unknown » .* le 01/02/2027"):
        law.rule("delay.unknown", datetime.date(2027, 2, 1))


def test_a_rule_not_yet_valid_is_missing():
    LegalRule.objects.create(
        key="court.name.test",
        value="Tribunal test",
        valid_from=datetime.date(2029, 1, 1),
        label="t",
    )
    assert not law.has_rule("court.name.test", datetime.date(2028, 12, 31))
    assert law.rule("court.name.test", datetime.date(2029, 1, 1)) == "Tribunal test"


def test_two_rows_valid_the_same_day_are_refused_rather_than_chosen_between():
    LegalRule.objects.create(
        key="limitation.years.delit", value=7, valid_from=datetime.date(2028, 1, 1), label="t"
    )
    with pytest.raises(law.MissingRule, match="Plusieurs règles"):
        law.rule("limitation.years.delit", datetime.date(2028, 6, 1))


def test_the_admin_form_refuses_an_overlapping_period():
    rule = LegalRule(
        key="limitation.years.delit", value=7, valid_from=datetime.date(2028, 1, 1), label="t"
    )
    with pytest.raises(ValidationError, match="chevauche"):
        rule.clean()
    closed = LegalRule.objects.get(key="limitation.years.delit", valid_until__isnull=True)
    closed.valid_until = datetime.date(2027, 12, 31)
    closed.save()
    rule.clean()  # once the current row ends the day before, the new one fits


def test_rules_of_one_day_cost_one_query_and_a_change_is_seen_at_once():
    day = datetime.date(2027, 5, 1)
    with law.cached():
        with CaptureQueriesContext(connection) as captured:
            law.rule("limitation.years.delit", day)
            law.rule("limitation.years.crime", day)
            law.rule("orientation.allowed.delit", day)
        assert len(captured.captured_queries) == 1
        LegalRule.objects.filter(key="limitation.years.crime", valid_until__isnull=True).update(
            valid_until=datetime.date(2027, 4, 30)
        )
        LegalRule.objects.create(
            key="limitation.years.crime", value=30, valid_from=datetime.date(2027, 5, 1), label="t"
        )  # save() clears the cache
        assert law.rule("limitation.years.crime", day) == 30


def test_outside_a_request_nothing_is_kept_so_a_worker_sees_changes():
    day = datetime.date(2027, 5, 1)
    assert law.rule("court.name.police", day) == "Tribunal de police"
    LegalRule.objects.filter(key="court.name.police").update(value="Tribunal de police bis")
    assert law.rule("court.name.police", day) == "Tribunal de police bis"
