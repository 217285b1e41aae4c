"""Logging in with the mobile number, the lockout, the limits per number and address, and
the forgotten password reset by a code sent by SMS."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from jalon.history.models import Event
from jalon.sms import delivery
from jalon.sms.models import AccountKind, Message
from jalon.space import actions, sessions, tokens
from jalon.space.models import ResetCode, SpaceSession
from tests.space.conftest import PASSWORD, PHONE, TYPED

NEW = "un autre jour de soleil"
LOGIN = "/espace/connexion/"


def refusals(reason):
    return Event.objects.filter(action="space.refused", details__reason=reason)


def log_in(client, password=PASSWORD, phone=TYPED):
    return client.post(LOGIN, {"phone": phone, "password": password})


def test_the_mobile_number_and_password_open_the_space(client, account):
    response = log_in(client)
    assert response.status_code == 302
    cookie = response.cookies[sessions.COOKIE]
    assert cookie["path"] == "/espace/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    stored = SpaceSession.objects.get(account=account)
    assert stored.key_hash == tokens.session_hash(cookie.value) != cookie.value
    assert client.get("/espace/").status_code == 200
    assert Event.objects.filter(action="space.logged_in").count() == 1


def test_a_wrong_password_is_refused_with_a_clear_message(client, account):
    response = log_in(client, password="pas le bon mot de passe")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Numéro ou mot de passe incorrect" in page
    assert f'value="{TYPED}"' in page
    assert refusals("login_failed").count() == 1
    assert client.get("/espace/").status_code == 302


def test_three_failures_lock_the_number_from_that_address(client, account):
    for _ in range(3):
        log_in(client, password="pas le bon mot de passe")
    response = log_in(client)  # the right password, locked all the same
    assert response.status_code == 400
    assert "bloquée" in response.content.decode()
    assert refusals("login_locked").count() == 1
    assert Event.objects.filter(action="space.locked_out").count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert log_in(client).status_code == 302


def test_failures_on_many_numbers_from_one_address_are_limited(client, account):
    for number in range(30):
        log_in(client, phone=f"06 12 00 00 {number:02d}", password="x")
    response = log_in(client)
    assert "Trop d’essais" in response.content.decode()
    assert refusals("login_throttled").count() == 1


def test_an_unreadable_number_is_a_form_error(client, db):
    response = log_in(client, phone="abc")
    assert response.status_code == 400
    assert "Numéro illisible" in response.content.decode()


def test_logging_out_ends_the_session(space_client, account):
    response = space_client.post("/espace/deconnexion/")
    assert response.status_code == 302
    assert not SpaceSession.objects.filter(account=account).exists()
    assert space_client.get("/espace/").status_code == 302


def test_an_idle_session_ends(space_client):
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = space_client.get("/espace/")
    assert response.status_code == 302
    assert response["Location"] == reverse("space_login")


def test_an_archived_person_is_logged_out(space_client, person):
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])
    assert space_client.get("/espace/").status_code == 302


# --- Forgotten password ------------------------------------------------------------------


def ask_code(client, phone=TYPED):
    return client.post("/espace/mot-de-passe-oublie/", {"phone": phone})


def reset(client, code, password=NEW, phone=PHONE):
    return client.post(
        "/espace/mot-de-passe-oublie/code/",
        {"phone": phone, "code": code, "password1": password, "password2": password},
    )


def current_code(account):
    row = ResetCode.objects.filter(account=account).first()
    return tokens.reset_code(row.pk, row.nonce)


def test_a_code_by_sms_resets_the_password_and_closes_the_sessions(client, account, fake_provider):
    other = actions.open_session(account)
    assert ask_code(client).status_code == 200
    row = ResetCode.objects.get(account=account)
    assert row.message.kind == AccountKind.CODE
    delivery.deliver(row.message_id, fake_provider.provider())
    code = current_code(account)
    assert code in fake_provider.messages[0].text
    assert code not in Message.objects.get(pk=row.message_id).text
    response = reset(client, code)
    assert response.status_code == 302
    assert not SpaceSession.objects.filter(key_hash=tokens.session_hash(other)).exists()
    assert log_in(client, password=NEW).status_code == 302
    assert Event.objects.filter(action="space.password_reset").count() == 1


def test_the_answer_is_the_same_for_an_unknown_number(client, db):
    response = ask_code(client, phone="06 11 22 33 44")
    assert response.status_code == 200
    assert "Si un espace existe pour ce numéro" in response.content.decode()
    assert not Message.objects.exists()
    assert refusals("code_no_account").count() == 1


def test_a_wrong_code_is_refused_and_counted(client, account):
    ask_code(client)
    code = current_code(account)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = reset(client, wrong)
    assert response.status_code == 400
    assert "Il vous reste 4 essais" in response.content.decode()
    assert refusals("code_wrong").count() == 1
    assert log_in(client).status_code == 302  # the password did not change


def test_an_expired_code_is_refused(client, account):
    ask_code(client)
    code = current_code(account)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = reset(client, code)
    assert response.status_code == 400
    assert "a expiré ou a déjà servi" in response.content.decode()
    assert refusals("code_expired").count() == 1


def test_a_used_code_is_refused(client, account):
    ask_code(client)
    code = current_code(account)
    reset(client, code)
    response = reset(client, code, password="encore un autre soleil")
    assert response.status_code == 400
    assert log_in(client, password=NEW).status_code == 302


def test_a_weak_new_password_keeps_the_code_usable(client, account):
    ask_code(client)
    code = current_code(account)
    assert reset(client, code, password="court").status_code == 400
    assert reset(client, code).status_code == 302


def test_codes_are_limited_per_number(client, account):
    for _ in range(3):
        ask_code(client)
    response = ask_code(client)
    assert response.status_code == 429
    assert "Trop d’essais" in response.content.decode()
    assert ResetCode.objects.filter(account=account).count() == 3
