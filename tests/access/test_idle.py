"""Inactivity timeout that never cuts a working agent (CNP-13)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

START = datetime(2027, 7, 5, 8, 0, tzinfo=UTC)  # a fixed moment: the day does not matter


def at(minutes: float) -> time_machine.travel:
    """Freeze time ``minutes`` after the start (a timestamp keeps the local time zone)."""
    moment: datetime = START + timedelta(minutes=minutes)
    return time_machine.travel(moment.timestamp(), tick=False)


@pytest.fixture
def client(client_for, make_agent, settings):
    settings.IDLE_TIMEOUT = timedelta(minutes=30)
    with at(0):  # logged in at the start, the session's expiry counted from it
        client = client_for(make_agent("local_admin"))
        assert client.get(reverse("home")).status_code == 200
    return client


def test_an_idle_session_ends_and_sends_back_to_the_same_page(client):
    with at(31):
        response = client.get(reverse("agent_list") + "?q=mar")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=%2Fadministration%2Fagents%2F%3Fq%3Dmar"
    assert "_auth_user_id" not in client.session


def test_a_working_agent_is_never_cut(client):
    for minutes in (20, 40, 60, 80):  # a request (or a keep-alive ping) every 20 minutes
        with at(minutes):
            assert client.post(reverse("session_keepalive")).status_code == 200
    with at(105):
        assert client.get(reverse("home")).status_code == 200


def test_the_status_probe_does_not_count_as_activity(client):
    with at(20):
        assert client.get(reverse("session_status")).json() == {"authenticated": True}
    with at(31):
        expired = client.get(reverse("session_status"))
    assert expired.status_code == 401 and expired.json() == {"authenticated": False}


def test_htmx_requests_are_redirected_as_a_full_page(client):
    with at(45):
        response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/connexion/?next=")
