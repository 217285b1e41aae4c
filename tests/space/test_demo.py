from django.core.management import call_command

from jalon.access.demo import DEMO_PASSWORD
from jalon.space.models import SpaceAccount


def test_the_demo_person_logs_in_to_the_space(client, db, capsys):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    assert SpaceAccount.objects.count() == 1
    assert "06 12 34 56 01" in capsys.readouterr().out
    response = client.post(
        "/espace/connexion/", {"phone": "06 12 34 56 01", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/espace/").content.decode()
    assert 'data-testid="space-convocation"' in page
    assert "03 88 00 00 01" in page  # the demo CPIP shares their phone
