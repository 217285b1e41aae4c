import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jalon.history.models import Event
from tests.factories import PASSWORD

LOGIN = "/connexion/"


def _login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_with_e_mail_in_any_case_records_history(client, make_agent):
    agent = make_agent(email="camille.martin@jalon.test")
    response = _login(client, "Camille.MARTIN@jalon.test", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Event.objects.filter(action="auth.login", actor=agent).exists()


def test_a_wrong_password_gets_a_french_message(client, make_agent):
    agent = make_agent()
    response = _login(client, agent.email, "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()
    assert Event.objects.filter(action="auth.login_failed", target_id=str(agent.pk)).count() == 1


def test_the_account_locks_on_the_third_failure_and_stays_locked(client, make_agent):
    agent = make_agent()
    for _ in range(2):
        assert _login(client, agent.email, "mauvais").status_code == 200
    third = _login(client, agent.email, "mauvais")
    assert third.status_code == 429
    assert "temporairement bloqué après 3 essais" in third.content.decode()
    # Even the right password is refused while locked.
    locked = _login(client, agent.email, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(action="auth.locked_out", target_id=str(agent.pk)).exists()


def test_lockout_is_per_account_not_per_building(client, make_agent):
    victim, colleague = make_agent(), make_agent()
    for _ in range(3):
        _login(client, victim.email, "mauvais")
    assert _login(client, colleague.email, PASSWORD).status_code == 302


def test_a_local_admin_unlocks_a_locked_account(client, make_agent, client_for):
    agent = make_agent()
    admin = make_agent("local_admin")
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    admin_client = client_for(admin)
    detail = admin_client.get(reverse("agent_detail", args=[agent.pk]))
    assert "Bloqué après 3 échecs" in detail.content.decode()
    admin_client.post(reverse("agent_operation", args=[agent.pk, "unlock"]))
    admin_client.logout()
    assert _login(client, agent.email, PASSWORD).status_code == 302
    assert Event.objects.filter(
        action="agent.unlocked", actor=admin, target_id=str(agent.pk)
    ).exists()


def test_the_lock_ends_after_the_cool_off(client, make_agent, settings):
    agent = make_agent()
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    with time_machine.travel(
        (timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)).timestamp()
    ):
        assert _login(client, agent.email, PASSWORD).status_code == 302


def _reset_link(outbox_message):
    return re.search(r"https?://[^/]+(/mot-de-passe/[^\s]+/)", outbox_message.body).group(1)


def test_password_reset_by_e_mail_with_a_single_use_link(client, make_agent):
    agent = make_agent()
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    response = client.post(reverse("password_reset"), {"email": agent.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [agent.email]
    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "Une-phrase-de-passe-toute-neuve"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    # Used once: the same link no longer works.
    again = client.get(link, follow=True)
    assert "Lien expiré ou déjà utilisé" in again.content.decode()
    # Proving ownership of the mailbox lifted the lockout.
    assert _login(client, agent.email, new_password).status_code == 302
    assert Event.objects.filter(action="auth.password_reset", target_id=str(agent.pk)).exists()


def test_password_reset_link_expires(client, make_agent, settings):
    agent = make_agent()
    client.post(reverse("password_reset"), {"email": agent.email})
    link = _reset_link(mail.outbox[0])
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later.timestamp()):  # a timestamp keeps the local time zone
        page = client.get(link, follow=True)
    assert "Lien expiré ou déjà utilisé" in page.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "personne@jalon.test"})
    assert response.status_code == 302 and mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-1", "au minimum 12 caractères"),
        ("123456789012345", "entièrement numérique"),
        ("password123456", "trop courant"),
    ],
)
def test_password_policy_is_explained_in_french(client, make_agent, password, message):
    agent = make_agent()
    client.post(reverse("password_reset"), {"email": agent.email})
    set_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_inactive_agent_cannot_log_in(client, make_agent):
    agent = make_agent(is_active=False)
    assert _login(client, agent.email, PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_clears_the_tab_storage(client_for, make_agent):
    client = client_for(make_agent())
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"storage"'
