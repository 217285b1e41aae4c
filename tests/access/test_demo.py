from django.core.management import call_command

from jalon.access.demo import DEMO_PASSWORD
from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.access.rules.api import SERVICE_ACCOUNT_PROFILE


def test_load_demo_is_idempotent_and_covers_every_profile(db, capsys):
    call_command("load_demo")
    counts = (Jurisdiction.objects.count(), Service.objects.count(), Agent.objects.count())
    call_command("load_demo")
    assert (Jurisdiction.objects.count(), Service.objects.count(), Agent.objects.count()) == counts
    # Every profile an agent can hold (the API clients' service accounts are not agents).
    human_profiles = Profile.objects.exclude(code=SERVICE_ACCOUNT_PROFILE)
    assert set(human_profiles.values_list("code", flat=True)) == set(
        Agent.objects.values_list("profile__code", flat=True)
    )
    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output and "cpip@jalon.test" in output


def test_demo_has_an_overseas_tribunal_with_its_spip(db):
    call_command("load_demo")
    spip = Service.objects.get(name="SPIP de la Guyane")
    assert (spip.time_zone, spip.holiday_subdivision, spip.phone_region) == (
        "America/Cayenne",
        "973",
        "GF",
    )
    assert spip.served_jurisdictions.get().name == "Tribunal judiciaire de Cayenne"


def test_demo_agents_can_log_in(client, db):
    call_command("load_demo")
    response = client.post(
        "/connexion/", {"username": "cpip@jalon.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
