from datetime import date

import pytest

from jalon.people.duplicates import find_duplicates
from tests.factories import PersonFactory

BORN = date(1990, 5, 17)


@pytest.fixture
def martin(org):
    return PersonFactory(
        last_name="Martin",
        first_names="Jean-Pierre",
        birth_date=BORN,
        phone="+33612345678",
        appi_number="20112345",
        followed_by=[org.spip_alpha],
    )


def lookup(**kwargs):
    query = {"last_name": "DURAND", "first_names": "Paul", "birth_date": date(1985, 1, 1)}
    return find_duplicates(**{**query, **kwargs})


def test_same_appi_number_is_a_certain_duplicate(martin):
    report = lookup(appi_number="20112345")
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
    report = lookup(appi_number="20112345", phone="+33612345678")
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


def test_the_same_name_with_another_birth_date_is_nothing(martin):
    report = find_duplicates(
        last_name="MARTIN", first_names="Jean-Pierre", birth_date=date(1990, 5, 18)
    )
    assert report.probable == []
    assert report.certain == []


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
        appi_number="20112345",
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
