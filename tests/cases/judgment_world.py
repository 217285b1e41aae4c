"""A procedure ready for its hearing, built directly (registration has its own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jalon.access.roles import ServiceKind
from jalon.cases.models import (
    Charge,
    NatinfEdition,
    Offence,
    Orientation,
    Party,
    Procedure,
    Stage,
)
from tests.factories import PersonFactory, ServiceFactory

_numbers = iter(range(10_000, 99_999))


def offence(kind: str = "delit", qualification: str = "Vol simple") -> Offence:
    edition, _ = NatinfEdition.objects.get_or_create(
        name="test", defaults={"in_force_from": dt.date(2000, 1, 1)}
    )
    number = next(_numbers)
    return Offence.objects.create(
        number=number,
        number_key=str(number),
        nature={"delit": "Délit", "contravention": "Contravention de 5e classe", "crime": "Crime"}[
            kind
        ],
        kind=kind,
        qualification=qualification,
        in_force_from=dt.date(2000, 1, 1),
        first_edition=edition,
        last_edition=edition,
    )


@dataclass
class Case:
    procedure: Procedure
    party: Party
    charges: list[Charge]
    registry: Any
    victim: Party


_parquet = iter(range(1, 99_999))


def oriented_case(
    org: Any,
    *,
    kinds: tuple[str, ...] = ("delit",),
    birth_date: dt.date = dt.date(1990, 5, 17),
    facts_on: dt.date = dt.date(2027, 1, 10),
    tribunal: Any = None,
) -> Case:
    tribunal = tribunal or org.tj_alpha
    registry = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=tribunal)
    procedure = Procedure.objects.create(
        tribunal=tribunal,
        parquet_number=f"27010{next(_parquet):06d}",
        origin=Procedure.Origin.POLICE_REPORT,
        received_on=dt.date(2027, 1, 20),
        registered_at=timezone.now(),
        stage=Stage.ORIENTED,
    )
    person = PersonFactory(last_name="DUPONT", birth_date=birth_date)
    party = Party.objects.create(procedure=procedure, person=person, role=Party.Role.SUSPECT)
    victim = Party.objects.create(
        procedure=procedure, person=PersonFactory(last_name="VICTIME"), role=Party.Role.VICTIM
    )
    charges = [
        Charge.objects.create(
            procedure=procedure,
            party=party,
            offence=(o := offence(kind)),
            qualification_text=o.qualification,
            facts_from=facts_on,
        )
        for kind in kinds
    ]
    Orientation.objects.create(
        procedure=procedure,
        party=party,
        kind=Orientation.Kind.COPJ,
        decided_on=dt.date(2027, 1, 25),
    )
    return Case(procedure, party, charges, registry, victim)
