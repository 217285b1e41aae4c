"""Who opens which statistics and exports: real requests.

- The heads of a service (DPIP of a SPIP, directeur de greffe of a SAP or BEX) see their own
  service only.
- The heads of a TJ (président, procureur de la République) see their TJ; the heads of a court
  of appeal (premier président, procureur général) see the court's dashboard (its ressort) and
  those of its TJs, not another court's.
- National profiles (national statistician, national administrator) see the national
  dashboard and every jurisdiction's.

Everyone else, and anyone asking for what is not theirs, gets 404 (missing and not-yours
alike). Expected: the HTTP status of each (page, agent, target).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from tests.factories import CourtOfAppealFactory, ServiceFactory, TribunalFactory

OK, HIDDEN, MOVED = 200, 404, 302
PERIOD = {"du": "2027-06-01", "au": "2027-06-30", "decoupage": "semaine"}


@dataclass
class Courts:
    """The shared organisation, plus the heads' services and a second court of appeal."""

    org: object
    parquet_alpha: object
    bench_alpha: object
    general_prosecution: object
    bench_ca: object
    ca_other: object
    tj_gamma: object
    parquet_gamma: object

    def target(self, name: str) -> object:
        return getattr(self, name) if hasattr(self, name) else getattr(self.org, name)


@pytest.fixture
def courts(org) -> Courts:
    ca_other = CourtOfAppealFactory(code="ca-autre", name="Cour d’appel Autre")
    tj_gamma = TribunalFactory(code="tj-gamma", name="TJ Gamma", court_of_appeal=ca_other)
    return Courts(
        org=org,
        parquet_alpha=ServiceFactory(
            name="Parquet Alpha", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha
        ),
        bench_alpha=ServiceFactory(
            name="Siège Alpha", kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha
        ),
        general_prosecution=ServiceFactory(
            name="Parquet général", jurisdiction=org.ca, kind=ServiceKind.GENERAL_PROSECUTION
        ),
        bench_ca=ServiceFactory(name="Siège CA", kind=ServiceKind.BENCH, jurisdiction=org.ca),
        ca_other=ca_other,
        tj_gamma=tj_gamma,
        parquet_gamma=ServiceFactory(
            name="Parquet Gamma", kind=ServiceKind.PROSECUTION, jurisdiction=tj_gamma
        ),
    )


AGENTS = {
    "dpip_alpha": ("dpip", "spip_alpha"),
    "cpip_alpha": ("cpip", "spip_alpha"),
    "secretary_spip_alpha": ("secretary_spip", "spip_alpha"),
    "local_admin_alpha": ("local_admin", "spip_alpha"),
    "dir_greff_sap_alpha": ("dir_greff_sap", "sap_alpha"),
    "greff_sap_alpha": ("greff_sap", "sap_alpha"),
    "dir_greff_bex_alpha": ("dir_greff_bex", "bex_alpha"),
    "dir_greff_sap_beta": ("dir_greff_sap", "sap_beta"),
    "procureur_alpha": ("procureur_republique", "parquet_alpha"),
    "parquet_alpha": ("parquet", "parquet_alpha"),
    "president_alpha": ("president", "bench_alpha"),
    "juge_penal_alpha": ("juge_penal", "bench_alpha"),
    "procureur_general": ("procureur_general", "general_prosecution"),
    "premier_president": ("president", "bench_ca"),
    "procureur_gamma": ("procureur_republique", "parquet_gamma"),
    "national_admin": ("national_admin", "national"),
    "national_statistician": ("national_statistician", "national"),
}
NATIONAL = {"national_admin", "national_statistician"}
SERVICE_HEADS = {"dpip_alpha": "spip_alpha", "dir_greff_sap_alpha": "sap_alpha",
                 "dir_greff_bex_alpha": "bex_alpha", "dir_greff_sap_beta": "sap_beta"}  # fmt: skip
