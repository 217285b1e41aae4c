"""Demo organisation: one CA with two TJs (Alsace calendar), one overseas TJ (Cayenne),
their services and one agent per profile. Idempotent: run it as often as you like."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.access.roles import ServiceKind
from jalon.access.seed import sync_seed_profiles

DEMO_PASSWORD = "Jalon-Demo-2026!"  # noqa: S105 - printed on purpose for the demo


# The demo parts of the apps above access (convocations, situations…): each app registers its
# loader in its AppConfig.ready(), in INSTALLED_APPS order, so that ``manage.py load_demo``
# imports none of them (imports go downward, docs/architecture.md).
_demo_parts: list[Callable[[], object]] = []


def register_demo_part(loader: Callable[[], object]) -> None:
    """Add ``loader`` (idempotent, run after the organisation) to what ``load_demo`` loads."""
    if loader not in _demo_parts:
        _demo_parts.append(loader)


def load_demo_parts() -> None:
    for loader in _demo_parts:
        loader()


# Other logins a demo part adds (the probationer space), printed after the agents'.
demo_notes: list[str] = []


def add_demo_note(text: str) -> None:
    if text not in demo_notes:
        demo_notes.append(text)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    profile: str
    service: str


JURISDICTIONS = [
    # code, name, kind, court of appeal code
    ("ca-colmar", "Cour d’appel de Colmar", "ca", None),
    ("tj-strasbourg", "Tribunal judiciaire de Strasbourg", "tj", "ca-colmar"),
    ("tj-saverne", "Tribunal judiciaire de Saverne", "tj", "ca-colmar"),
    ("ca-cayenne", "Cour d’appel de Cayenne", "ca", None),
    ("tj-cayenne", "Tribunal judiciaire de Cayenne", "tj", "ca-cayenne"),
]

ALSACE = ("Europe/Paris", "6AE")
GUYANE = ("America/Cayenne", "973")

SERVICES = [
    # key, name, kind, jurisdiction code, (time zone, holidays), served TJs, parent key
    (
        "national",
        "Administration centrale",
        ServiceKind.NATIONAL,
        None,
        ("Europe/Paris", ""),
        [],
        None,
    ),
    ("sap-stras", "SAP du TJ de Strasbourg", ServiceKind.SAP, "tj-strasbourg", ALSACE, [], None),
    ("bex-stras", "BEX du TJ de Strasbourg", ServiceKind.BEX, "tj-strasbourg", ALSACE, [], None),
    (
        "greffe-stras",
        "Greffe correctionnel du TJ de Strasbourg",
        ServiceKind.CORRECTIONAL_REGISTRY,
        "tj-strasbourg",
        ALSACE,
        [],
        None,
    ),
    (
        "parquet-stras",
        "Parquet du TJ de Strasbourg",
        ServiceKind.PROSECUTION,
        "tj-strasbourg",
        ALSACE,
        [],
        None,
    ),
    (
        "siege-stras",
        "Siège du TJ de Strasbourg (JAF)",
        ServiceKind.BENCH,
        "tj-strasbourg",
        ALSACE,
        [],
        None,
    ),
    ("sap-saverne", "SAP du TJ de Saverne", ServiceKind.SAP, "tj-saverne", ALSACE, [], None),
    ("bex-saverne", "BEX du TJ de Saverne", ServiceKind.BEX, "tj-saverne", ALSACE, [], None),
    (
        "parquet-saverne",
        "Parquet du TJ de Saverne",
        ServiceKind.PROSECUTION,
        "tj-saverne",
        ALSACE,
        [],
        None,
    ),
    (
        "spip-67",
        "SPIP du Bas-Rhin",
        ServiceKind.SPIP,
        "tj-strasbourg",
        ALSACE,
        ["tj-strasbourg", "tj-saverne"],
        None,
    ),
    (
        "spip-67-saverne",
        "Antenne SPIP de Saverne",
        ServiceKind.SPIP_ANTENNA,
        "tj-saverne",
        ALSACE,
        [],
        "spip-67",
    ),
    (
        "pg-colmar",
        "Parquet général de la cour d’appel de Colmar",
        ServiceKind.GENERAL_PROSECUTION,
        "ca-colmar",
        ALSACE,
        [],
        None,
    ),
    (
        "siege-colmar",
        "Siège de la cour d’appel de Colmar (JAF)",
        ServiceKind.BENCH,
        "ca-colmar",
        ALSACE,
        [],
        None,
    ),
    ("spip-973", "SPIP de la Guyane", ServiceKind.SPIP, "tj-cayenne", GUYANE, ["tj-cayenne"], None),
    ("sap-cayenne", "SAP du TJ de Cayenne", ServiceKind.SAP, "tj-cayenne", GUYANE, [], None),
    ("bex-cayenne", "BEX du TJ de Cayenne", ServiceKind.BEX, "tj-cayenne", GUYANE, [], None),
]

AGENTS = [
    # e-mail local part, first name, last name, profile code, service key
    ("admin", "Nadia", "Benali", "national_admin", "national"),
    ("statisticien", "Olivier", "Perrin", "national_statistician", "national"),
    ("admin.spip", "Luc", "Schmitt", "local_admin", "spip-67"),
    ("admin.sap", "Claire", "Meyer", "local_admin", "sap-stras"),
    ("cpip", "Camille", "Martin", "cpip", "spip-67"),
    ("cpip.saverne", "Hugo", "Klein", "cpip", "spip-67-saverne"),
    ("dpip", "Sophie", "Weber", "dpip", "spip-67"),
    ("educateur", "Yanis", "Roth", "educator", "spip-67"),
    ("psychologue", "Léa", "Fischer", "psychologist", "spip-67"),
    ("surveillant", "Marc", "Hoffmann", "overseer", "spip-67"),
    ("secretariat.spip", "Inès", "Muller", "secretary_spip", "spip-67"),
    ("jap", "Anne", "Lefèvre", "jap", "sap-stras"),
    ("greffier.sap", "Thomas", "Keller", "greff_sap", "sap-stras"),
    ("secretariat.sap", "Julie", "Wagner", "secretary_court", "sap-stras"),
    ("dg.sap", "Pierre", "Koenig", "dir_greff_sap", "sap-stras"),
    ("dg.bex", "Élise", "Braun", "dir_greff_bex", "bex-stras"),
    ("bex", "Karim", "Haddad", "bex", "bex-stras"),
    ("greffier.correctionnel", "Marie", "Zimmermann", "greff_co", "greffe-stras"),
    ("greffier.tpe", "Paul", "Becker", "greff_tpe", "bex-stras"),
    ("magistrat.parquet", "Jean-Baptiste", "Durand", "prosecutor", "parquet-stras"),
    ("procureur", "Hélène", "Garnier", "procureur_republique", "parquet-stras"),
    ("parquet", "Antoine", "Lambert", "parquet", "parquet-stras"),
    ("jaf.tj", "Isabelle", "Roux", "jaf_tj", "siege-stras"),
    ("juge.penal", "Mathilde", "Schwartz", "juge_penal", "siege-stras"),
    ("president", "Catherine", "Vogel", "president", "siege-stras"),
    ("procureur.general", "François", "Mercier", "procureur_general", "pg-colmar"),
    ("parquet.general", "Céline", "Girard", "parquet_general", "pg-colmar"),
    ("jaf.ca", "Bernard", "Fontaine", "jaf_ca", "siege-colmar"),
    ("premier.president", "Gérard", "Huber", "president", "siege-colmar"),
    ("cpip.cayenne", "Maëva", "Jean-Louis", "cpip", "spip-973"),
    ("admin.cayenne", "Rudy", "Horth", "local_admin", "spip-973"),
    ("greffier.sap.cayenne", "Sandrine", "Edouard", "greff_sap", "sap-cayenne"),
    ("bex.cayenne", "Kévin", "Appolinaire", "bex", "bex-cayenne"),
]

EMAIL_DOMAIN = "jalon.test"


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    jurisdictions: dict[str, Jurisdiction] = {}
    for code, name, kind, ca_code in JURISDICTIONS:
        jurisdictions[code], _ = Jurisdiction.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "court_of_appeal": jurisdictions.get(ca_code or ""),
            },
        )
    services: dict[str, Service] = {}
    for key, name, kind, jurisdiction_code, (
        time_zone,
        subdivision,
    ), served, parent_key in SERVICES:
        service, _ = Service.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "jurisdiction": jurisdictions.get(jurisdiction_code or ""),
                "time_zone": time_zone,
                "holiday_subdivision": subdivision,
                "parent": services.get(parent_key or ""),
                "email": f"{key}@{EMAIL_DOMAIN}",
            },
        )
        service.full_clean()
        service.served_jurisdictions.set([jurisdictions[code] for code in served])
        services[key] = service
    sync_seed_profiles(Profile)
    profiles = {profile.code: profile for profile in Profile.objects.all()}
    logins = []
    for local_part, first_name, last_name, profile_code, service_key in AGENTS:
        email = f"{local_part}@{EMAIL_DOMAIN}"
        agent, _ = Agent.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "profile": profiles[profile_code],
                "service": services[service_key],
                "is_active": True,
            },
        )
        agent.set_password(DEMO_PASSWORD)
        agent.full_clean()
        agent.save(update_fields=["password"])
        logins.append(DemoLogin(email, agent.full_name, agent.profile.label, agent.service.name))
    return logins
