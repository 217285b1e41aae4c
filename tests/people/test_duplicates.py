import importlib
from datetime import date

import pytest

from jalon.core.text import phonetic_key
from jalon.people.duplicates import (
    IdentityQuery,
    dates_close,
    find_duplicates,
    find_duplicates_many,
)
from jalon.people.models import Person
from tests.factories import PersonFactory

BORN = date(1990, 5, 17)


@pytest.fixture
def martin(org):
    return PersonFactory(
        last_name="Martin",
        first_names="Jean-Pierre",
        birth_date=BORN,
        phone="+33612345678",
        appi_number="20012345",
        followed_by=[org.spip_alpha],
    )


def lookup(**kwargs):
    query = {"last_name": "DURAND", "first_names": "Paul", "birth_date": date(1985, 1, 1)}
    return find_duplicates(**{**query, **kwargs})


def test_same_appi_number_is_a_certain_duplicate(martin):
    report = lookup(appi_number="20012345")
    assert report.certain == [(martin, "le même numéro APPI")]
    assert "APPI" in report.certain[0][1]
    assert report.probable == []
    assert report.blocks


def test_same_phone_is_a_certain_duplicate(martin):
    report = lookup(phone="+33612345678")
    assert report.certain == [(martin, "le même numéro de téléphone")]
    assert "téléphone" in report.certain[0][1]
    assert report.blocks


def test_appi_is_the_reason_given_when_appi_and_phone_both_match(martin):
    report = lookup(appi_number="20012345", phone="+33612345678")
    assert report.certain == [(martin, "le même numéro APPI")]


def test_a_certain_duplicate_is_not_also_listed_as_probable(martin):
    report = find_duplicates(
        last_name="MARTIN", first_names="Jean-Pierre", birth_date=BORN, phone="+33612345678"
    )
    assert [person for person, _ in report.certain] == [martin]
    assert report.probable == []


@pytest.mark.parametrize(
    ("last_name", "first_names"),
    [
        ("MARTIN", "Jean-Pierre"),  # identical
        ("martin", "jean pierre"),  # case, space instead of hyphen
        ("MARTÍN", "Jéan-Pierre"),  # accents
        ("MARTNI", "Jean-Pierre"),  # adjacent letters swapped
        ("MARTINN", "Jean-Pierre"),  # one letter too many
        ("MARTIN", "Jean-Piere"),  # one letter missing
        ("Jean-Pierre", "MARTIN"),  # first and last names swapped
    ],
)
def test_same_birth_date_and_nearly_the_same_name_is_a_probable_duplicate(
    martin, last_name, first_names
):
    report = find_duplicates(last_name=last_name, first_names=first_names, birth_date=BORN)
    assert report.probable == [martin]
    assert report.certain == []
    assert report.warns
    assert not report.blocks


@pytest.mark.parametrize(
    ("last_name", "first_names"),
    [
        ("MRATNI", "Jean-Pierre"),  # two typos
        ("MARTIN", "Paul"),  # same family, other person
        ("DURAND", "Jean-Pierre"),
    ],
)
def test_a_different_name_with_the_same_birth_date_is_nothing(martin, last_name, first_names):
    report = find_duplicates(last_name=last_name, first_names=first_names, birth_date=BORN)
    assert report.probable == []
    assert report.certain == []
    assert not report.warns


@pytest.mark.parametrize(
    "other_date",
    [
        date(1991, 6, 18),  # three digits differ
        date(1990, 7, 15),  # two digits
        date(1990, 5, 20),  # three days later, but two digits
    ],
)
def test_the_same_name_with_another_birth_date_is_nothing(martin, other_date):
    report = find_duplicates(last_name="MARTIN", first_names="Jean-Pierre", birth_date=other_date)
    assert report.probable == []
    assert report.certain == []


@pytest.mark.parametrize(
    "typed",
    [
        date(1990, 5, 11),  # one wrong digit in the day
        date(1990, 8, 17),  # in the month
        date(1980, 5, 17),  # in the year
        date(1999, 5, 17),
    ],
)
def test_the_same_name_with_one_wrong_digit_in_the_birth_date_is_probable(martin, typed):
    report = find_duplicates(last_name="Martin", first_names="Jean Pierre", birth_date=typed)
    assert report.probable == [martin]
    assert not report.blocks


def test_day_and_month_swapped_is_probable(org):
    person = PersonFactory(last_name="ROCHARD", first_names="Léa", birth_date=date(1985, 3, 7))
    report = find_duplicates(last_name="Rochard", first_names="Lea", birth_date=date(1985, 7, 3))
    assert report.probable == [person]


def test_a_wrong_birth_date_needs_the_names_to_match(martin):
    report = find_duplicates(last_name="MARTIN", first_names="Paul", birth_date=date(1990, 5, 11))
    assert report.probable == []


