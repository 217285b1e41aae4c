"""Persons through the API: the same scope, actions, duplicate check and history as the screens."""

from __future__ import annotations

import datetime

import pytest

from jalon.history.models import Event
from jalon.people.models import Person
from tests.api.conftest import assert_problem
from tests.factories import PersonFactory
from tests.queries import assert_queries_do_not_grow

NEW_PERSON = {
    "last_name": "Dupont",
    "first_names": "Marie Claire",
    "birth_date": "1985-03-24",
    "phone": "06 12 34 56 78",
}


@pytest.fixture
def alpha_person(org):
    return PersonFactory(last_name="Lefebvre", first_names="Paul", followed_by=[org.sap_alpha])


@pytest.fixture
def beta_person(org):
    return PersonFactory(last_name="Lefort", first_names="Luc", followed_by=[org.sap_beta])


def test_search_finds_the_persons_of_the_ressort_only(api, partner, alpha_person, beta_person):
    response = api.get("/persons", partner.key, q="lef")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [alpha_person.pk]


def test_search_by_phone_reads_the_service_region(api, partner, alpha_person):
    local = "0" + alpha_person.phone.removeprefix("+33")
    response = api.get("/persons", partner.key, q=local)
    assert [item["id"] for item in response.json()["items"]] == [alpha_person.pk]


def test_filters_birth_date_and_archived(api, partner, org):
    born = datetime.date(1970, 1, 2)
    kept = PersonFactory(birth_date=born, followed_by=[org.spip_alpha])
    PersonFactory(birth_date=datetime.date(1971, 1, 2), followed_by=[org.spip_alpha])
    response = api.get("/persons", partner.key, birth_date="1970-01-02", archived="false")
    assert [item["id"] for item in response.json()["items"]] == [kept.pk]
    assert api.get("/persons", partner.key, archived="true").json()["items"] == []


def test_the_cursor_walks_every_person_once(api, partner, org):
    persons = [PersonFactory(followed_by=[org.spip_alpha]) for _ in range(5)]
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/persons", partner.key, **query).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(person.pk for person in persons)
    assert pages == 3


def test_a_forged_cursor_is_a_422_problem(api, partner):
    assert_problem(api.get("/persons", partner.key, cursor="bm9wZQ"), 422, "invalid_cursor")
    assert_problem(api.get("/persons", partner.key, cursor="%%%"), 422, "invalid_cursor")


def test_the_list_costs_the_same_queries_with_more_persons(api, partner, org):
    def grow():
        for _ in range(15):
            PersonFactory(followed_by=[org.spip_alpha, org.sap_alpha])

    grow()
    page = assert_queries_do_not_grow(
        lambda: api.get("/persons", partner.key, limit=100), grow, at_most=3
    )
    assert len(page.json()["items"]) == 30


def test_reading_a_person_is_recorded_with_the_client_as_actor(api, partner, alpha_person, org):
    response = api.get(f"/persons/{alpha_person.pk}", partner.key)
    assert response.status_code == 200
    body = response.json()
    assert body["last_name"] == "LEFEBVRE"
    assert body["followed_by"][0]["service_name"] == "SAP Alpha"
    event = Event.objects.for_object(alpha_person).get(action="person.viewed")
    assert event.actor == partner.agent_for(org.spip_alpha)
    assert event.details == {"read": "api"}
    assert partner.client.name.upper() in event.actor_label


def test_a_person_of_another_ressort_is_404(api, partner, beta_person):
    assert_problem(api.get(f"/persons/{beta_person.pk}", partner.key), 404, "not_found")
    assert not Event.objects.for_object(beta_person).exists()


def test_a_missing_person_is_404(api, partner, db):
    assert_problem(api.get("/persons/999999999", partner.key), 404, "not_found")


def test_create_registers_through_the_action_and_its_history(api, partner, org):
    response = api.post("/persons", partner.key, NEW_PERSON)
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert body["phone"] == "+33612345678"
    assert person.last_name == "DUPONT"
    assert [follow.service for follow in person.follows.all()] == [org.spip_alpha]
    event = Event.objects.for_object(person).get(action="person.created")
    assert event.actor == partner.agent_for(org.spip_alpha)


def test_create_refuses_bad_input_with_the_screens_messages(api, partner, db):
    body = assert_problem(
        api.post("/persons", partner.key, {**NEW_PERSON, "phone": "01 23 45 67 89"}),
        422,
        "invalid_request",
    )
    assert body["errors"][0]["field"] == "phone"
    assert Person.objects.count() == 0


def test_create_refuses_a_nul_character_without_a_500(api, partner, db):
    response = api.post("/persons", partner.key, {**NEW_PERSON, "last_name": "Du\u0000pont"})
    assert_problem(response, 422, "invalid_request")
    assert Person.objects.count() == 0


