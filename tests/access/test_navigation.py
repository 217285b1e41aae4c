"""The main menu offers each agent what serves them, and nothing before the gates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from tests.factories import ServiceFactory

MENU = {
    "Convocations": "nav-convocations",
    "Sortie d’audience": reverse("hearing_exit"),
    "Transferts": reverse("transfer_incoming"),
    "Situations": "nav-situations",
    "Listes ajustables": reverse("situation_lists"),
    "Agents": reverse("agent_list"),
    "Lieux et agendas": reverse("place_list"),
    "Communes": reverse("commune_import"),
}


def offered(html: str) -> set[str]:
    return {entry for entry, marker in MENU.items() if f'"{marker}"' in html}


@pytest.mark.parametrize(
    ("profile", "kind", "expected"),
    [
        ("cpip", ServiceKind.SPIP, {"Convocations", "Transferts"}),
        (
            "greff_co",
            ServiceKind.CORRECTIONAL_REGISTRY,
            {"Convocations", "Sortie d’audience", "Transferts"},
        ),
        (
            "local_admin",
            ServiceKind.SAP,
            {"Convocations", "Transferts", "Agents", "Lieux et agendas"},
        ),
        ("parquet", ServiceKind.PROSECUTION, {"Situations", "Listes ajustables"}),
        ("jaf_tj", ServiceKind.BENCH, {"Situations"}),
    ],
)
def test_each_profile_sees_its_own_menu(client_for, make_agent, org, profile, kind, expected):
    service = ServiceFactory(kind=kind, jurisdiction=org.tj_alpha)
    agent = make_agent(profile, service=service)
    html = client_for(agent).get(reverse("home")).content.decode()
    assert offered(html) == expected


def test_the_national_admin_administers_communes(client_for, make_agent, org):
    html = client_for(make_agent("national_admin", service=org.national)).get("/").content.decode()
    assert {"Convocations", "Agents", "Communes"} <= offered(html)


def test_no_menu_before_the_charter_is_accepted(client_for, make_agent):
    agent = make_agent("local_admin", charter_accepted_at=None)
    response = client_for(agent).get(reverse("charter"))
    assert response.status_code == 200
    assert offered(response.content.decode()) == set()
    assert "transferts/compteur" not in response.content.decode()  # no request hits the gate
