"""Global gates: the security charter (MSJ-74) and the second factor."""

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.history.models import Event


@pytest.mark.parametrize("url_name", ["home", "agent_list", "agent_create", "admin:index"])
def test_the_charter_gate_redirects_every_page(client_for, make_agent, org, url_name):
    agent = make_agent("national_admin", service=org.national, new=True)
    response = client_for(agent).get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("charter") + "?next=")


def test_accepting_the_charter_is_recorded_and_leads_on(client_for, make_agent):
    agent = make_agent(new=True)
    client = client_for(agent)
    refused = client.post(reverse("charter"), {"next": "/"})
    assert "Cochez la case pour accepter la charte" in refused.content.decode()
    accepted = client.post(reverse("charter"), {"accept": "on", "next": "/administration/agents/"})
    assert accepted["Location"] == "/administration/agents/"
    agent.refresh_from_db()
    assert agent.charter_accepted_at is not None
    assert Event.objects.filter(action="auth.charter_accepted", actor=agent).count() == 1
    assert client.get(reverse("home")).status_code == 200


def test_the_charter_page_refuses_an_external_next(client_for, make_agent):
    client = client_for(make_agent(new=True))
    response = client.post(reverse("charter"), {"accept": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_no_second_factor_unless_required(client_for, make_agent):
    assert client_for(make_agent()).get(reverse("home")).status_code == 200


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_service_requiring_2fa_enrols_then_verifies(client_for, make_agent, org):
    org.sap_alpha.requires_2fa = True
    org.sap_alpha.save()
    agent = make_agent()
    client = client_for(agent)
    gate = client.get(reverse("home"))
    assert gate["Location"].startswith(reverse("two_factor"))
    page = client.get(gate["Location"])
    assert "Code QR" in page.content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    wrong = client.post(
        reverse("two_factor"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "Ce code n’est pas valide" in wrong.content.decode()
    throttled = client.post(reverse("two_factor"), {"code": _code(device)})
    assert "patientez quelques secondes" in throttled.content.decode()
    with time_machine.travel(time.time() + 10):  # the throttle after a wrong code has passed
        device.refresh_from_db()
        ok = client.post(reverse("two_factor"), {"code": _code(device), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert Event.objects.filter(action="auth.two_factor_enrolled", actor=agent).exists()


def test_a_profile_requiring_2fa_asks_for_the_code_at_each_login(client, make_agent, org):
    agent = make_agent()
    agent.profile.requires_2fa = True
    agent.profile.save()
    device = TOTPDevice.objects.create(user=agent, name="app", confirmed=True)
    client.force_login(agent, backend="jalon.access.backends.AgentBackend")
    gate = client.get(reverse("home"))
    assert gate["Location"].startswith(reverse("two_factor"))
    page = client.get(gate["Location"])
    assert "Code QR" not in page.content.decode()
    assert client.post(reverse("two_factor"), {"code": "12 34"}).status_code == 200
    assert client.post(reverse("two_factor"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_local_admin_resets_the_second_factor(client_for, make_agent):
    agent = make_agent()
    TOTPDevice.objects.create(user=agent, name="app", confirmed=True)
    admin = client_for(make_agent("local_admin"))
    admin.post(reverse("agent_operation", args=[agent.pk, "reset-2fa"]))
    assert not TOTPDevice.objects.filter(user=agent).exists()
    assert Event.objects.filter(action="agent.two_factor_reset", target_id=str(agent.pk)).exists()
