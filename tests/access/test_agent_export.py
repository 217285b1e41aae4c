"""The agents of a service as CSV: same scope and search as the list, recorded."""

from __future__ import annotations

from django.urls import reverse

from jalon.history.models import Event
from tests.appointments.test_exports import read_csv
from tests.queries import assert_queries_do_not_grow


def test_a_local_admin_exports_the_agents_of_their_service(client_for, make_agent, org):
    admin = make_agent("local_admin", service=org.spip_alpha)
    make_agent("cpip", service=org.spip_alpha, last_name="@Dupont", first_name="Léa")
    make_agent("greff_sap", service=org.sap_alpha, last_name="Ailleurs")
    client = client_for(admin)
    assert reverse("agent_list_csv") in client.get(reverse("agent_list")).content.decode()
    header, *rows = read_csv(client.get(reverse("agent_list_csv")))
    assert header[:5] == ["Nom", "Prénom", "Adresse électronique", "Service", "Profil"]
    names = [row[0] for row in rows]
    assert "'@Dupont" in names and "Ailleurs" not in names
    assert all(row[3] == org.spip_alpha.name for row in rows)
    assert all(len(row[7].split("/")) == 3 for row in rows)  # dd/mm/yyyy
    event = Event.objects.get(action="export.csv")
    assert event.details == {"export": "agents", "search": "", "rows": len(rows)}


def test_the_search_applies_to_the_export(client_for, make_agent, org):
    admin = make_agent("local_admin", service=org.spip_alpha)
    make_agent("cpip", service=org.spip_alpha, last_name="Dupont")
    _, *rows = read_csv(client_for(admin).get(reverse("agent_list_csv"), {"q": "dupo"}))
    assert [row[0] for row in rows] == ["Dupont"]


def test_an_agent_who_does_not_administer_cannot_export(client_for, cpip):
    assert client_for(cpip).get(reverse("agent_list_csv")).status_code == 403


def test_the_export_costs_the_same_queries_with_more_agents(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.spip_alpha))
    assert_queries_do_not_grow(
        lambda: client.get(reverse("agent_list_csv")),
        lambda: [make_agent("cpip", service=org.spip_alpha) for _ in range(4)],
    )