@pytest.fixture
def leroy(org):
    return PersonFactory(last_name="LEROY", first_names="Anne Marie", birth_date=BORN)


@pytest.mark.parametrize(
    ("last_name", "first_names"),
    [
        ("LEROY", "Anne"),  # the second given name dropped
        ("LEROY", "Anne Marie Louise"),  # a third one added
        ("LEROY épouse DURAND", "Anne Marie"),  # usage name written with the birth name
        ("Leroy ép. Durand", "Anne"),
        ("LEROY-DURAND", "Anne Marie"),
        ("DURAND-LEROY", "Anne Marie"),
        ("DURAND LEROY", "Anne Marie"),
        ("LEROI", "Anne Marie"),  # one typo
        ("LERYO", "Anne Marie"),  # two letters swapped
    ],
)
def test_given_names_added_or_dropped_and_usage_names_are_probable(leroy, last_name, first_names):
    report = find_duplicates(last_name=last_name, first_names=first_names, birth_date=BORN)
    assert report.probable == [leroy]


@pytest.mark.parametrize(
    ("last_name", "first_names"),
    [
        ("LEROY", "Marie"),  # the second given name only: another person, a sister
        ("LEROY", "Anne Louise"),  # another second given name
        ("DURAND", "Anne Marie"),  # the usage name alone: nothing says it is her
        ("LEROYER", "Anne Marie"),  # another family name that contains this one
    ],
)
def test_other_persons_born_the_same_day_are_not_probable(leroy, last_name, first_names):
    report = find_duplicates(last_name=last_name, first_names=first_names, birth_date=BORN)
    assert report.probable == []


def test_names_spelt_otherwise_but_sounding_the_same_are_probable(org):
    person = PersonFactory(last_name="LEFEBVRE", first_names="Philippe", birth_date=BORN)
    report = find_duplicates(last_name="Lefèvre", first_names="Filipe", birth_date=BORN)
    assert report.probable == [person]
    # The sound alone, born another day: a namesake, not a typo.
    other_day = find_duplicates(
        last_name="Lefèvre", first_names="Filipe", birth_date=date(1990, 5, 11)
    )
    assert other_day.probable == []


def test_twins_sharing_their_first_given_name_are_not_probable(org):
    PersonFactory(last_name="ROCHARD", first_names="Jean Pierre", birth_date=BORN)
    report = find_duplicates(last_name="ROCHARD", first_names="Jean Louis", birth_date=BORN)
    assert report.probable == []


@pytest.mark.parametrize(
    ("first", "second", "close"),
    [
        (date(1990, 5, 17), date(1990, 5, 17), True),
        (date(1990, 5, 17), date(1990, 5, 11), True),
        (date(1990, 5, 17), date(1970, 5, 17), True),
        (date(1985, 3, 7), date(1985, 7, 3), True),
        (date(1985, 3, 7), date(1986, 7, 3), False),
        (date(1990, 5, 17), date(1990, 5, 18), True),
        (date(1990, 5, 19), date(1990, 5, 20), False),  # next day, two digits
        (date(1990, 12, 31), date(1991, 1, 1), False),
    ],
)
def test_dates_close_are_one_digit_apart_or_with_day_and_month_swapped(first, second, close):
    assert dates_close(first, second) is close
    assert dates_close(second, first) is close


def test_no_key_to_look_up_returns_an_empty_report(martin, django_assert_num_queries):
    with django_assert_num_queries(0):
        report = find_duplicates(last_name="MARTIN", first_names="Jean-Pierre", birth_date=None)
    assert not report.blocks
    assert not report.warns


def test_exclude_pk_leaves_out_the_person_being_edited(martin):
    report = find_duplicates(
        last_name="MARTIN",
        first_names="Jean-Pierre",
        birth_date=BORN,
        appi_number="20012345",
        phone="+33612345678",
        exclude_pk=martin.pk,
    )
    assert report.certain == []
    assert report.probable == []


def test_exclude_pk_keeps_the_other_persons(martin):
    twin = PersonFactory(last_name="MARTIN", first_names="Jean-Pierre", birth_date=BORN)
    report = find_duplicates(
        last_name="MARTIN", first_names="Jean-Pierre", birth_date=BORN, exclude_pk=martin.pk
    )
    assert report.probable == [twin]


def test_duplicates_are_looked_up_nationally(org):
    beta = PersonFactory(
        last_name="LEROY",
        first_names="Anne",
        birth_date=BORN,
        phone="+33698765432",
        appi_number="202123456789",
        followed_by=[org.sap_beta],
    )
    assert lookup(appi_number="202123456789").certain == [(beta, "le même numéro APPI")]
    assert lookup(phone="+33698765432").certain == [(beta, "le même numéro de téléphone")]
    report = find_duplicates(last_name="Leroy", first_names="Anne", birth_date=BORN)
    assert report.probable == [beta]
    assert [follow.service for follow in report.probable[0].follows.all()] == [org.sap_beta]