def test_a_certain_duplicate_is_409_with_the_candidates_the_client_sees(api, partner, alpha_person):
    response = api.post("/persons", partner.key, {**NEW_PERSON, "phone": alpha_person.phone})
    body = assert_problem(response, 409, "duplicate")
    assert [candidate["id"] for candidate in body["candidates"]] == [alpha_person.pk]
    assert body["hidden_candidates"] == 0


def test_a_duplicate_of_another_ressort_is_counted_not_shown(api, partner, beta_person):
    response = api.post("/persons", partner.key, {**NEW_PERSON, "phone": beta_person.phone})
    body = assert_problem(response, 409, "duplicate")
    assert body["candidates"] == []
    assert body["hidden_candidates"] == 1


def test_a_probable_duplicate_is_409_then_created_when_confirmed(api, partner, org):
    existing = PersonFactory(
        last_name="Dupond",
        first_names="Marie Claire",
        birth_date=datetime.date(1985, 3, 24),
        followed_by=[org.spip_alpha],
    )
    body = assert_problem(api.post("/persons", partner.key, NEW_PERSON), 409, "probable_duplicate")
    assert [candidate["id"] for candidate in body["candidates"]] == [existing.pk]
    confirmed = api.post(
        "/persons", partner.key, {**NEW_PERSON, "confirm_probable_duplicate": True}
    )
    assert confirmed.status_code == 201
    created = Event.objects.get(action="person.created", target_id=str(confirmed.json()["id"]))
    assert created.details["confirmed_despite"] == [existing.pk]


def test_update_contact_changes_only_the_given_fields(api, partner, alpha_person, org):
    response = api.patch(
        f"/persons/{alpha_person.pk}/contact", partner.key, {"phone": "06 98 76 54 32"}
    )
    assert response.status_code == 200, response.content
    alpha_person.refresh_from_db()
    assert alpha_person.phone == "+33698765432"
    assert alpha_person.last_name == "LEFEBVRE"
    event = Event.objects.for_object(alpha_person).get(action="person.updated")
    assert event.details == {"fields": ["phone"]}
    assert event.actor == partner.agent_for(org.spip_alpha)


def test_update_contact_no_mobile_clears_the_phone(api, partner, alpha_person):
    response = api.patch(
        f"/persons/{alpha_person.pk}/contact", partner.key, {"has_no_mobile": True}
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] is None


def test_update_contact_refuses_another_persons_phone(api, partner, alpha_person, org):
    other = PersonFactory(followed_by=[org.spip_alpha])
    response = api.patch(f"/persons/{alpha_person.pk}/contact", partner.key, {"phone": other.phone})
    body = assert_problem(response, 409, "duplicate")
    assert [candidate["id"] for candidate in body["candidates"]] == [other.pk]


def test_update_contact_outside_the_ressort_is_404(api, partner, beta_person):
    response = api.patch(f"/persons/{beta_person.pk}/contact", partner.key, {"refuses_sms": True})
    assert_problem(response, 404, "not_found")
    beta_person.refresh_from_db()
    assert beta_person.refuses_sms is False


def test_an_archived_person_cannot_be_changed(api, partner, alpha_person):
    Person.objects.filter(pk=alpha_person.pk).update(
        archived_at=datetime.datetime.now(datetime.UTC)
    )
    response = api.patch(f"/persons/{alpha_person.pk}/contact", partner.key, {"refuses_sms": True})
    assert_problem(response, 403, "forbidden")


def test_contact_details_are_read_and_written(api, partner, alpha_person):
    response = api.patch(
        f"/persons/{alpha_person.pk}/contact",
        partner.key,
        {
            "landline": "03 88 12 34 56",
            "email": "paul@exemple.fr",
            "address": "1 quai Finkwiller",
            "postal_code": "67000",
            "city": "Strasbourg",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["landline"], body["postal_code"], body["lawyer"]) == ("+33388123456", "67000", "")
    # A later change of another field keeps them.
    api.patch(f"/persons/{alpha_person.pk}/contact", partner.key, {"refuses_sms": True})
    alpha_person.refresh_from_db()
    assert (alpha_person.landline, alpha_person.city) == ("+33388123456", "Strasbourg")


def test_update_contact_no_mobile_keeps_the_landline(api, partner, alpha_person):
    Person.objects.filter(pk=alpha_person.pk).update(landline="+33388123456")
    response = api.patch(
        f"/persons/{alpha_person.pk}/contact", partner.key, {"has_no_mobile": True}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["landline"]) == (None, "+33388123456")


def test_update_contact_refuses_a_mobile_as_landline(api, partner, alpha_person):
    response = api.patch(
        f"/persons/{alpha_person.pk}/contact", partner.key, {"landline": "06 98 76 54 32"}
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "landline"