SERVICES = ("spip_alpha", "sap_alpha", "bex_alpha", "sap_beta")
JURISDICTIONS = ("tj_alpha", "tj_beta", "ca", "tj_gamma", "ca_other")
# What each head of jurisdiction sees; national profiles see them all.
JURISDICTION_HEADS = {
    "procureur_alpha": {"tj_alpha"},
    "president_alpha": {"tj_alpha"},
    "procureur_general": {"ca", "tj_alpha", "tj_beta"},
    "premier_president": {"ca", "tj_alpha", "tj_beta"},
    "procureur_gamma": {"tj_gamma"},
}


def expected(agent_key: str) -> dict[str, int]:
    statuses = {f"service {t}": OK if SERVICE_HEADS.get(agent_key) == t else HIDDEN
                for t in SERVICES}  # fmt: skip
    seen = set(JURISDICTIONS) if agent_key in NATIONAL else JURISDICTION_HEADS.get(agent_key, set())
    statuses |= {f"jurisdiction {t}": OK if t in seen else HIDDEN for t in JURISDICTIONS}
    statuses["national"] = OK if agent_key in NATIONAL else HIDDEN
    return statuses


def login(courts, make_agent, client_for, agent_key):
    profile_code, service_attr = AGENTS[agent_key]
    return client_for(make_agent(profile_code, service=courts.target(service_attr)))


@pytest.mark.parametrize("page", ["dashboard", "csv", "ods"])
@pytest.mark.parametrize("agent_key", list(AGENTS))
def test_statistics_matrix(courts, make_agent, client_for, frozen_now, agent_key, page):
    client = login(courts, make_agent, client_for, agent_key)

    def url(kind: str, *args: int) -> str:
        if page == "dashboard":
            return reverse(f"stats_{kind}", args=args)
        return reverse(f"stats_{kind}_export", args=[*args, "convocations", page])

    answered = {
        f"service {t}": client.get(url("service", courts.target(t).pk), PERIOD).status_code
        for t in SERVICES
    }
    answered |= {
        f"jurisdiction {t}": client.get(
            url("jurisdiction", courts.target(t).pk), PERIOD
        ).status_code
        for t in JURISDICTIONS
    }
    answered["national"] = client.get(url("national"), PERIOD).status_code
    assert answered == expected(agent_key)


def entry(agent_key: str, courts) -> tuple[int, str | None]:
    """What "/statistiques/" answers: 302 to the one dashboard, 200 with a list, or 404."""
    if agent_key in SERVICE_HEADS:
        target = courts.target(SERVICE_HEADS[agent_key])
        return MOVED, reverse("stats_service", args=[target.pk])
    seen = JURISDICTION_HEADS.get(agent_key, set())
    if agent_key in NATIONAL or len(seen) > 1:
        return OK, None
    if seen:
        (only,) = seen
        return MOVED, reverse("stats_jurisdiction", args=[courts.target(only).pk])
    return HIDDEN, None


@pytest.mark.parametrize("agent_key", list(AGENTS))
def test_the_statistics_entry_leads_each_agent_to_their_dashboards(
    courts, make_agent, client_for, frozen_now, agent_key
):
    client = login(courts, make_agent, client_for, agent_key)
    response = client.get(reverse("stats_home"))
    status, location = entry(agent_key, courts)
    assert response.status_code == status
    if status == MOVED:
        assert response["Location"] == location
    if status == OK:
        page = response.content.decode()
        for target in JURISDICTIONS:
            link = reverse("stats_jurisdiction", args=[courts.target(target).pk])
            assert (f'href="{link}"' in page) == (
                expected(agent_key)[f"jurisdiction {target}"] == OK
            )
        assert (reverse("stats_national") in page) == (agent_key in NATIONAL)
    menu = client.get(reverse("home")).content.decode()
    assert ("Statistiques</a>" in menu) == (status != HIDDEN)


def test_an_unknown_service_or_jurisdiction_is_404(org, make_agent, client_for):
    client = client_for(make_agent("national_statistician", service=org.national))
    assert client.get(reverse("stats_service", args=[999999])).status_code == HIDDEN
    assert client.get(reverse("stats_jurisdiction", args=[999999])).status_code == HIDDEN
