from datetime import date

import pytest

from jalon.core.dates import holiday_name, is_working_day


@pytest.mark.parametrize(
    ("day", "subdivision", "working"),
    [
        (date(2026, 7, 14), "", False),  # Fête nationale
        (date(2025, 12, 26), "", True),  # Friday, mainland: working
        (date(2025, 12, 26), "6AE", False),  # Alsace: Saint-Étienne
        (date(2025, 12, 26), "57", False),  # Moselle
        (date(2026, 6, 10), "973", False),  # Guyane: abolition of slavery
        (date(2026, 6, 10), "", True),
        (date(2026, 11, 21), "", False),  # a Saturday
    ],
)
def test_working_days_follow_the_service_calendar(day, subdivision, working):
    assert is_working_day(day, subdivision) is working


def test_holiday_names_are_in_french():
    assert holiday_name(date(2026, 7, 14)) == "Fête nationale"


def test_the_short_french_date_uses_the_usual_abbreviations():
    from datetime import date

    from jalon.core.dates import french_short_date

    assert french_short_date(date(2026, 12, 7)) == "lun. 7 déc."
    assert french_short_date(date(2027, 2, 1)) == "lun. 1er févr."
    assert french_short_date(date(2027, 7, 14)) == "mer. 14 juil."
