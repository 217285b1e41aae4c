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


def _login(client, email, password, address="10.1.1.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


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


def test_case_and_space_variants_share_one_counter(client, make_agent):
    agent = make_agent(email="camille.martin@jalon.test")
    assert _login(client, "Camille.Martin@jalon.test", "mauvais").status_code == 200
    assert _login(client, " CAMILLE.MARTIN@JALON.TEST ", "mauvais").status_code == 200
    third = _login(client, "camille.martin@Jalon.Test", "mauvais")
    assert third.status_code == 429
    assert Event.objects.filter(action="auth.locked_out", target_id=str(agent.pk)).count() == 1


def test_the_right_password_in_another_case_is_refused_while_locked(client, make_agent):
    agent = make_agent(email="camille.martin@jalon.test")
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    for variant in ("CAMILLE.MARTIN@JALON.TEST", " Camille.Martin@jalon.test"):
        response = _login(client, variant, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_a_lock_from_one_address_does_not_lock_the_account_from_another(client, make_agent):
    agent = make_agent()
    for _ in range(3):
        _login(client, agent.email, "mauvais", address="192.0.2.10")
    assert _login(client, agent.email, PASSWORD, address="192.0.2.10").status_code == 429
    assert _login(client, agent.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_failures_across_addresses_lock_the_account_everywhere(client, make_agent, settings):
    agent = make_agent()
    addresses = [f"203.0.113.{n}" for n in range(1, settings.LOCKOUT_ACCOUNT_FAILURES)]
    attempts = [a for a in addresses for _ in range(settings.LOCKOUT_FAILURES - 1)]
    attempts = attempts[: settings.LOCKOUT_ACCOUNT_FAILURES - 1]
    for address in attempts:
        assert _login(client, agent.email, "mauvais", address=address).status_code == 200
    # One failure short of the account-wide limit, no address is locked yet.
    last = _login(client, agent.email, "mauvais", address="203.0.113.99")
    assert last.status_code == 429
    page = _login(client, agent.email, PASSWORD, address="198.51.100.7")
    assert page.status_code == 429
    assert "depuis plusieurs réseaux" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(
        action="auth.locked_out", target_id=str(agent.pk), details__scope="account"
    ).exists()


def test_the_locked_page_says_why_and_what_to_do(client, make_agent):
    agent = make_agent()
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    page = _login(client, agent.email, "mauvais").content.decode()
    assert "Compte temporairement bloqué" in page
    assert "Réessayez dans 30 minutes" in page
    assert "Mot de passe oublié ?" in page
    assert "administrateur local" in page
    # The generic "wrong password" message is not shown on top of it.
    assert "Adresse électronique ou mot de passe incorrect" not in page


def test_an_unknown_address_is_counted_like_a_known_one(client, db):
    for _ in range(2):
        assert _login(client, "personne@jalon.test", "mauvais").status_code == 200
    assert _login(client, "Personne@jalon.test", "mauvais").status_code == 429


def test_the_back_office_login_is_locked_too(client, make_agent, org):
    admin = make_agent("national_admin", service=org.national)
    for _ in range(3):
        _login(client, admin.email, "mauvais")
    response = client.post(
        "/admin/login/",
        {"username": admin.email.upper(), "password": PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_a_local_admin_unlocks_a_locked_account(client, make_agent, client_for):
    agent = make_agent()
    admin = make_agent("local_admin")
    for _ in range(3):
        _login(client, agent.email, "mauvais")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        _login(client, agent.email, "mauvais", address=address)
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
        (timezone.now() + settings.LOCKOUT_COOLOFF + timedelta(minutes=1)).timestamp()
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
