"""Local administration of agents: create with invitation, transfer, scope, operations."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from jalon.access.models import Agent
from jalon.history.models import Event
from tests.factories import PASSWORD, profile
from tests.jobs import run_pending_jobs


def _create(client, org, **overrides):
    data = {
        "email": "nouvelle.agente@jalon.test",
        "first_name": "Zoé",
        "last_name": "Nouvelle",
        "service": org.sap_alpha.pk,
        "profile": profile("greff_sap").pk,
        "phone": "",
        **overrides,
    }
    return client.post(reverse("agent_create"), data)


@pytest.mark.django_db(transaction=True)
def test_a_local_admin_creates_an_agent_who_chooses_a_password(client_for, make_agent, org, client):
    admin_client = client_for(make_agent("local_admin"))
    response = _create(admin_client, org)
    created = Agent.objects.get(email="nouvelle.agente@jalon.test")
    assert response["Location"] == reverse("agent_detail", args=[created.pk])
    assert not created.has_usable_password()
    assert Event.objects.filter(action="agent.created", target_id=str(created.pk)).exists()
    assert mail.outbox == []  # queued as a job, not sent during the request
    run_pending_jobs()
    assert [message.to for message in mail.outbox] == [["nouvelle.agente@jalon.test"]]
    link = re.search(r"https?://[^/]+(/invitation/\S+/)", mail.outbox[0].body).group(1)
    admin_client.logout()
    page = client.get(link, follow=True)
    assert "Bienvenue : choisissez votre mot de passe" in page.content.decode()
    new_password = "Ma-phrase-de-passe-2026"
    client.post(
        page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert (
        client.post(
            "/connexion/", {"username": created.email, "password": new_password}
        ).status_code
        == 302
    )


def test_the_form_keeps_what_was_typed_and_explains_errors(client_for, make_agent, org):
    admin_client = client_for(make_agent("local_admin"))
    response = _create(admin_client, org, email="pas-une-adresse", profile=profile("cpip").pk)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="pas-une-adresse"' in content and 'value="Zoé"' in content
    assert "Saisissez une adresse de courriel valide" in content
    assert not Agent.objects.filter(first_name="Zoé").exists()


def test_a_profile_foreign_to_the_service_is_refused(client_for, make_agent, org):
    admin_client = client_for(make_agent("local_admin"))
    response = _create(admin_client, org, profile=profile("cpip").pk)
    assert "ne peut pas être attribué" in response.content.decode()


def test_a_local_admin_creates_only_in_their_service(client_for, make_agent, org):
    admin_client = client_for(make_agent("local_admin"))
    _create(admin_client, org, service=org.sap_beta.pk)
    assert Agent.objects.get(email="nouvelle.agente@jalon.test").service == org.sap_alpha


@pytest.mark.django_db(transaction=True)
def test_an_existing_address_proposes_a_transfer_and_tells_the_former_service(
    client_for, make_agent, org
):
    former_admin = make_agent("local_admin", service=org.sap_beta, email="admin.beta@jalon.test")
    moving = make_agent("greff_sap", service=org.sap_beta, email="Mobile@jalon.test")
    admin_client = client_for(make_agent("local_admin"))
    confirm = _create(admin_client, org, email="mobile@JALON.test", profile=profile("jap").pk)
    assert confirm.status_code == 200
    assert "Confirmer la mutation" in confirm.content.decode()
    assert "SAP Beta" in confirm.content.decode()
    moving.refresh_from_db()
    assert moving.service == org.sap_beta  # nothing moved before confirmation
    done = _create(
        admin_client,
        org,
        email="mobile@jalon.test",
        profile=profile("jap").pk,
        confirm_transfer="1",
    )
    assert done["Location"] == reverse("agent_detail", args=[moving.pk])
    moving.refresh_from_db()
    assert (moving.service, moving.profile.code) == (org.sap_alpha, "jap")
    assert Agent.objects.filter(email__iexact="mobile@jalon.test").count() == 1
    event = Event.objects.get(action="agent.transferred", target_id=str(moving.pk))
    assert event.details["from_service"] == "SAP Beta"
    run_pending_jobs()
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {org.sap_beta.email, former_admin.email}
    assert "muté(e) dans le service « SAP Alpha »" in mail.outbox[0].body


def test_an_agent_already_in_the_service_is_not_duplicated(client_for, make_agent, org):
    make_agent(email="deja@jalon.test")
    response = _create(client_for(make_agent("local_admin")), org, email="deja@jalon.test")
    assert "fait déjà partie de ce service" in response.content.decode()


def test_an_agent_of_another_jurisdiction_is_not_found(client_for, make_agent, org):
    stranger = make_agent("jap", service=org.sap_beta)
    admin_client = client_for(make_agent("local_admin"))
    assert admin_client.get(reverse("agent_detail", args=[stranger.pk])).status_code == 404
    assert admin_client.get(reverse("agent_edit", args=[stranger.pk])).status_code == 404
    assert (
        admin_client.post(reverse("agent_operation", args=[stranger.pk, "deactivate"])).status_code
        == 404
    )
    stranger.refresh_from_db()
    assert stranger.is_active


def test_agents_without_the_capability_cannot_administer(client_for, make_agent):
    client = client_for(make_agent("jap"))
    assert client.get(reverse("agent_list")).status_code == 403
    assert client.get(reverse("agent_create")).status_code == 403


def test_the_list_shows_only_the_service_and_searches(client_for, make_agent, org):
    make_agent(last_name="Visible")
    make_agent(service=org.sap_beta, last_name="Cachée")
    client = client_for(make_agent("local_admin"))
    content = client.get(reverse("agent_list")).content.decode()
    assert "VISIBLE" in content and "CACHÉE" not in content
    searched = client.get(reverse("agent_list"), {"q": "visi"}).content.decode()
    assert "VISIBLE" in searched


def test_a_national_admin_sees_every_service(client_for, make_agent, org):
    other = make_agent(service=org.sap_beta, last_name="Lointaine")
    client = client_for(make_agent("national_admin", service=org.national))
    assert "LOINTAINE" in client.get(reverse("agent_list")).content.decode()
    assert client.get(reverse("agent_detail", args=[other.pk])).status_code == 200


def test_deactivation_blocks_login_and_keeps_history(client_for, make_agent, client):
    agent = make_agent()
    admin_client = client_for(make_agent("local_admin"))
    admin_client.post(reverse("agent_operation", args=[agent.pk, "deactivate"]))
    agent.refresh_from_db()
    assert not agent.is_active
    admin_client.logout()
    assert (
        client.post("/connexion/", {"username": agent.email, "password": PASSWORD}).status_code
        == 200
    )
    assert Event.objects.filter(action="agent.deactivated", target_id=str(agent.pk)).exists()


def test_editing_records_what_changed(client_for, make_agent):
    agent = make_agent(last_name="Avant")
    admin_client = client_for(make_agent("local_admin"))
    admin_client.post(
        reverse("agent_edit", args=[agent.pk]),
        {
            "first_name": agent.first_name,
            "last_name": "Après",
            "profile": profile("jap").pk,
            "phone": "",
        },
    )
    event = Event.objects.get(action="agent.updated", target_id=str(agent.pk))
    assert event.details["changes"]["last_name"] == ["Avant", "Après"]
    assert event.details["changes"]["profile"] == ["Greffier SAP", "JAP"]


def test_opening_an_agent_page_is_recorded_and_shown_in_the_timeline(client_for, make_agent):
    agent = make_agent()
    admin = make_agent("local_admin")
    content = client_for(admin).get(reverse("agent_detail", args=[agent.pk])).content.decode()
    assert Event.objects.filter(
        action="agent.viewed", actor=admin, target_id=str(agent.pk)
    ).exists()
    assert "Fiche agent consultée" in content
    assert "127.0.0.1" in content
