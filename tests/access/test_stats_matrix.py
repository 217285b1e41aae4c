"""Who opens which service's statistics and exports: real requests.

The heads of a service (DPIP of a SPIP, directeur de greffe of a SAP or BEX) see their own
service only; everyone else, and a head asking for another service, gets 404 (missing and
not-yours alike). Expected: the HTTP status.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

AGENTS = {
    "dpip_alpha": ("dpip", "spip_alpha"),
    "cpip_alpha": ("cpip", "spip_alpha"),
    "secretary_spip_alpha": ("secretary_spip", "spip_alpha"),
    "local_admin_alpha": ("local_admin", "spip_alpha"),
    "dir_greff_sap_alpha": ("dir_greff_sap", "sap_alpha"),
    "greff_sap_alpha": ("greff_sap", "sap_alpha"),
    "dir_greff_bex_alpha": ("dir_greff_bex", "bex_alpha"),
    "dir_greff_sap_beta": ("dir_greff_sap", "sap_beta"),
    "national_admin": ("national_admin", "national"),
}
OK, HIDDEN, MOVED = 200, 404, 302
HEADS = {"dpip_alpha": "spip_alpha", "dir_greff_sap_alpha": "sap_alpha",
         "dir_greff_bex_alpha": "bex_alpha", "dir_greff_sap_beta": "sap_beta"}  # fmt: skip
TARGETS = ("spip_alpha", "sap_alpha", "bex_alpha", "sap_beta")
PERIOD = {"du": "2027-06-01", "au": "2027-06-30", "decoupage": "semaine"}


def expected(agent_key: str, target: str) -> int:
    return OK if HEADS.get(agent_key) == target else HIDDEN


CASES = [
    (page, key, target, expected(key, target))
    for page in ("dashboard", "csv", "ods")
    for key in AGENTS
    for target in TARGETS
]


@pytest.mark.parametrize(("page", "agent_key", "target", "status"), CASES)
def test_statistics_matrix(org, make_agent, client_for, frozen_now, page, agent_key, target,
                           status):  # fmt: skip
    profile_code, service_attr = AGENTS[agent_key]
    client = client_for(make_agent(profile_code, service=getattr(org, service_attr)))
    service = getattr(org, target)
    if page == "dashboard":
        url = reverse("stats_service", args=[service.pk])
    else:
        url = reverse("stats_service_export", args=[service.pk, "convocations", page])
    assert client.get(url, PERIOD).status_code == status


@pytest.mark.parametrize("agent_key", list(AGENTS))
def test_the_statistics_entry_leads_heads_to_their_service(org, make_agent, client_for,
                                                           frozen_now, agent_key):  # fmt: skip
    profile_code, service_attr = AGENTS[agent_key]
    client = client_for(make_agent(profile_code, service=getattr(org, service_attr)))
    response = client.get(reverse("stats_home"))
    if agent_key in HEADS:
        assert response.status_code == MOVED
        assert response["Location"] == reverse(
            "stats_service", args=[getattr(org, HEADS[agent_key]).pk]
        )
    else:
        assert response.status_code == HIDDEN
    menu = client.get(reverse("home")).content.decode()
    assert ("Statistiques</a>" in menu) == (agent_key in HEADS)


def test_an_unknown_service_is_404(org, make_agent, client_for):
    client = client_for(make_agent("dpip", service=org.spip_alpha))
    assert client.get(reverse("stats_service", args=[999999])).status_code == HIDDEN
