"""The offence picker: number prefix, word prefixes, accents and case ignored, retired last."""

from __future__ import annotations

import pytest
from django.db import connection

from jalon.cases.picker import search_offences
from jalon.core.text import normalize_words
from tests.cases.natinf_files import OCTOBER, edited_sample, import_file, sample_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential() -> None:
    import_file(sample_bytes())


def numbers(query: str) -> list[int]:
    return [offence.number for offence in search_offences(query)]


def test_a_number_finds_itself_first_then_longer_numbers(referential):
    found = numbers("11")
    assert found[0] == 11
    assert all(str(number).startswith("11") for number in found)
    assert 11887 in found  # a prefix of a longer number


def test_words_match_by_prefix_with_accents_and_case_ignored(referential):
    assert 11 in numbers("pension alimentaire")
    assert 11 in numbers("Pensiôn ALIMENT")
    assert numbers("abandon famille pension") == [11]


def test_every_word_must_match(referential):
    assert numbers("pension zzzinconnu") == []


def test_short_or_empty_queries_return_nothing(referential):
    assert search_offences("a") == []
    assert search_offences("   ") == []
    assert search_offences("d'") == []


def test_retired_offences_come_after_those_in_force_and_are_marked(referential):
    import_file(edited_sample(drop={"7"}), "2026-10", OCTOBER)
    found = search_offences("cheque")
    assert {7, 8} <= {offence.number for offence in found}
    assert found[-1].number == 7 and not found[-1].in_force
    assert all(offence.in_force for offence in found[:-1])


def test_the_word_lookup_uses_the_prefix_index(referential):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # the sample is small: force the planner's hand
        cursor.execute(
            "EXPLAIN SELECT offence_id FROM cases_offenceword WHERE word::text LIKE 'pension%%'"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "offence_word_prefix" in plan


def test_function_words_are_skipped_unless_they_are_all_that_is_typed(referential):
    assert numbers("abandon de famille par pension") == numbers("abandon famille pension")
    assert search_offences("d'un") == []
    alone = search_offences("par")  # alone, it is the beginning of a word: "parc", "partie"…
    assert alone
    assert all(
        any(word.startswith("par") for word in normalize_words(offence.qualification))
        for offence in alone
    )
