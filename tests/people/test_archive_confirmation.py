"""Archiving a person asks first and says what archiving stops and hides (fault 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.history.models import Event
from tests.factories import AppointmentFactory, MessageFactory, PersonFactory


@pytest.fixture
def person(org):
    return PersonFactory(last_name="Lambert", followed_by=[org.spip_alpha])


def test_the_person_page_links_to_the_confirmation(client_for, cpip, person):
    page = client_for(cpip).get(reverse("person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="archive-link"' in page
    assert f'action="{reverse("person_archive", args=[person.pk, "archiver"])}"' not in page


def test_the_confirmation_says_what_happens_and_archives_nothing(client_for, cpip, person, agendas):
    future = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    MessageFactory(appointment=future)

    response = client_for(cpip).get(reverse("person_archive", args=[person.pk, "archiver"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Archiver la fiche de LAMBERT Jean ?" in page
    assert "Plus aucune convocation ne pourra être prise" in page
    assert "1 SMS prévu ne partira pas" in page
    assert "supprimés définitivement 6 mois après l’archivage" in page
    assert reverse("appointment_detail", args=[future.pk]) in page  # to cancel it first
    person.refresh_from_db()
    assert not person.is_archived


def test_confirming_twice_archives_once_without_an_error(client_for, cpip, person):
    client = client_for(cpip)
    url = reverse("person_archive", args=[person.pk, "archiver"])

    first = client.post(url)
    second = client.post(url, follow=True)

    assert first.status_code == 302 and second.status_code == 200
    person.refresh_from_db()
    assert person.is_archived
    assert Event.objects.filter(action="person.archived").count() == 1
    assert "Fiche archivée" in second.content.decode()


def test_an_agent_who_may_not_archive_gets_403_on_the_confirmation(
    client_for, make_agent, org, person
):
    jap = make_agent("jap", service=org.sap_alpha)  # sees the person, does not follow them
    response = client_for(jap).get(reverse("person_archive", args=[person.pk, "archiver"]))
    assert response.status_code == 403
