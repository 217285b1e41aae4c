"""The legal calendar of a judgment, without the database (jalon/cases/delays.py)."""

from datetime import date

import pytest

from jalon.cases.delays import (
    AppealCalendar,
    Delivery,
    appeal_calendar,
    convocation_deadlines,
    delay_start,
    general_prosecutor_last_day,
    is_executable,
    is_final,
    last_day,
    out_of_delay,
)

TEN = 10


def test_a_contradictory_judgment_runs_from_its_pronouncement_the_day_itself_not_counted():
    cal = appeal_calendar(Delivery.CONTRADICTORY, date(2026, 3, 2), None, appeal_days=TEN)
    assert cal.starts_on == date(2026, 3, 2)
    assert cal.last_day == date(2026, 3, 12)  # a Thursday, until midnight
    assert cal.final_on == date(2026, 3, 13)


@pytest.mark.parametrize("delivery", [Delivery.DEFAULT, Delivery.CONTRADICTORY_TO_SERVE])
def test_default_and_to_serve_judgments_wait_for_their_service(delivery):
    waiting = appeal_calendar(delivery, date(2026, 3, 2), None, appeal_days=TEN)
    assert waiting.awaiting_service
    assert waiting.last_day is None and waiting.final_on is None
    served = appeal_calendar(delivery, date(2026, 3, 2), date(2026, 4, 20), appeal_days=TEN)
    assert served.starts_on == date(2026, 4, 20)
    assert served.last_day == date(2026, 4, 30)


def test_a_service_does_not_matter_for_a_contradictory_judgment():
    assert delay_start("contradictoire", date(2026, 3, 2), date(2026, 4, 1)) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("event", "subdivision", "expected"),
    [
        # Ends on a Sunday: moved to Monday (Cass. crim. example, 14 → 24 April 2016).
        (date(2016, 4, 14), "", date(2016, 4, 25)),
        # Ends on 14 July, a Tuesday: moved to the 15th.
        (date(2026, 7, 4), "", date(2026, 7, 15)),
        # Ends on Ascension Thursday 2026: moved to the Friday.
        (date(2026, 5, 4), "", date(2026, 5, 15)),
        # Good Friday 2027 is worked in the mainland ...
        (date(2027, 3, 16), "", date(2027, 3, 26)),
        # ... not in Alsace-Moselle, then the weekend, then Easter Monday.
        (date(2027, 3, 16), "6AE", date(2027, 3, 30)),
        (date(2027, 3, 16), "57", date(2027, 3, 30)),
        # 26 December 2025 (a Friday): Saint-Étienne in Alsace-Moselle only.
        (date(2025, 12, 16), "", date(2025, 12, 26)),
        (date(2025, 12, 16), "6AE", date(2025, 12, 29)),
        # Across the new year: 1 January is a holiday everywhere.
        (date(2026, 12, 22), "", date(2027, 1, 4)),  # 1 Jan Friday, then the weekend
    ],
)
def test_a_delay_ending_on_a_day_off_moves_to_the_next_working_day(event, subdivision, expected):
    assert last_day(event, TEN, subdivision) == expected


def test_the_number_of_days_is_an_argument_not_a_constant():
    assert last_day(date(2026, 3, 2), 20) == date(2026, 3, 23)  # 22nd is a Sunday
    assert general_prosecutor_last_day(date(2026, 3, 2), general_prosecutor_days=20) == date(
        2026, 3, 23
    )


def test_a_negative_delay_is_refused():
    with pytest.raises(ValueError):
        last_day(date(2026, 3, 2), -1)


def test_finality_comes_the_day_after_the_last_day_and_never_with_an_appeal():
    cal = appeal_calendar(Delivery.CONTRADICTORY, date(2026, 3, 2), None, appeal_days=TEN)
    assert not is_final(cal, date(2026, 3, 12), appealed=False)
    assert is_final(cal, date(2026, 3, 13), appealed=False)
    assert not is_final(cal, date(2026, 6, 1), appealed=True)


def test_a_judgment_awaiting_its_service_is_never_final():
    cal = AppealCalendar(starts_on=None, last_day=None, final_on=None)
    assert not is_final(cal, date(2030, 1, 1), appealed=False)


def test_the_general_prosecutors_longer_delay_does_not_delay_execution():
    cal = appeal_calendar(Delivery.CONTRADICTORY, date(2026, 3, 2), None, appeal_days=TEN)
    # The 20-day delay of art. 505 still runs on 13 March, and yet the decision is executable.
    assert is_executable(cal, date(2026, 3, 13), appealed=False, provisional_execution=False)


def test_provisional_execution_makes_a_decision_executable_at_once_even_under_appeal():
    cal = appeal_calendar(Delivery.DEFAULT, date(2026, 3, 2), None, appeal_days=TEN)
    assert is_executable(cal, date(2026, 3, 2), appealed=True, provisional_execution=True)
    assert not is_executable(cal, date(2026, 3, 2), appealed=False, provisional_execution=False)


def test_art_474_gives_the_spip_and_jap_deadlines_from_the_pronouncement():
    both = convocation_deadlines(
        date(2026, 3, 2), needs_spip=True, needs_jap=True, spip_days=45, jap_days=30
    )
    assert both.spip_by == date(2026, 4, 16)
    assert both.jap_by == date(2026, 4, 1)


def test_a_sursis_probatoire_goes_to_the_spip_only():
    spip_only = convocation_deadlines(
        date(2026, 3, 2), needs_spip=True, needs_jap=False, spip_days=45, jap_days=30
    )
    assert spip_only.jap_by is None
    assert spip_only.spip_by == date(2026, 4, 16)


def test_a_convocation_after_the_deadline_is_out_of_delay():
    assert not out_of_delay(date(2026, 4, 16), date(2026, 4, 16))
    assert out_of_delay(date(2026, 4, 17), date(2026, 4, 16))
    assert not out_of_delay(date(2030, 1, 1), None)
