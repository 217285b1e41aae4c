"""A SISPoPP organisation on top of the ``org`` fixture: two CAs, three TJs, their parquets and JAF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jalon.access.models import Agent, Service
from jalon.access.roles import ServiceKind
from jalon.situations.models import Policy
from jalon.situations.seed import sync_seed_policies
from tests.factories import CourtOfAppealFactory, ServiceFactory, TribunalFactory


@dataclass
class World:
    """CA Test (TJ Alpha, TJ Beta) from ``org``, and CA Autre (TJ Gamma)."""

    org: Any
    ca_other: Any
    tj_gamma: Any
    parquet_alpha: Service
    siege_alpha: Service
    parquet_beta: Service
    parquet_general: Service
    siege_ca: Service
    parquet_gamma: Service
    parquet_general_other: Service
    other_policy: Policy


def build_world(org: Any) -> World:
    sync_seed_policies(Policy)
    ca_other = CourtOfAppealFactory(code="ca-autre", name="Cour d’appel Autre")
    tj_gamma = TribunalFactory(code="tj-gamma", name="TJ Gamma", court_of_appeal=ca_other)

    def service(name: str, kind: str, jurisdiction: Any) -> Service:
        return ServiceFactory(name=name, kind=kind, jurisdiction=jurisdiction)

    return World(
        org=org,
        ca_other=ca_other,
        tj_gamma=tj_gamma,
        parquet_alpha=service("Parquet Alpha", ServiceKind.PROSECUTION, org.tj_alpha),
        siege_alpha=service("Siège Alpha", ServiceKind.BENCH, org.tj_alpha),
        parquet_beta=service("Parquet Beta", ServiceKind.PROSECUTION, org.tj_beta),
        parquet_general=service("Parquet général Test", ServiceKind.GENERAL_PROSECUTION, org.ca),
        siege_ca=service("Siège CA Test", ServiceKind.BENCH, org.ca),
        parquet_gamma=service("Parquet Gamma", ServiceKind.PROSECUTION, tj_gamma),
        parquet_general_other=service(
            "Parquet général Autre", ServiceKind.GENERAL_PROSECUTION, ca_other
        ),
        other_policy=Policy.objects.create(
            code="stup", label="Stupéfiants", default_review_days=30
        ),
    )


def agents(world: World, make_agent: Callable[..., Agent]) -> dict[str, Agent]:
    """One agent per SISPoPP profile, named by profile and place."""
    return {
        "procureur_alpha": make_agent("procureur_republique", service=world.parquet_alpha),
        "parquet_alpha": make_agent("parquet", service=world.parquet_alpha),
        "jaf_alpha": make_agent("jaf_tj", service=world.siege_alpha),
        "parquet_beta": make_agent("parquet", service=world.parquet_beta),
        "procureur_general": make_agent("procureur_general", service=world.parquet_general),
        "parquet_general": make_agent("parquet_general", service=world.parquet_general),
        "jaf_ca": make_agent("jaf_ca", service=world.siege_ca),
        "parquet_general_other": make_agent("parquet_general", service=world.parquet_general_other),
    }
