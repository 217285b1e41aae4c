"""Jurisdictions, services, agents, places and agendas, written through the ORM (a few
thousand rows), and the in-memory map of them the person generator draws from."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import Agenda, Place
from jalon.core.dates import PHONE_REGION_BY_SUBDIVISION
from jalon.core.text import strip_accents
from jalon.dataset import names
from jalon.dataset.geography import Court, court_of_appeal_names, courts, slug

# Persons followed per CPIP and per JAP: sizes the staff of each service.
PERSONS_PER_CPIP = 150
PERSONS_PER_JAP = 2_500
CPIPS_PER_TEAM = 6
AGENT_PASSWORD = "!generated-dataset-agent"  # noqa: S105 - unusable (starts with "!"): no login


@dataclass
class Unit:
    """A service as the generator sees it: ids and the agents and agendas to draw from."""

    id: int
    kind: str
    time_zone: str
    subdivision: str
    city: str
    label: str
    agents: dict[str, list[int]] = field(default_factory=dict)
    agendas: list[int] = field(default_factory=list)
    slot_agendas: dict[str, int] = field(default_factory=dict)  # appointment type code → agenda


@dataclass
class Ressort:
    """One TJ with the services that follow and convoke its persons."""

    court: Court
    jurisdiction_id: int
    spip: Unit  # the SPIP, or its antenna when the TJ is not the SPIP's seat
    sap: Unit
    bex: Unit
    share: float  # fraction of the national persons

    @property
    def phone_region(self) -> str:
        return PHONE_REGION_BY_SUBDIVISION.get(self.court.subdivision, "FR")


@dataclass
class Organisation:
    ressorts: list[Ressort]
    units: dict[int, Unit]
    agent_labels: dict[int, str]

    @property
    def agent_count(self) -> int:
        return len(self.agent_labels)


def _group(items: list[Court], groups: int) -> list[list[Court]]:
    size = math.ceil(len(items) / groups)
    return [items[start : start + size] for start in range(0, len(items), size)]


class _AgentFactory:
    def __init__(self, rng: random.Random, profiles: dict[str, Profile], joined: datetime) -> None:
        self.rng, self.profiles, self.joined = rng, profiles, joined
        self.pending: list[tuple[Unit, str, Agent]] = []

    def add(self, unit: Unit, service: Service, code: str, count: int) -> None:
        for _ in range(count):
            first = names.first_names(self.rng).split()[0]
            last = names.last_name(self.rng)
            number = len(self.pending) + 1
            local = slug(strip_accents(f"{first}.{last}")).replace("-", ".")
            agent = Agent(
                email=f"{local}.{number}@justice.fr",
                first_name=first,
                last_name=last,
                service=service,
                profile=self.profiles[code],
                password=AGENT_PASSWORD,
                date_joined=self.joined,
                is_active=True,
            )
            self.pending.append((unit, code, agent))

    def save(self) -> dict[int, str]:
        Agent.objects.bulk_create([agent for _, _, agent in self.pending], batch_size=2_000)
        labels = {}
        for unit, code, agent in self.pending:
            unit.agents.setdefault(code, []).append(agent.pk)
            labels[agent.pk] = f"{agent} <{agent.email}>"[:300]
        return labels


def _unit(service: Service, court: Court) -> Unit:
    return Unit(
        id=service.pk,
        kind=service.kind,
        time_zone=court.time_zone,
        subdivision=court.subdivision,
        city=court.city,
        label=service.name,
    )


def create_organisation(
    scale: str, rng: random.Random, persons: int, joined: datetime
) -> Organisation:
    """Every CA and TJ of the scale, four services per TJ, ~100 SPIP with their antennas,
    a parquet général per CA, the national administration, agents, places and agendas."""
    all_courts = courts(scale)
    total_weight = sum(court.weight for court in all_courts)
    cas = {}
    for ca_name in court_of_appeal_names(scale):
        cas[ca_name] = Jurisdiction.objects.create(
            kind=Jurisdiction.Kind.COURT_OF_APPEAL,
            name=f"Cour d’appel de {ca_name}",
            code=f"ca-{slug(ca_name)}",
        )
    tjs = {}
    for court in all_courts:
        tjs[court.city] = Jurisdiction.objects.create(
            kind=Jurisdiction.Kind.JUDICIAL_COURT,
            name=f"Tribunal judiciaire de {court.city}",
            code=f"tj-{slug(court.city)}",
            court_of_appeal=cas[court.court_of_appeal],
        )
    profiles = {profile.code: profile for profile in Profile.objects.all()}
    agents = _AgentFactory(rng, profiles, joined)
    national = Service.objects.create(name="Administration centrale", kind=ServiceKind.NATIONAL)
    national_unit = Unit(national.pk, national.kind, "Europe/Paris", "", "Paris", national.name)
    agents.add(national_unit, national, "national_admin", 2)
    units: dict[int, Unit] = {national.pk: national_unit}

    def service(court: Court, kind: str, name: str, **extra: Any) -> tuple[Service, Unit]:
        created = Service.objects.create(
            name=name,
            kind=kind,
            jurisdiction=extra.pop("jurisdiction", tjs[court.city]),
            time_zone=court.time_zone,
            holiday_subdivision=court.subdivision,
            email=f"{slug(name)}@justice.fr",
            **extra,
        )
        unit = _unit(created, court)
        units[created.pk] = unit
        return created, unit

    def persons_of(courts_here: list[Court]) -> int:
        return round(persons * sum(c.weight for c in courts_here) / total_weight)

    ressorts: list[Ressort] = []
    by_ca: dict[str, list[Court]] = {}
    for court in all_courts:
        by_ca.setdefault(court.court_of_appeal, []).append(court)
    for ca_name, ca_courts in by_ca.items():
        first = ca_courts[0]
        pg, pg_unit = service(
            first,
            ServiceKind.GENERAL_PROSECUTION,
            f"Parquet général de la cour d’appel de {ca_name}",
            jurisdiction=cas[ca_name],
        )
        agents.add(pg_unit, pg, "procureur_general", 1)
        agents.add(pg_unit, pg, "parquet_general", 2)
        # About 100 SPIP for 167 TJ: a SPIP serves one to three neighbouring TJs and has an
        # antenna at each TJ other than its seat (the largest court of the group).
        for group in _group(ca_courts, max(1, round(len(ca_courts) * 100 / 167))):
            seat = max(group, key=lambda court: court.weight)
            spip, spip_unit = service(seat, ServiceKind.SPIP, f"SPIP de {seat.city}")
            spip.served_jurisdictions.set([tjs[court.city] for court in group])
            agents.add(spip_unit, spip, "dpip", 1)
            agents.add(spip_unit, spip, "local_admin", 1)
            for court in group:
                if court is seat:
                    follower, follower_unit = spip, spip_unit
                else:
                    follower, follower_unit = service(
                        court,
                        ServiceKind.SPIP_ANTENNA,
                        f"Antenne SPIP de {court.city}",
                        parent=spip,
                    )
                cpips = max(2, persons_of([court]) // PERSONS_PER_CPIP)
                agents.add(follower_unit, follower, "cpip", cpips)
                for code in ("secretary_spip", "overseer", "educator", "psychologist"):
                    agents.add(follower_unit, follower, code, 1 + cpips // 20)
                sap, sap_unit = service(court, ServiceKind.SAP, f"SAP du TJ de {court.city}")
                japs = max(1, persons_of([court]) // PERSONS_PER_JAP)
                agents.add(sap_unit, sap, "jap", japs)
                agents.add(sap_unit, sap, "greff_sap", 1 + japs)
                for code in ("secretary_court", "dir_greff_sap", "local_admin"):
                    agents.add(sap_unit, sap, code, 1)
                bex, bex_unit = service(court, ServiceKind.BEX, f"BEX du TJ de {court.city}")
                agents.add(bex_unit, bex, "bex", 2 + court.weight)
                agents.add(bex_unit, bex, "dir_greff_bex", 1)
                agents.add(bex_unit, bex, "greff_tpe", 1)
                registry, registry_unit = service(
                    court,
                    ServiceKind.CORRECTIONAL_REGISTRY,
                    f"Greffe correctionnel du TJ de {court.city}",
                )
                agents.add(registry_unit, registry, "greff_co", 1 + court.weight)
                parquet, parquet_unit = service(
                    court, ServiceKind.PROSECUTION, f"Parquet du TJ de {court.city}"
                )
                agents.add(parquet_unit, parquet, "procureur_republique", 1)
                agents.add(parquet_unit, parquet, "prosecutor", 1 + court.weight)
                agents.add(parquet_unit, parquet, "parquet", 1)
                ressorts.append(
                    Ressort(
                        court=court,
                        jurisdiction_id=tjs[court.city].pk,
                        spip=follower_unit,
                        sap=sap_unit,
                        bex=bex_unit,
                        share=court.weight / total_weight,
                    )
                )
    labels = agents.save()
    for ressort in ressorts:
        _places(ressort)
    return Organisation(ressorts=ressorts, units=units, agent_labels=labels)


def _places(ressort: Ressort) -> None:
    """A place per SPIP site and SAP, team or chamber agendas, and the slot agendas."""
    city = ressort.court.city
    spip, sap = ressort.spip, ressort.sap
    spip_place = Place.objects.create(
        service_id=spip.id,
        name=f"{spip.label} — site principal",
        address=f"12 rue de la République, {city}",
        phone="",
        email=f"{slug(spip.label)}@justice.fr",
    )
    teams = math.ceil(len(spip.agents.get("cpip", [])) / CPIPS_PER_TEAM)
    created = Agenda.objects.bulk_create(
        [Agenda(place=spip_place, name=f"Équipe {n}") for n in range(1, teams + 1)]
        + [
            Agenda(place=spip_place, name="Sorties d’audience"),
            Agenda(place=spip_place, name="Poses de bracelet"),
        ]
    )
    spip.agendas = [agenda.pk for agenda in created[:teams]]
    spip.slot_agendas = {"sortie_audience_spip": created[teams].pk, "sap_ddse": created[-1].pk}
    sap_place = Place.objects.create(
        service_id=sap.id,
        name=f"Tribunal judiciaire de {city} — application des peines",
        address=f"1 place de la Justice, {city}",
        email=f"{slug(sap.label)}@justice.fr",
    )
    japs = len(sap.agents.get("jap", []))
    created = Agenda.objects.bulk_create(
        [Agenda(place=sap_place, name=f"Cabinet du JAP n° {n}") for n in range(1, japs + 1)]
        + [Agenda(place=sap_place, name="Sorties d’audience")]
    )
    sap.agendas = [agenda.pk for agenda in created[:japs]]
    sap.slot_agendas = {"sortie_audience_sap": created[-1].pk}
