"""The injected errors: what real files contain, written without the matcher's rules."""

from __future__ import annotations

import ast
import random
from datetime import date
from pathlib import Path

import pytest

from jalon.dataset import identity
from jalon.dataset.models import IdentityPair

K = IdentityPair.Kind


def test_the_ground_truth_does_not_use_the_matchers_keys_or_normalisation():
    tree = ast.parse(Path(identity.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(module.startswith(("jalon.core.text", "jalon.people")) for module in imported), (
        imported
    )


def digits(day: date) -> str:
    return f"{day:%d%m%Y}"


@pytest.mark.parametrize("seed", range(40))
def test_a_wrong_birth_date_digit_is_one_valid_digit_off(seed):
    rng = random.Random(seed)
    born = date(1990 - seed % 30, 1 + seed % 12, 1 + seed % 28)
    latest = date(2010, 1, 1)
    typed = identity.birth_digit(rng, born, latest)
    assert sum(a != b for a, b in zip(digits(born), digits(typed), strict=True)) == 1
    assert date(1900, 1, 1) <= typed <= latest


def test_day_and_month_swapped():
    assert identity.day_month_swapped(date(1985, 3, 7)) == date(1985, 7, 3)


@pytest.mark.parametrize("seed", range(20))
def test_a_transposition_swaps_two_adjacent_letters(seed):
    typed = identity.transposition(random.Random(seed), "BOURDIER")
    assert typed != "BOURDIER" and sorted(typed) == sorted("BOURDIER")
    spots = [index for index, (a, b) in enumerate(zip(typed, "BOURDIER", strict=True)) if a != b]
    assert len(spots) == 2 and spots[1] == spots[0] + 1


@pytest.mark.parametrize("seed", range(20))
def test_a_typo_changes_the_letters_not_only_the_case(seed):
    typed = identity.typo(random.Random(seed), "Mathéo")
    assert typed.lower() != "mathéo"
    assert abs(len(typed) - len("Mathéo")) <= 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Lévêque", {"Leveque"}),
        ("Jean-Pierre", {"Jean Pierre", "JeanPierre"}),
        ("Le Gall", {"Le-Gall"}),
        ("Rene", {"Réne", "René"}),  # an accent added on some e
    ],
)
def test_an_accent_or_a_hyphen_differs(value, expected):
    assert identity.accent_or_hyphen(random.Random(1), value) in expected


@pytest.mark.parametrize("seed", range(20))
def test_a_usage_name_is_the_spouses_alone_or_with_the_birth_name(seed):
    written = identity.usage_name(random.Random(seed), "BOURDIER")
    assert written != "BOURDIER"
    assert written.count("BOURDIER") <= 1


def test_every_kind_gives_a_second_registration():
    rng = random.Random(3)

    class Original:
        last_raw, first_raw, birth_date = "Bourdier", "Anne Marie", date(1985, 3, 7)

    for kind in identity.KINDS:
        last, first, born = identity.variant(
            rng, kind, Original(), date(2027, 7, 5), date(1971, 10, 2)
        )
        changed = (last, first, born) != ("Bourdier", "Anne Marie", date(1985, 3, 7))
        assert changed is (kind != K.PHONE_CHANGED), kind
