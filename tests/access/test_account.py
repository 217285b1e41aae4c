"""« Mon compte »: password, second factor, open sessions, what probationers see."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.access.models import AgentSession, describe_user_agent
from jalon.history.models import Event
from tests.factories import PASSWORD

NEW_PASSWORD = "Une-phrase-de-passe-2027!"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def logged_in(agent, user_agent=FIREFOX, address="10.1.1.1") -> Client:
    """A real login (password form), as a browser on its own would do it."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": agent.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_page_is_linked_from_the_header_and_lists_this_session(cpip):
    client = logged_in(cpip)
    home = client.get(reverse("home")).content.decode()
    assert reverse("account") in home and "Mon compte" in home
    page = client.get(reverse("account"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Firefox sous Linux" in html and "10.1.1.1" in html and "Cette session" in html


def test_a_login_records_the_session_and_a_logout_removes_it(cpip):
    client = logged_in(cpip)
    row = AgentSession.objects.get(agent=cpip)
    assert (row.address, row.device) == ("10.1.1.1", "Firefox sous Linux")
    client.post(reverse("logout"))
    assert not AgentSession.objects.exists()


def test_ending_another_session_logs_it_out(cpip):
    office, laptop = logged_in(cpip), logged_in(cpip, user_agent=CHROME, address="10.2.2.2")
    other = AgentSession.objects.get(address="10.2.2.2")
    response = office.post(reverse("account_session_end", args=[other.pk]))
    assert response.status_code == 302
    assert laptop.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("home")).status_code == 200
    assert list(AgentSession.objects.values_list("address", flat=True)) == ["10.1.1.1"]
    event = Event.objects.get(action="account.sessions_ended")
    assert (event.actor, event.details) == (cpip, {"ended": 1})


def test_ending_all_other_sessions_keeps_this_one(cpip):
    office = logged_in(cpip)
    others = [logged_in(cpip, address=f"10.0.0.{n}") for n in range(3)]
    office.post(reverse("account_sessions_end_others"))
    assert office.get(reverse("home")).status_code == 200
    assert all(other.get(reverse("home")).status_code == 302 for other in others)
    assert Session.objects.count() == 1 and AgentSession.objects.count() == 1


def test_another_agents_session_cannot_be_ended(cpip, make_agent, org):
    colleague = make_agent("cpip", service=org.spip_alpha)
    theirs = logged_in(colleague)
    mine = logged_in(cpip)
    row = AgentSession.objects.get(agent=colleague)
    assert mine.post(reverse("account_session_end", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("home")).status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(cpip):
    office, laptop = logged_in(cpip), logged_in(cpip, address="10.2.2.2")
    response = office.post(
        reverse("account_password"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    cpip.refresh_from_db()
    assert cpip.check_password(NEW_PASSWORD)
    assert office.get(reverse("account")).status_code == 200
    assert laptop.get(reverse("home")).status_code == 302
    assert list(AgentSession.objects.values_list("address", flat=True)) == ["10.1.1.1"]
    event = Event.objects.get(action="account.password_changed")
    assert (event.actor, event.target_id, event.details) == (cpip, str(cpip.pk), {"ended": 1})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "old_password",
            "n’est pas le bon",
        ),
        (
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "autre"},
            "new_password2",
            "",
        ),
        ({"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}, None, ""),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(cpip, data, field, message):
    client = logged_in(cpip)
    response = client.post(reverse("account_password"), data)
    assert response.status_code == 200
    form = response.context["password_form"]
    assert form.errors
    if field:
        assert message in " ".join(form.errors[field])
    cpip.refresh_from_db()
    assert cpip.check_password(PASSWORD)
    assert not Event.objects.filter(action="account.password_changed").exists()


def test_resetting_the_second_factor_asks_the_password_then_enrols_again(cpip):
    TOTPDevice.objects.create(user=cpip, name="ancien", confirmed=True)
    client = logged_in(cpip)
    refused = client.post(reverse("account_two_factor_reset"), {"password": "faux"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=cpip).exists()
    response = client.post(reverse("account_two_factor_reset"), {"password": PASSWORD})
    assert response["Location"].startswith(reverse("two_factor"))
    assert not TOTPDevice.objects.filter(user=cpip, confirmed=True).exists()
    enrol = client.get(response["Location"])
    assert enrol.context["enrolling"] is True
    assert Event.objects.filter(action="account.two_factor_reset", actor=cpip).exists()


def test_sharing_choices_are_saved_and_recorded(cpip):
    client = logged_in(cpip)
    response = client.post(
        reverse("account_sharing"), {"phone": "03 88 00 00 01", "share_phone": "on"}
    )
    assert response.status_code == 302
    cpip.refresh_from_db()
    assert (cpip.phone, cpip.share_phone, cpip.share_email) == ("03 88 00 00 01", True, False)
    event = Event.objects.get(action="account.sharing_updated")
    assert event.details == {"fields": ["phone", "share_phone"]}


def test_sharing_a_phone_needs_a_phone(cpip):
    client = logged_in(cpip)
    response = client.post(reverse("account_sharing"), {"share_phone": "on"})
    assert response.status_code == 200
    assert "pour pouvoir le partager" in response.context["sharing_form"].errors["phone"][0]
    cpip.refresh_from_db()
    assert not cpip.share_phone


def test_the_page_costs_the_same_queries_with_more_sessions(cpip):
    from tests.queries import assert_queries_do_not_grow

    client = logged_in(cpip)
    assert_queries_do_not_grow(
        lambda: client.get(reverse("account")),
        lambda: [logged_in(cpip, address=f"10.9.9.{n}") for n in range(3)],
    )


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [(FIREFOX, "Firefox sous Linux"), (CHROME, "Chrome sous Windows"), ("", "Navigateur inconnu")],
)
def test_the_device_is_named_in_french(user_agent, expected):
    assert describe_user_agent(user_agent) == expected


def test_a_session_idle_past_the_timeout_is_not_listed_and_goes_at_the_next_login(cpip):
    import datetime as dt

    from django.utils import timezone

    logged_in(cpip, address="10.3.3.3")
    AgentSession.objects.update(last_seen_at=timezone.now() - dt.timedelta(hours=2))
    client = logged_in(cpip)
    html = client.get(reverse("account")).content.decode()
    assert "10.3.3.3" not in html
    assert list(AgentSession.objects.values_list("address", flat=True)) == ["10.1.1.1"]
