"""A person's contact details a letter can use: typed, checked, kept, shown, recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.core import phone as phones
from jalon.history.models import Event
from jalon.people import actions
from jalon.people.forms import PersonForm
from jalon.people.models import Person
from tests.factories import PersonFactory

IDENTITY = {"last_name": "Martin", "first_names": "Jean", "birth_date": "17/05/1990"}
ADDRESS = {"address": "12 rue des Juifs", "postal_code": "67 000", "city": "Strasbourg"}


def person_form(region="FR", **overrides):
    return PersonForm(data=IDENTITY | overrides, region=region)


# --- The landline helper ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("03 88 12 34 56", "FR", "+33388123456"),
        ("09 70 12 34 56", "FR", "+33970123456"),  # a box number
        ("0033 3 88 12 34 56", "FR", "+33388123456"),
        ("0594 30 12 34", "GF", "+594594301234"),
        ("+44 20 7946 0958", "FR", "+442079460958"),
    ],
)
def test_a_landline_is_read_in_the_service_region(raw, region, expected):
    assert phones.parse_landline(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("06 12 34 56 78", "est un portable, pas un fixe"),
        ("0800 12 34 56", "n’est pas celui d’un téléphone fixe"),
        ("03 88", "n’existe pas"),
        ("bonjour", "illisible"),
    ],
)
def test_what_is_not_a_landline_is_refused_with_a_french_message(raw, message):
    with pytest.raises(phones.PhoneError) as error:
        phones.parse_landline(raw, "FR")
    assert message in str(error.value)


# --- The form --------------------------------------------------------------------------


def test_contact_details_are_optional():
    form = person_form(phone="06 12 34 56 78")
    assert form.is_valid(), form.errors
    identity = form.identity()
    assert (identity.landline, identity.email, identity.address, identity.postal_code) == (
        "",
        "",
        "",
        "",
    )


def test_a_full_postal_address_is_accepted_and_the_postal_code_tidied():
    form = person_form(phone="06 12 34 56 78", landline="03 88 12 34 56", **ADDRESS)
    assert form.is_valid(), form.errors
    identity = form.identity()
    assert (identity.landline, identity.postal_code) == ("+33388123456", "67000")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"landline": "06 98 76 54 32"}, "landline", "est un portable, pas un fixe"),
        ({"email": "jean.martin@"}, "email", "nom@exemple.fr"),
        ({**ADDRESS, "postal_code": "6700"}, "postal_code", "5 chiffres"),
        ({**ADDRESS, "postal_code": "F-67000"}, "postal_code", "Réside à l’étranger"),
        ({"address": "12 rue des Juifs"}, "postal_code", "Saisissez le code postal"),
        ({"address": "12 rue des Juifs", "postal_code": "67000"}, "city", "la commune"),
        ({"postal_code": "67000", "city": "Strasbourg"}, "address", "numéro et la voie"),
    ],
)
def test_bad_contact_details_are_explained_next_to_the_field(overrides, field, message):
    form = person_form(phone="06 12 34 56 78", **overrides)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_an_address_abroad_takes_a_foreign_postal_code_or_none():
    abroad = {"address": "Rue de la Loi 16", "city": "Bruxelles (Belgique)"}
    form = person_form(has_no_mobile="on", lives_abroad="on", postal_code="B-1000", **abroad)
    assert form.is_valid(), form.errors
    assert form.identity().postal_code == "B-1000"
    assert person_form(has_no_mobile="on", lives_abroad="on", **abroad).is_valid()


def test_a_landline_typed_as_a_mobile_is_explained():
    form = person_form(phone="03 88 12 34 56")
    assert not form.is_valid()
    assert "Saisissez-le dans « Téléphone fixe »" in form.errors["phone"][0]


def test_ticking_no_mobile_keeps_the_landline():
    form = person_form(has_no_mobile="on", landline="03 88 12 34 56")
    assert form.is_valid(), form.errors
    identity = form.identity()
    assert (identity.phone, identity.has_no_mobile, identity.landline) == (
        None,
        True,
        "+33388123456",
    )


def test_a_landline_typed_in_the_mobile_field_with_no_mobile_ticked_becomes_the_landline():
    """Today's loss: the form asked to erase the only number the person has."""
    form = person_form(has_no_mobile="on", phone="03 88 12 34 56")
    assert form.is_valid(), form.errors
    assert (form.identity().phone, form.identity().landline) == (None, "+33388123456")


def test_two_different_landlines_are_not_merged_silently():
    form = person_form(has_no_mobile="on", phone="03 88 12 34 56", landline="03 88 65 43 21")
    assert not form.is_valid()
    assert "un autre fixe est déjà saisi" in form.errors["phone"][0]


