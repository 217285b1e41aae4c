"""The numéro de parquet, parsed and formatted without the database."""

import calendar
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalon.core.parquet import (
    format_parquet_number,
    is_parquet_number,
    normalize_legacy,
    parse_parquet_number,
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("27123000042", "27123000042"),
        ("  27123000042 ", "27123000042"),
        ("27 123 000042", "27123000042"),
        ("27/123/000042", "27123000042"),
        ("27-123-000042", "27123000042"),
        ("27.123.000042", "27123000042"),
        ("27 123 000 042", "27123000042"),
        ("27\u00a0123\u00a0000042", "27123000042"),
        ("27/123/42", "27123000042"),
        ("24 366 1", "24366000001"),
        ("25/001/999999", "25001999999"),
    ],
)
def test_typed_forms_give_the_canonical_digits(typed: str, canonical: str) -> None:
    assert parse_parquet_number(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez le numéro de parquet."),
        ("27/1", "compte 11 chiffres, pas 3"),
        ("271230000421", "compte 11 chiffres, pas 12"),
        ("2712300004", "compte 11 chiffres, pas 10"),
        ("27 123 AB0042", "ne contient que des chiffres"),
        ("P27123000042", "ne contient que des chiffres"),
        ("27000000042", "jour de l’année (000) doit être compris entre 001 et 365"),
        ("27400000042", "jour de l’année (400) doit être compris entre 001 et 365"),
        ("27366000042", "entre 001 et 365 pour l’année 2027"),
        ("27123000000", "ne peut pas être 000000"),
    ],
)
def test_malformed_numbers_are_refused_with_a_precise_french_message(
    typed: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_parquet_number(typed)
    assert not is_parquet_number(typed)


def test_day_366_only_in_leap_years() -> None:
    assert parse_parquet_number("28366000001") == "28366000001"
    with pytest.raises(ValueError, match="entre 001 et 365"):
        parse_parquet_number("29366000001")


numbers = st.tuples(st.integers(0, 99), st.integers(1, 366), st.integers(1, 999_999)).filter(
    lambda parts: parts[1] <= (366 if calendar.isleap(2000 + parts[0]) else 365)
)
separators = st.sampled_from([" ", "/", "-", ".", " / ", "\u00a0"])


@given(numbers, separators)
def test_any_separated_writing_parses_back_to_the_same_digits(
    parts: tuple[int, int, int], separator: str
) -> None:
    year, day, sequence = parts
    canonical = f"{year:02d}{day:03d}{sequence:06d}"
    assert parse_parquet_number(canonical) == canonical
    assert parse_parquet_number(separator.join([f"{year:02d}", f"{day:03d}", str(sequence)])) == (
        canonical
    )
    assert parse_parquet_number(format_parquet_number(canonical)) == canonical


@given(st.text(max_size=20))
def test_parsing_either_gives_11_digits_or_a_value_error(text: str) -> None:
    try:
        parsed = parse_parquet_number(text)
    except ValueError as error:
        assert str(error)
    else:
        assert len(parsed) == 11 and parsed.isdigit()


def test_format_groups_canonical_values_and_leaves_legacy_ones() -> None:
    assert format_parquet_number("27123000042") == "27 123 000042"
    assert format_parquet_number("27/1") == "27/1"
    assert format_parquet_number("") == ""


def test_legacy_values_are_normalised_only_when_they_parse() -> None:
    assert normalize_legacy("27/123/42") == "27123000042"
    assert normalize_legacy("PARQUET 12-345") == "PARQUET 12-345"
    assert normalize_legacy("") == ""