def test_a_person_followed_by_nobody_is_found_too(org):
    orphan = PersonFactory(last_name="LEROY", first_names="Anne", birth_date=BORN)
    report = find_duplicates(last_name="LEROY", first_names="Anne", birth_date=BORN)
    assert report.probable == [orphan]


@pytest.mark.parametrize("count", [1, 20])
def test_the_lookup_reads_a_fixed_number_of_queries(
    org, make_agent, django_assert_num_queries, count
):
    referent = make_agent(service=org.spip_alpha)
    for _ in range(count):
        PersonFactory(
            last_name="MARTIN",
            first_names="Jean",
            birth_date=BORN,
            referent=referent,
            followed_by=[org.spip_alpha, org.sap_beta],
        )
    # The candidates' keys; the matches with their referent; their follows and services.
    with django_assert_num_queries(3):
        report = find_duplicates(last_name="MARTIN", first_names="Jean", birth_date=BORN)
        services = {
            follow.service.name for person in report.probable for follow in person.follows.all()
        }
        referents = [person.referent for person in report.probable]
    assert len(report.probable) == count
    assert services == {"SPIP Alpha", "SAP Beta"}
    assert referents == [referent] * count


@pytest.mark.parametrize("count", [0, 30])
def test_namesakes_of_another_name_cost_one_query(org, django_assert_num_queries, count):
    """Hundreds of persons share a birth date nationally: only the matches are loaded."""
    for n in range(count):
        PersonFactory(last_name=f"DUPONT{n:02d}X", first_names="Paul", birth_date=BORN)
    with django_assert_num_queries(1):
        report = find_duplicates(last_name="MARTIN", first_names="Jean", birth_date=BORN)
    assert not report.probable and not report.certain


def test_the_migration_fills_the_phonetic_keys_of_existing_persons(org):
    from django.apps import apps

    migration = importlib.import_module("jalon.people.migrations.0003_person_phonetic_keys")
    person = PersonFactory(last_name="Lefèvre", first_names="Jean-Pierre Louis")
    Person.objects.filter(pk=person.pk).update(last_name_phonetic="", first_name_phonetic="")
    migration.fill_phonetic_keys(apps, None)
    person.refresh_from_db()
    assert (person.last_name_phonetic, person.first_name_phonetic) == (
        phonetic_key("Lefebvre"),
        phonetic_key("Jean"),
    )


def test_many_identities_at_once_find_what_each_lookup_finds(
    org, martin, django_assert_num_queries
):
    """``find_duplicates_many`` (an import's batch) answers as ``find_duplicates`` does for
    each identity, blocks kept apart: a person met by one identity's block is not scored
    against another identity of the batch."""
    leroy = PersonFactory(last_name="LEROY", first_names="Anne Marie", birth_date=BORN)
    lefebvre = PersonFactory(
        last_name="LEFEBVRE", first_names="Philippe", birth_date=date(1971, 2, 3)
    )
    PersonFactory(last_name="ROCHARD", first_names="Lea", birth_date=date(1985, 3, 7))
    queries = [
        IdentityQuery("MARTIN", "Jean-Pierre", BORN),  # probable (and LEROY, same day: no)
        IdentityQuery("DURAND", "Paul", date(1985, 1, 1), appi_number="20012345"),  # certain
        IdentityQuery("DURAND", "Paul", date(1985, 1, 1), phone="+33612345678"),  # certain
        IdentityQuery("LEROY ép. DURAND", "Anne", BORN),  # probable: leroy only
        IdentityQuery("Lefèvre", "Filipe", date(1971, 2, 3)),  # the same sound, same day
        IdentityQuery("Lefèvre", "Filipe", date(1990, 5, 11)),  # the same sound, another day
        IdentityQuery("Rochard", "Lea", date(1985, 7, 3)),  # day and month swapped
        IdentityQuery("NOBODY", "Known", date(1960, 1, 1)),
        IdentityQuery("MARTIN", "Jean-Pierre", None),  # no key to look up
    ]
    with django_assert_num_queries(2):
        many = find_duplicates_many(queries)
    one_by_one = [
        find_duplicates(
            last_name=query.last_name,
            first_names=query.first_names,
            birth_date=query.birth_date,
            appi_number=query.appi_number,
            phone=query.phone,
        )
        for query in queries
    ]
    assert [(r.certain, r.probable) for r in many] == [(r.certain, r.probable) for r in one_by_one]
    assert many[0].probable == [martin] and many[3].probable == [leroy]
    assert many[1].certain == [(martin, "le même numéro APPI")]
    assert many[4].probable == [lefebvre] and many[5].probable == []
    assert len(many[6].probable) == 1 and many[7].probable == many[8].probable == []
