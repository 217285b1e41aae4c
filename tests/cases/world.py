"""A small penal-chain world on top of the ``org`` fixture: parquets, a CA, offences."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from jalon.access.models import Agent, Service
from jalon.access.roles import ServiceKind
from jalon.cases.models import Offence
from tests.factories import (
    AgentFactory,
    CourtOfAppealFactory,
    OffenceFactory,
    ServiceFactory,
    TribunalFactory,
    profile,
)


@dataclass
class ChainWorld:
    org: Any
    parquet_alpha: Service
    parquet_beta: Service
    parquet_general: Service
    parquet_general_other: Service
    greffe_alpha: Service
    siege_alpha: Service
    tj_gamma: Any
    ca_other: Any
    prosecutor: Agent
    delit: Offence
    crime: Offence
    contravention: Offence
    retired: Offence


def build_chain_world(org: Any) -> ChainWorld:
    ca_other = CourtOfAppealFactory(code="ca-autre", name="Cour d’appel Autre")
    tj_gamma = TribunalFactory(code="tj-gamma", name="TJ Gamma", court_of_appeal=ca_other)

    def service(name: str, kind: str, jurisdiction: Any) -> Service:
        return ServiceFactory(name=name, kind=kind, jurisdiction=jurisdiction)

    parquet_alpha = service("Parquet Alpha", ServiceKind.PROSECUTION, org.tj_alpha)
    return ChainWorld(
        org=org,
        parquet_alpha=parquet_alpha,
        parquet_beta=service("Parquet Beta", ServiceKind.PROSECUTION, org.tj_beta),
        parquet_general=service("Parquet général Test", ServiceKind.GENERAL_PROSECUTION, org.ca),
        parquet_general_other=service(
            "Parquet général Autre", ServiceKind.GENERAL_PROSECUTION, ca_other
        ),
        greffe_alpha=service(
            "Greffe correctionnel Alpha", ServiceKind.CORRECTIONAL_REGISTRY, org.tj_alpha
        ),
        siege_alpha=service("Siège Alpha", ServiceKind.BENCH, org.tj_alpha),
        tj_gamma=tj_gamma,
        ca_other=ca_other,
        prosecutor=AgentFactory(profile=profile("prosecutor"), service=parquet_alpha),
        delit=OffenceFactory(number=7001, qualification="Vol simple"),
        crime=OffenceFactory(number=7002, crime=True, qualification="Meurtre"),
        contravention=OffenceFactory(
            number=7003, contravention=True, qualification="Tapage nocturne"
        ),
        retired=OffenceFactory(
            number=7004,
            qualification="Ancienne infraction",
            retired_from=datetime.date(2027, 1, 1),
        ),
    )
