"""Search, the one-screen registration, the person page: through real requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.people.models import Person
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory, appointment_type
from tests.queries import assert_queries_do_not_grow


def names(response) -> list[str]:
    return [str(person) for person in response.context["page"]]


# --- Search --------------------------------------------------------------------------


@pytest.fixture
def people(org):
    return {
        "leveque": PersonFactory(
            last_name="Lévêque",
            first_names="Jean-Pierre",
            phone="+33612345678",
            appi_number="20012345",
            followed_by=[org.spip_alpha],
        ),
        "levy": PersonFactory(last_name="Levy", first_names="Anne", followed_by=[org.sap_alpha]),
        "beta": PersonFactory(last_name="Leveque", first_names="Marc", followed_by=[org.sap_beta]),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("leve", ["LÉVÊQUE Jean-Pierre"]),
        ("LÉV", ["LÉVÊQUE Jean-Pierre", "LEVY Anne"]),
        ("jean pierre leveque", ["LÉVÊQUE Jean-Pierre"]),
        ("leveque jean-p", ["LÉVÊQUE Jean-Pierre"]),
        ("06 12 34", ["LÉVÊQUE Jean-Pierre"]),
        ("+33612345678", ["LÉVÊQUE Jean-Pierre"]),
        ("612345678", ["LÉVÊQUE Jean-Pierre"]),
        ("0033 6 12 34 56 78", ["LÉVÊQUE Jean-Pierre"]),
        ("2001 2345", ["LÉVÊQUE Jean-Pierre"]),
        ("anne", ["LEVY Anne"]),
        ("marc", []),  # followed in another ressort only
    ],
)
def test_search_by_name_phone_or_appi_within_the_ressort(client_for, cpip, people, query, expected):
    response = client_for(cpip).get(reverse("person_list"), {"q": query})
    assert response.status_code == 200
    assert names(response) == expected


def test_search_query_count_does_not_grow_with_results(
    client_for, cpip, org, django_assert_num_queries
):
    client = client_for(cpip)
    PersonFactory(last_name="Dupont", followed_by=[org.spip_alpha])
    client.get(reverse("person_list"), {"q": "dupont"})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("person_list"), {"q": "dupont"})
    for index in range(15):
        PersonFactory(last_name=f"Dupont{index}", followed_by=[org.spip_alpha, org.sap_alpha])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("person_list"), {"q": "dupont"})
    assert len(names(response)) == 16


# --- Person page --------------------------------------------------------------------


def test_every_agent_of_the_ressort_sees_the_person_and_the_opening_is_recorded(
    client_for, make_agent, org, people
):
    bex = make_agent("bex", service=org.bex_alpha)
    person = people["leveque"]
    response = client_for(bex).get(reverse("person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert Event.objects.for_object(person).filter(action="person.viewed", actor=bex).count() == 1


@pytest.mark.parametrize("name", ["person_detail", "person_edit", "person_book"])
def test_a_person_of_another_ressort_is_not_found(client_for, make_agent, org, people, name):
    agent = make_agent("greff_sap", service=org.sap_beta)
    response = client_for(agent).get(reverse(name, args=[people["leveque"].pk]))
    assert response.status_code == 404
    assert not Event.objects.filter(action="person.viewed").exists()


def test_the_person_page_query_count_does_not_grow_with_convocations(
    awkward_day, client_for, cpip, org, people, agendas
):
    person = people["leveque"]
    client = client_for(cpip)
    AppointmentFactory(person=person, agenda=agendas.spip_alpha)

    def past_and_future_convocations() -> None:
        for index in range(12):  # weekly, from 40 days ago to five weeks ahead
            AppointmentFactory(
                person=person,
                agenda=agendas.sap_alpha if index % 2 else agendas.spip_alpha,
                appointment_type=appointment_type("jap_follow_up" if index % 2 else "spip_first"),
                starts_at=days_ago(40 - index * 7),
            )

    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("person_detail", args=[person.pk])),
        past_and_future_convocations,
    )
    rows = response.context["future"] + response.context["past"]
    assert len(rows) == 13


# --- One-screen registration ----------------------------------------------------------


def form_data(**overrides):
    data = {
        "last_name": "nguyen",
        "first_names": "thi lan",
        "birth_date": "1988-07-21",
        "phone": "06 98 76 54 32",
    }
    data.update(overrides)
    return data


def booking_data(agenda, day="2027-07-06", time="10:00", code="spip_first"):
    return {
        "rdv-appointment_type": appointment_type(code).pk,
        "rdv-agenda": agenda.pk,
        "rdv-day": day,
        "rdv-time": time,
    }


def test_one_screen_registers_and_convokes(client_for, cpip, agendas, frozen_now):
    response = client_for(cpip).post(
        reverse("person_create"), form_data() | booking_data(agendas.spip_alpha)
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "person_detail", args=[person.pk]
    )
    assert (person.last_name, person.first_names, person.phone) == (
        "NGUYEN",
        "Thi Lan",
        "+33698765432",
    )
    appointment = Appointment.objects.get()
    assert appointment.person == person and appointment.assigned_agent == cpip
    assert appointment.local_start.strftime("%Y-%m-%d %H:%M") == "2027-07-06 10:00"


def test_registration_without_convocation(client_for, cpip, frozen_now):
    response = client_for(cpip).post(reverse("person_create"), form_data())
    assert response.status_code == 302
    assert Person.objects.count() == 1 and not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("person_overrides", "booking_overrides", "field", "message"),
    [
        ({"phone": "01 45 45 45 45"}, {}, "phone", "pas un portable"),
        ({"phone": "06 12"}, {}, "phone", "n’existe pas"),
        ({"phone": ""}, {}, "phone", "N’a pas de téléphone portable"),
        ({"appi_number": "1234"}, {}, "appi_number", "8 ou 12 chiffres"),
        ({"birth_date": "2020-01-01"}, {}, "birth_date", "16 ans"),
        ({"birth_date": "31/02/1990"}, {}, "birth_date", "février 1990 n’a que 28 jours"),
        ({}, {"day": "2027-07-14"}, "day", "férié"),
        ({}, {"day": "2027-07-01"}, "day", "futur"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    client_for, cpip, agendas, frozen_now, person_overrides, booking_overrides, field, message
):
    data = form_data(**person_overrides) | booking_data(agendas.spip_alpha, **booking_overrides)
    response = client_for(cpip).post(reverse("person_create"), data)
    assert response.status_code == 200
    form = (
        response.context["form"]
        if field in response.context["form"].fields
        else response.context["booking"]
    )
    assert message in " ".join(form.errors[field])
    assert not Person.objects.exists() and not Appointment.objects.exists()
    # What was typed is still there.
    assert response.context["form"]["last_name"].value() == "nguyen"
    assert str(response.context["booking"]["agenda"].value()) == str(agendas.spip_alpha.pk)


def test_a_probable_duplicate_warns_then_creates_when_confirmed(
    client_for, cpip, org, agendas, frozen_now
):
    existing = PersonFactory(
        last_name="NGUYEN",
        first_names="Thi-Lan",
        birth_date=dt.date(1988, 7, 21),
        followed_by=[org.sap_alpha],
    )
    client = client_for(cpip)
    response = client.post(reverse("person_create"), form_data(first_names="Thi Lna"))
    assert response.status_code == 200
    assert response.context["report"].probable == [existing]
    html = response.content.decode()
    assert reverse("person_detail", args=[existing.pk]) in html  # one click away
    assert "Créer quand même" in html
    assert Person.objects.count() == 1
    response = client.post(
        reverse("person_create"), form_data(first_names="Thi Lna", confirm_probable="1")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_certain_duplicate_in_another_ressort_names_who_follows_without_a_link(
    client_for, cpip, org, frozen_now
):
    other = PersonFactory(phone="+33698765432", followed_by=[org.sap_beta])
    response = client_for(cpip).post(reverse("person_create"), form_data(confirm_probable="1"))
    html = response.content.decode()
    assert "déjà enregistrée" in html and "SAP Beta" in html
    assert reverse("person_detail", args=[other.pk]) not in html
    assert Person.objects.count() == 1


def test_edit_person_keeps_typed_values_on_error(client_for, cpip, people):
    person = people["leveque"]
    url = reverse("person_edit", args=[person.pk])
    response = client_for(cpip).post(url, form_data(last_name="Lévêque", phone="01 45 45 45 45"))
    assert response.status_code == 200
    assert response.context["form"]["phone"].value() == "01 45 45 45 45"
    response = client_for(cpip).post(url, form_data(last_name="Lévêque", phone="07 81 23 45 67"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+33781234567"


def test_overseas_service_reads_numbers_in_its_region(client_for, make_agent, org, frozen_now):
    org.spip_alpha.holiday_subdivision = "973"
    org.spip_alpha.time_zone = "America/Cayenne"
    org.spip_alpha.save()
    agent = make_agent("cpip", service=org.spip_alpha)
    client_for(agent).post(reverse("person_create"), form_data(phone="0694 20 12 34"))
    assert Person.objects.get().phone == "+594694201234"


def test_archive_is_for_following_services_and_unarchive_for_local_admins(
    client_for, make_agent, org, people
):
    person = people["leveque"]
    jap = make_agent("jap", service=org.sap_alpha)  # sees the person, does not follow them
    assert (
        client_for(jap).post(reverse("person_archive", args=[person.pk, "archiver"])).status_code
        == 403
    )
    cpip = make_agent("cpip", service=org.spip_alpha)
    client_for(cpip).post(reverse("person_archive", args=[person.pk, "archiver"]))
    person.refresh_from_db()
    assert person.is_archived
    assert (
        client_for(cpip)
        .post(reverse("person_archive", args=[person.pk, "desarchiver"]))
        .status_code
        == 403
    )
    admin = make_agent("local_admin", service=org.spip_alpha)
    client_for(admin).post(reverse("person_archive", args=[person.pk, "desarchiver"]))
    person.refresh_from_db()
    assert not person.is_archived


def test_the_referent_is_chosen_among_the_cpip_following_the_person(
    client_for, make_agent, org, people
):
    person = people["leveque"]  # followed by SPIP Alpha only
    referent = make_agent("cpip", service=org.spip_alpha)
    make_agent("jap", service=org.sap_alpha)
    client = client_for(referent)
    url = reverse("person_edit", args=[person.pk])
    candidates = list(client.get(url).context["form"].fields["referent"].queryset)
    assert candidates == [referent]
    data = form_data(last_name="Lévêque", first_names="Jean-Pierre", phone="06 12 34 56 78")
    client.post(url, data | {"referent": referent.pk})
    person.refresh_from_db()
    assert person.referent == referent
    event = Event.objects.for_object(person).filter(action="person.updated").latest("pk")
    assert "referent" in event.details["fields"]


def test_the_cpip_who_registers_becomes_the_referent(client_for, cpip, frozen_now):
    client_for(cpip).post(reverse("person_create"), form_data())
    assert Person.objects.get().referent == cpip


def test_a_sap_agent_who_registers_is_not_a_referent(client_for, make_agent, org, frozen_now):
    client_for(make_agent("greff_sap", service=org.sap_alpha)).post(
        reverse("person_create"), form_data()
    )
    assert Person.objects.get().referent is None


def test_the_last_type_and_agenda_are_offered_again(client_for, cpip, agendas, frozen_now):
    client = client_for(cpip)
    data = form_data() | booking_data(agendas.spip_alpha, code="tig_tnr", day="6/7", time="10h")
    assert client.post(reverse("person_create"), data).status_code == 302
    booking = client.get(reverse("person_create")).context["booking"]
    assert booking.initial == {
        "agenda": agendas.spip_alpha.pk,
        "appointment_type": appointment_type("tig_tnr").pk,
    }
