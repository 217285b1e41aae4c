import re

import pytest

from jalon.core.phone import (
    PhoneError,
    display,
    expected_form,
    looks_like_phone,
    parse_mobile,
    search_prefix,
)

OVERSEAS_REGIONS = ["GF", "RE", "YT", "GP", "MQ"]


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("0612345678", "FR", "+33612345678"),
        ("06.12.34.56.78", "FR", "+33612345678"),
        ("  06 12 34 56 78  ", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", "FR", "+33612345678"),
        ("0033612345678", "FR", "+33612345678"),
        ("07 81 23 45 67", "FR", "+33781234567"),
        ("0694 20 12 34", "GF", "+594694201234"),
        ("0694201234", "GF", "+594694201234"),
        ("0692 12 34 56", "RE", "+262692123456"),
        ("0639 01 23 45", "YT", "+262639012345"),
        ("0690 12 34 56", "GP", "+590690123456"),
        ("0696 12 34 56", "MQ", "+596696123456"),
        # An international number is read whatever the service's region.
        ("+594 694 20 12 34", "FR", "+594694201234"),
        ("+33 6 12 34 56 78", "GF", "+33612345678"),
    ],
)
def test_mobile_numbers_are_stored_in_e164(raw, region, expected):
    assert parse_mobile(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region", "message_part"),
    [
        ("01 45 45 45 45", "FR", "portable"),  # mainland landline
        ("0590 12 34 56", "GP", "portable"),  # Guadeloupe landline
        ("abc", "FR", "illisible"),
        ("", "FR", "illisible"),
        ("06 12", "FR", "n’existe pas"),
        ("07 12 34 56 78", "FR", "n’existe pas"),  # 071 is not allocated
        ("06 12 34 56 78 9", "FR", "n’existe pas"),
        # Guyane digits typed in a mainland service are no French number.
        ("0694201234", "FR", "n’existe pas"),
        # Mainland digits typed in a Guyane service are no Guyane number.
        ("06 12 34 56 78", "GF", "n’existe pas"),
        ("0639 12 34 56", "YT", "n’existe pas"),  # outside Mayotte's mobile ranges
    ],
)
def test_numbers_that_cannot_receive_sms_are_refused(raw, region, message_part):
    with pytest.raises(PhoneError, match=message_part):
        parse_mobile(raw, region)


def test_landline_is_refused_because_it_cannot_receive_sms():
    with pytest.raises(PhoneError) as error:
        parse_mobile("01 45 45 45 45", "FR")
    assert "n’est pas un portable" in str(error.value)
    assert "SMS" in str(error.value)


@pytest.mark.parametrize(
    ("raw", "region", "example"),
    [
        ("abc", "FR", "06 12 34 56 78"),
        ("06 12", "FR", "06 12 34 56 78"),
        ("01 45 45 45 45", "FR", "06 12 34 56 78"),
        ("abc", "GF", "0694"),
        ("06 12 34 56 78", "GF", "0694 20 12 34"),
        ("0590 12 34 56", "GP", "0690"),
        ("0262 12 34 56", "RE", "0692"),
        ("0639 12 34 56", "YT", "0639"),
        ("0596 12 34 56", "MQ", "0696"),
    ],
)
def test_error_messages_are_french_and_name_the_expected_form(raw, region, example):
    with pytest.raises(PhoneError) as error:
        parse_mobile(raw, region)
    message = str(error.value)
    assert "saisissez un numéro de portable" in message
    assert example in message


@pytest.mark.parametrize(
    ("region", "country_code"),
    [("FR", "+33"), ("GF", "+594"), ("RE", "+262"), ("YT", "+262"), ("GP", "+590"), ("MQ", "+596")],
)
def test_expected_form_gives_the_international_prefix_of_the_region(region, country_code):
    assert f"({country_code}…)" in expected_form(region)


def test_expected_form_of_an_unknown_region_asks_for_the_international_form():
    assert "format international" in expected_form("PF")
    assert "+33 6 12 34 56 78" in expected_form("PF")


@pytest.mark.parametrize("region", ["FR", *OVERSEAS_REGIONS])
def test_the_example_shown_to_the_agent_is_itself_accepted(region):
    example = re.search(r"comme ([\d ]+?) ou", expected_form(region)).group(1)
    assert parse_mobile(example, region).startswith("+")


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+594694201234", "0694 20 12 34"),
        ("+262692123456", "0692 12 34 56"),
        ("+590690123456", "0690 12 34 56"),
        ("+447700900123", "+44 7700 900123"),  # abroad: international form
        ("", ""),
        ("not a number", "not a number"),
    ],
)
def test_display_uses_the_national_form_for_french_numbers(e164, expected):
    assert display(e164) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("06 12", "FR", "+33612"),
        ("612", "FR", "+33612"),
        ("06.12", "FR", "+33612"),
        ("+33612", "FR", "+33612"),
        ("+33 6 12", "GF", "+33612"),
        ("0033 612", "FR", "+33612"),
        ("0694", "GF", "+594694"),
        ("0692 12", "RE", "+26269212"),
        ("", "FR", None),
        ("   ", "FR", None),
        ("abc", "FR", None),
    ],
)
def test_search_prefix_turns_any_typed_form_into_an_e164_prefix(raw, region, expected):
    assert search_prefix(raw, region) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 12 34 56 78", True),
        ("+33 6 12", True),
        ("06.12.34", True),
        ("(0694) 20-12", True),
        ("061", True),
        ("06", False),  # too short to tell
        ("Martin", False),
        ("06 Martin", False),
        ("", False),
    ],
)
def test_looks_like_phone_tells_numbers_from_names(text, expected):
    assert looks_like_phone(text) is expected