def test_a_mobile_with_no_mobile_ticked_is_still_refused():
    form = person_form(has_no_mobile="on", phone="06 12 34 56 78")
    assert not form.is_valid()
    assert "effacez ce numéro" in form.errors["phone"][0]


# --- Actions ---------------------------------------------------------------------------


def test_an_identity_without_contact_details_leaves_them_untouched(cpip, org):
    person = PersonFactory(followed_by=[org.spip_alpha], landline="+33388123456", city="Colmar")
    changed = actions.update_person(
        agent=cpip,
        person=person,
        identity=actions.Identity(
            last_name=person.last_name,
            first_names="Paul",
            birth_date=person.birth_date,
            phone=person.phone,
        ),
    )
    person.refresh_from_db()
    assert changed == ["first_names"]
    assert (person.landline, person.city) == ("+33388123456", "Colmar")


# --- Screens ---------------------------------------------------------------------------


def test_registration_saves_the_contact_details(client_for, cpip, frozen_now):
    data = {
        "last_name": "nguyen",
        "first_names": "thi lan",
        "birth_date": "21/07/1988",
        "has_no_mobile": "on",
        "landline": "03 88 12 34 56",
        "email": "thi-lan.nguyen@exemple.fr",
        "address_complement": "Bâtiment B",
        "lawyer": "Maître Durand, barreau de Strasbourg",
        **ADDRESS,
    }
    response = client_for(cpip).post(reverse("person_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get()
    assert (person.phone, person.landline, person.email) == (
        None,
        "+33388123456",
        "thi-lan.nguyen@exemple.fr",
    )
    assert (person.address, person.address_complement, person.postal_code, person.city) == (
        "12 rue des Juifs",
        "Bâtiment B",
        "67000",
        "Strasbourg",
    )
    assert person.lawyer == "Maître Durand, barreau de Strasbourg"


def test_the_registration_form_keeps_the_contact_part_open_on_an_error(client_for, cpip):
    response = client_for(cpip).post(
        reverse("person_create"),
        {**IDENTITY, "has_no_mobile": "on", "postal_code": "123", "city": "Strasbourg"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="contact-details" open' in html
    assert 'value="Strasbourg"' in html  # nothing typed is lost
    assert not Person.objects.exists()


def test_the_registration_form_folds_the_empty_contact_part(client_for, cpip):
    html = client_for(cpip).get(reverse("person_create")).content.decode()
    assert 'data-testid="contact-details" >' in html or 'data-testid="contact-details">' in html
    assert "Coordonnées" in html


def edit_data(person, **overrides):
    data = {
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "phone": person.phone or "",
        "landline": person.landline,
        "email": person.email,
        "address": person.address,
        "postal_code": person.postal_code,
        "city": person.city,
        "lawyer": person.lawyer,
    }
    data.update(overrides)
    return data


def test_ticking_no_mobile_on_the_edit_form_keeps_the_landline_and_records_the_change(
    client_for, cpip, org
):
    person = PersonFactory(followed_by=[org.spip_alpha], landline="+33388123456")
    response = client_for(cpip).post(
        reverse("person_edit", args=[person.pk]),
        edit_data(person, phone="", has_no_mobile="on", email="jean@exemple.fr"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.has_no_mobile, person.landline, person.email) == (
        None,
        True,
        "+33388123456",
        "jean@exemple.fr",
    )
    event = Event.objects.for_object(person).get(action="person.updated")
    assert event.details == {"fields": ["phone", "has_no_mobile", "email"]}
    assert event.summary == "Modifié : téléphone portable, n’a pas de téléphone portable, " + (
        "adresse électronique"
    )


def test_the_edit_form_shows_the_stored_contact_details(client_for, cpip, org):
    person = PersonFactory(followed_by=[org.spip_alpha], landline="+33388123456", city="Colmar")
    html = client_for(cpip).get(reverse("person_edit", args=[person.pk])).content.decode()
    assert 'value="03 88 12 34 56"' in html and 'value="Colmar"' in html


def test_the_person_page_shows_the_contact_details(client_for, cpip, org):
    person = PersonFactory(
        followed_by=[org.spip_alpha],
        landline="+33388123456",
        email="jean@exemple.fr",
        address="12 rue des Juifs",
        address_complement="Bâtiment B",
        postal_code="67000",
        city="Strasbourg",
        lawyer="Maître Durand",
    )
    html = client_for(cpip).get(reverse("person_detail", args=[person.pk])).content.decode()
    for text in (
        "03 88 12 34 56",
        "jean@exemple.fr",
        "12 rue des Juifs<br>Bâtiment B<br>67000 Strasbourg",
        "Maître Durand",
    ):
        assert text in html
