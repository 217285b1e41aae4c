"""Inviting a person to their space: status on the record, re-sent once, the SMS leaving
exactly once through the outbox, and every refusal of the link in history."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jalon.history.models import Event
from jalon.sms import delivery
from jalon.sms.models import AccountKind, Message
from jalon.space import actions, tokens
from jalon.space.models import Invitation, SpaceAccount, SpaceSession
from tests.space.conftest import PASSWORD, PHONE, TYPED

Status = Invitation.Status


def invite(agent, person, seen=Status.NOT_INVITED):
    return actions.invite(agent=agent, person=person, seen_status=seen)


def link(invitation):
    invitation.refresh_from_db()
    return reverse(
        "space_invitation", args=[tokens.invitation_token(invitation.pk, invitation.nonce)]
    )


def refusals(reason):
    return Event.objects.filter(action="space.refused", details__reason=reason)


def accept_data(phone=TYPED, password=PASSWORD):
    return {"phone": phone, "password1": password, "password2": password}


def test_an_invitation_queues_one_sms_and_shows_invited(cpip, person):
    outcome = invite(cpip, person)
    assert outcome.done
    invitation = Invitation.objects.get(person=person)
    assert actions.invitation_status(person)[0] == Status.INVITED
    message = invitation.message
    assert message.kind == AccountKind.INVITATION
    assert message.appointment is None
    assert message.phone == PHONE
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert Event.objects.filter(action="space.invited", target_id=str(person.pk)).count() == 1


def test_a_double_click_invites_once(cpip, person):
    invite(cpip, person)
    second = invite(cpip, person)  # the same status seen: nothing twice
    assert not second.done
    assert Message.objects.filter(person=person).count() == 1


def test_the_invitation_can_be_resent_once_and_the_first_link_dies(client, cpip, person):
    invite(cpip, person)
    first = link(Invitation.objects.get(person=person))
    assert invite(cpip, person, seen=Status.INVITED).done
    assert actions.invitation_status(person)[0] == Status.RESENT
    third = invite(cpip, person, seen=Status.RESENT)
    assert not third.done
    assert "déjà été renvoyée" in third.message
    assert Message.objects.filter(person=person).count() == 2
    assert refusals("invite_again").count() == 1
    assert client.get(first).status_code == 404
    assert refusals("invitation_invalid").count() == 1


def test_the_sms_leaves_once_with_the_link_which_the_outbox_does_not_keep(
    cpip, person, fake_provider, settings
):
    settings.JALON_PUBLIC_BASE_URL = "https://jalon.gouv.fr"
    invite(cpip, person)
    invitation = Invitation.objects.get(person=person)
    provider = fake_provider.provider()
    assert delivery.deliver(invitation.message_id, provider) == Message.Status.SENT
    assert delivery.deliver(invitation.message_id, provider) is None
    sent = fake_provider.messages[0].text
    assert f"https://jalon.gouv.fr{link(invitation)}" in sent
    kept = Message.objects.get(pk=invitation.message_id).text
    assert "[lien personnel]" in kept
    assert tokens.invitation_token(invitation.pk, invitation.nonce) not in kept


def test_accepting_creates_the_account_and_logs_in(client, cpip, person):
    invite(cpip, person)
    invitation = Invitation.objects.get(person=person)
    response = client.post(link(invitation), accept_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("space_home")
    account = SpaceAccount.objects.get(person=person)
    assert account.phone == PHONE
    assert SpaceSession.objects.filter(account=account).count() == 1
    assert actions.invitation_status(person)[0] == Status.ACCOUNT_CREATED
    assert Event.objects.filter(action="space.account_created").count() == 1
    assert client.get(reverse("space_home")).status_code == 200


def test_a_used_link_is_refused(client, cpip, person):
    invite(cpip, person)
    url = link(Invitation.objects.get(person=person))
    client.post(url, accept_data())
    client.cookies.clear()
    response = client.get(url)
    assert response.status_code == 410
    assert "déjà servi" in response.content.decode()
    assert refusals("invitation_used").count() == 1
    assert SpaceAccount.objects.count() == 1


def test_an_expired_link_is_refused(client, cpip, person):
    invite(cpip, person)
    url = link(Invitation.objects.get(person=person))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert actions.invitation_status(person)[0] == Status.EXPIRED
        response = client.post(url, accept_data())
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert refusals("invitation_expired").count() == 1
    assert not SpaceAccount.objects.exists()


def test_an_expired_invitation_may_be_sent_again(cpip, person):
    invite(cpip, person)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert invite(cpip, person, seen=Status.EXPIRED).done
        assert actions.invitation_status(person)[0] == Status.INVITED
    assert Invitation.objects.filter(person=person).count() == 2


def test_another_number_is_refused_and_what_was_typed_is_kept(client, cpip, person):
    invite(cpip, person)
    response = client.post(
        link(Invitation.objects.get(person=person)), accept_data(phone="06 99 88 77 66")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "pas celui auquel l’invitation a été envoyée" in page
    assert 'value="06 99 88 77 66"' in page
    assert refusals("invitation_wrong_number").count() == 1
    assert not SpaceAccount.objects.exists()


def test_wrong_numbers_are_limited(client, cpip, person):
    invite(cpip, person)
    url = link(Invitation.objects.get(person=person))
    for _ in range(5):
        client.post(url, accept_data(phone="06 99 88 77 66"))
    response = client.post(url, accept_data())  # even the right one, for an hour
    assert "Trop d’essais" in response.content.decode()
    assert not SpaceAccount.objects.exists()


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("court", "trop court"),
        ("123456789012345", "entièrement numérique"),
        ("bernardlucie", "trop semblable"),
    ],
)
def test_the_agents_password_policy_in_plain_french(client, cpip, person, password, words):
    invite(cpip, person)
    response = client.post(
        link(Invitation.objects.get(person=person)), accept_data(password=password)
    )
    assert response.status_code == 400
    if words:
        assert words in response.content.decode()
    assert not SpaceAccount.objects.exists()


def test_a_forged_token_is_refused(client, db):
    for token in ["zz-0000000000000000", "abc", "1-" + "x" * 16]:
        assert client.get(reverse("space_invitation", args=[token])).status_code == 404


# --- From the person's page (agents) -------------------------------------------------------


def test_the_referent_invites_from_the_person_page(client_for, cpip, person):
    client = client_for(cpip)
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Non invitée" in page and "Inviter à l’espace personnel" in page
    response = client.post(
        reverse("space_invite", args=[person.pk]), {"seen_status": "not_invited"}, follow=True
    )
    assert "Invitation envoyée par SMS." in response.content.decode()
    assert "Renvoyer l’invitation" in response.content.decode()


def test_an_agent_who_may_not_invite_gets_403(client_for, make_agent, org, person):
    secretary = make_agent("secretary_spip", service=org.spip_alpha)
    response = client_for(secretary).post(
        reverse("space_invite", args=[person.pk]), {"seen_status": "not_invited"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_person_out_of_scope_is_404(client_for, make_agent, org, person):
    other = make_agent("local_admin", service=org.sap_beta)
    response = client_for(other).post(
        reverse("space_invite", args=[person.pk]), {"seen_status": "not_invited"}
    )
    assert response.status_code == 404
