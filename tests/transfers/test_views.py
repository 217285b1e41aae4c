"""Transfer screens: finding a person of another ressort, asking, answering, the lists."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jalon.transfers import actions
from jalon.transfers.models import Transfer, TransferAnswer
from tests.factories import AppointmentFactory, PersonFactory
from tests.queries import assert_queries_do_not_grow


def ask(world):
    return actions.request_transfer(
        agent=world.requester, person=world.person, service=world.spip_beta, reason="Déménagement"
    )


def test_another_ressort_finds_the_person_by_appi_number_without_their_file(world, client_for):
    client = client_for(world.requester)
    # The person is not visible in ressort Beta.
    assert client.get(reverse("person_detail", args=[world.person.pk])).status_code == 404
    page = client.get(reverse("transfer_create"), {"appi": "201 12 345"}).content.decode()
    assert "DURAND Léa" in page and "SPIP Alpha, SAP Alpha" in page
    assert world.person.phone not in page and world.person.phone_display not in page
    assert f"personne={world.person.pk}" in page


def test_the_exact_identity_finds_the_person_too(world, client_for):
    client = client_for(world.requester)
    page = client.get(
        reverse("transfer_create"),
        {"nom": "durand", "prenoms": "LEA", "naissance": "17/05/1990"},
    ).content.decode()
    assert "SPIP Alpha, SAP Alpha" in page


def test_a_partial_key_finds_nobody(world, client_for):
    client = client_for(world.requester)
    page = client.get(reverse("transfer_create"), {"nom": "Durand"}).content.decode()
    assert "Saisissez le numéro APPI, ou bien le nom" in page
    assert "SPIP Alpha" not in page
    page = client.get(
        reverse("transfer_create"), {"nom": "Durand", "prenoms": "Léa", "naissance": "18/05/1990"}
    ).content.decode()
    assert 'data-testid="transfer-none"' in page


def test_a_person_neither_seen_nor_matched_is_hidden(world, client_for):
    client = client_for(world.requester)
    url = reverse("transfer_create")
    assert client.get(url, {"personne": world.person.pk}).status_code == 404
    assert client.get(url, {"appi": "20199999", "personne": world.person.pk}).status_code == 404
    assert client.get(url, {"appi": "20112345", "personne": world.person.pk}).status_code == 200


def test_the_request_form_keeps_what_was_typed(world, client_for):
    client = client_for(world.requester)
    url = reverse("transfer_create") + f"?appi=20112345&personne={world.person.pk}"
    response = client.post(url, {"service": world.spip_beta.pk, "reason": "  "})
    assert response.status_code == 200
    assert "Indiquez le motif de la demande." in response.content.decode()
    assert not Transfer.objects.exists()
    response = client.post(url, {"service": world.spip_beta.pk, "reason": "Déménagement"})
    transfer = Transfer.objects.get()
    assert response["Location"] == reverse("transfer_detail", args=[transfer.pk])
    assert transfer.notify_person is False  # the box was not ticked
    # Refused by the action (already pending): the message on top, the text kept.
    response = client.post(
        url,
        {"service": world.spip_beta.pk, "reason": "Arrivée le 1er juillet", "notify_person": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "déjà une demande de transfert en cours" in page
    assert "Arrivée le 1er juillet</textarea>" in page and "checked" in page
    assert Transfer.objects.count() == 1


def test_a_refusal_without_reason_is_explained_and_nothing_changes(world, client_for, agendas):
    AppointmentFactory(
        person=world.person,
        agenda=agendas.spip_alpha,
        starts_at=world.past.starts_at + dt.timedelta(days=45),
    )
    transfer = ask(world)
    client = client_for(world.dpip_alpha)
    page = client.get(reverse("transfer_detail", args=[transfer.pk])).content.decode()
    assert 'data-testid="future-convocations"' in page  # the asked service sees what it loses
    assert "DURAND Léa" in page and reverse("person_detail", args=[world.person.pk]) in page
    response = client.post(
        reverse("transfer_answer", args=[transfer.pk]),
        {"decision": "refuser", "service": world.dpip_alpha.service_id, "reason": ""},
    )
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    assert transfer.answers.get(service=world.dpip_alpha.service).is_pending


def test_the_requester_reaches_the_file_only_once_accepted(world, client_for):
    transfer = ask(world)
    client = client_for(world.requester)
    person_url = reverse("person_detail", args=[world.person.pk])
    assert (
        person_url
        not in client.get(reverse("transfer_detail", args=[transfer.pk])).content.decode()
    )
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer)
    page = client.get(reverse("transfer_detail", args=[transfer.pk])).content.decode()
    assert person_url in page and "Transfert du suivi demandé" in page  # the timeline
    assert client.get(person_url).status_code == 200


def test_the_person_page_offers_the_request_then_shows_it_pending(
    world, client_for, make_agent, org
):
    client = client_for(make_agent("dir_greff_bex", service=org.bex_alpha))
    url = reverse("person_detail", args=[world.person.pk])
    assert 'data-testid="transfer-request"' in client.get(url).content.decode()
    form = client.get(reverse("transfer_create"), {"personne": world.person.pk})
    assert 'data-testid="transfer-form"' in form.content.decode()  # a person the agent sees
    ask(world)
    page = client.get(url).content.decode()
    assert 'data-testid="transfer-pending"' in page and "SPIP Beta" in page
    assert 'data-testid="transfer-request"' not in page
    # A service that already follows is not offered the button.
    follower = client_for(world.dpip_alpha)
    Transfer.objects.update(status=Transfer.Status.CANCELLED, decided_at=world.past.starts_at)
    assert 'data-testid="transfer-request"' not in follower.get(url).content.decode()


def test_the_menu_badge_counts_requests_waiting_for_the_service(world, client_for):
    client = client_for(world.dpip_alpha)
    assert (
        'data-testid="transfer-badge"' not in client.get(reverse("transfer_badge")).content.decode()
    )
    ask(world)
    assert ">1</span>" in client.get(reverse("transfer_badge")).content.decode()
    assert reverse("transfer_badge") in client.get(reverse("home")).content.decode()


def test_incoming_and_outgoing_lists(world, client_for):
    transfer = ask(world)
    incoming = client_for(world.dpip_alpha).get(reverse("transfer_incoming")).content.decode()
    assert "DURAND Léa" in incoming and "Reçues (1 à traiter)" in incoming
    outgoing = client_for(world.requester).get(reverse("transfer_outgoing")).content.decode()
    assert "DURAND Léa" in outgoing and "Envoyées (1 en cours)" in outgoing
    actions.refuse_transfer(agent=world.dpip_alpha, transfer=transfer, reason="Non")
    client = client_for(world.requester)
    assert "DURAND Léa" not in client.get(reverse("transfer_outgoing")).content.decode()
    done = client.get(reverse("transfer_outgoing"), {"etat": "traitees"}).content.decode()
    assert "DURAND Léa" in done and "Refusée" in done


def _many_requests(world, org, count: int) -> None:
    for _ in range(count):
        person = PersonFactory(followed_by=[org.spip_alpha, org.sap_alpha])
        transfer = Transfer.objects.create(
            person=person, requesting_service=world.spip_beta, requested_by=world.requester,
            reason="Déménagement",
        )  # fmt: skip
        TransferAnswer.objects.create(transfer=transfer, service=org.spip_alpha)
        TransferAnswer.objects.create(transfer=transfer, service=org.sap_alpha)


def test_the_lists_cost_the_same_whatever_the_number_of_requests(world, org, client_for):
    _many_requests(world, org, 2)
    for agent, name in (
        (world.dpip_alpha, "transfer_incoming"),
        (world.requester, "transfer_outgoing"),
    ):
        client = client_for(agent)
        response = assert_queries_do_not_grow(
            lambda: client.get(reverse(name)),  # noqa: B023 - called within the iteration
            lambda: _many_requests(world, org, 8),
        )
        assert response.content.decode().count('href="/transferts/') >= 10  # the rows are there
