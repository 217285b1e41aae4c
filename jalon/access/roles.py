"""Capabilities, service kinds and the seeded profiles.

Profiles are rows (``access.Profile``): a national admin can add one (SIS-28) by
choosing its label, the service kinds it fits and a set of capabilities from the list
below. Code never compares profile codes outside ``jalon/access/``; it asks
``access/rules.py``, which reads capabilities.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models


class ServiceKind(models.TextChoices):
    SPIP = "spip", "SPIP"
    SPIP_ANTENNA = "spip_antenna", "Antenne SPIP"
    SAP = "sap", "Service de l’application des peines (SAP)"
    BEX = "bex", "Bureau de l’exécution des peines (BEX)"
    CORRECTIONAL_REGISTRY = "greffe_correctionnel", "Greffe correctionnel"
    PROSECUTION = "parquet", "Parquet"
    GENERAL_PROSECUTION = "parquet_general", "Parquet général"
    BENCH = "siege", "Siège (JAF)"
    NATIONAL = "national", "Administration centrale"


# Kinds that sit in a tribunal judiciaire, in a court of appeal, or in either.
TJ_KINDS = frozenset(
    {
        ServiceKind.SPIP,
        ServiceKind.SPIP_ANTENNA,
        ServiceKind.SAP,
        ServiceKind.BEX,
        ServiceKind.CORRECTIONAL_REGISTRY,
        ServiceKind.PROSECUTION,
    }
)
CA_KINDS = frozenset({ServiceKind.GENERAL_PROSECUTION})
EITHER_KINDS = frozenset({ServiceKind.BENCH})
SPIP_KINDS = frozenset({ServiceKind.SPIP, ServiceKind.SPIP_ANTENNA})
# Profiles that can be a person's referent (the CPIP who follows them, or their DPIP).
REFERENT_PROFILE_CODES = frozenset({"cpip", "dpip"})
# Services that convoke at the end of a hearing but never record whether a person came.
BEX_KINDS = frozenset({ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY})


class Capability(models.TextChoices):
    ADMINISTER_PLATFORM = "administer_platform", "Administrer la plateforme (national)"
    MANAGE_SERVICE_AGENTS = "manage_service_agents", "Gérer les agents de son service"
    GRANT_LOCAL_ADMIN = "grant_local_admin", "Attribuer le profil d’administrateur local"
    UNARCHIVE_PERSONS = "unarchive_persons", "Désarchiver les personnes suivies"
    BOOK_TAG_FITTING = "book_tag_fitting", "Convoquer pour une pose de bracelet (SAP DDSE)"
    MANAGE_SLOTS = "manage_slots", "Gérer les créneaux de son service"
    MANAGE_TAG_FITTING_SLOTS = (
        "manage_tag_fitting_slots",
        "Gérer les créneaux de pose de bracelet (SAP DDSE) de son service",
    )
    MANAGE_SLOT_PATTERNS = "manage_slot_patterns", "Gérer les créneaux récurrents de son service"
    MANAGE_SITUATIONS = (
        "manage_situations",
        "Lire et modifier toutes les situations de sa juridiction (SISPoPP)",
    )
    JAF_SITUATIONS = (
        "jaf_situations",
        "Lire les situations VIF « Procédure JAF » ou « OP » et écrire la partie JAF",
    )
    EDIT_CABINET_LISTS = "edit_cabinet_lists", "Modifier les listes de cabinets JE, JAP et JI"
    EDIT_INSTANCE_LIST = "edit_instance_list", "Modifier la liste des instances de concertation"
    RECORD_JUDGMENTS = (
        "record_judgments",
        "Lire et enregistrer les décisions pénales de sa juridiction (siège pénal)",
    )
    VIEW_SERVICE_STATISTICS = (
        "view_service_statistics",
        "Consulter les statistiques de son service (chef de service)",
    )
    VIEW_JURISDICTION_STATISTICS = (
        "view_jurisdiction_statistics",
        "Consulter les statistiques de sa juridiction et de son ressort (chef de juridiction)",
    )
    VIEW_NATIONAL_STATISTICS = (
        "view_national_statistics",
        "Consulter les statistiques nationales et celles de chaque juridiction",
    )


class Family(models.TextChoices):
    NATIONAL = "national", "National"
    MSJ = "msj", "Convocations (Mon Suivi Justice)"
    SISPOPP = "sispopp", "Politiques pénales prioritaires (SISPoPP)"


class JurisdictionLevel(models.TextChoices):
    ANY = "any", "Tribunal judiciaire ou cour d’appel"
    TJ = "tj", "Tribunal judiciaire"
    CA = "ca", "Cour d’appel"


_MSJ_TJ = [ServiceKind.SAP, ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY]
_SPIP = [ServiceKind.SPIP, ServiceKind.SPIP_ANTENNA]
_BEX = [ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY]
_AGENTS = [Capability.MANAGE_SERVICE_AGENTS]
_DDSE = [Capability.BOOK_TAG_FITTING]
# Slots (MSJ-ROLES "Slots", "Recurring slots"): the surveillant manages only tag-fitting slots.
_SLOTS = [Capability.MANAGE_SLOTS]
_SLOTS_AND_PATTERNS = [Capability.MANAGE_SLOTS, Capability.MANAGE_SLOT_PATTERNS]
# Situations (SIS-17 to SIS-26): heads of parquet edit every adjustable list, parquet staff
# the instances only, the JAF its own part.
_SITUATIONS = [Capability.MANAGE_SITUATIONS]
_ALL_LISTS = [Capability.EDIT_CABINET_LISTS, Capability.EDIT_INSTANCE_LIST]
# The heads of a service (DPIP, directeurs de greffe) steer it with its statistics.
_HEAD = [Capability.VIEW_SERVICE_STATISTICS]
# The heads of a jurisdiction (président and procureur of a TJ; premier président and procureur
# général of a court of appeal, for its whole ressort) steer it with its statistics.
_JURISDICTION_HEAD = [Capability.VIEW_JURISDICTION_STATISTICS]
_NATIONAL_STATISTICS = [Capability.VIEW_NATIONAL_STATISTICS]

# (code, label, family, allowed service kinds, jurisdiction level, capabilities)
SEED_PROFILES: list[tuple[str, str, Family, Sequence[str], JurisdictionLevel, Sequence[str]]] = [
    (
        "national_admin",
        "Administrateur national",
        Family.NATIONAL,
        [ServiceKind.NATIONAL],
        JurisdictionLevel.ANY,
        [
            Capability.ADMINISTER_PLATFORM,
            *_AGENTS,
            Capability.GRANT_LOCAL_ADMIN,
            Capability.UNARCHIVE_PERSONS,
            *_DDSE,
            *_SLOTS_AND_PATTERNS,
            *_NATIONAL_STATISTICS,
        ],
    ),
    (
        "national_statistician",
        "Statisticien national",
        Family.NATIONAL,
        [ServiceKind.NATIONAL],
        JurisdictionLevel.ANY,
        _NATIONAL_STATISTICS,
    ),
    (
        "local_admin",
        "Administrateur local",
        Family.MSJ,
        [*_SPIP, *_MSJ_TJ],
        JurisdictionLevel.TJ,
        [
            *_AGENTS,
            Capability.GRANT_LOCAL_ADMIN,
            Capability.UNARCHIVE_PERSONS,
            *_DDSE,
            *_SLOTS_AND_PATTERNS,
        ],
    ),
    ("cpip", "CPIP", Family.MSJ, _SPIP, JurisdictionLevel.TJ, []),
    (
        "dpip",
        "DPIP",
        Family.MSJ,
        _SPIP,
        JurisdictionLevel.TJ,
        [*_DDSE, *_SLOTS_AND_PATTERNS, *_HEAD],
    ),
    ("educator", "Éducateur", Family.MSJ, _SPIP, JurisdictionLevel.TJ, []),
    ("psychologist", "Psychologue", Family.MSJ, _SPIP, JurisdictionLevel.TJ, []),
    (
        "overseer",
        "Surveillant / agent de pose",
        Family.MSJ,
        _SPIP,
        JurisdictionLevel.TJ,
        [*_DDSE, Capability.MANAGE_TAG_FITTING_SLOTS],
    ),
    ("secretary_spip", "Secrétariat SPIP", Family.MSJ, _SPIP, JurisdictionLevel.TJ, _SLOTS),
    (
        "jap",
        "JAP",
        Family.MSJ,
        [ServiceKind.SAP],
        JurisdictionLevel.TJ,
        [*_DDSE, *_SLOTS_AND_PATTERNS],
    ),
    (
        "greff_sap",
        "Greffier SAP",
        Family.MSJ,
        [ServiceKind.SAP],
        JurisdictionLevel.TJ,
        [*_DDSE, *_SLOTS_AND_PATTERNS],
    ),
    (
        "secretary_court",
        "Secrétariat SAP",
        Family.MSJ,
        [ServiceKind.SAP],
        JurisdictionLevel.TJ,
        [*_DDSE, *_SLOTS],
    ),
    (
        "dir_greff_sap",
        "Directeur de greffe SAP",
        Family.MSJ,
        [ServiceKind.SAP],
        JurisdictionLevel.TJ,
        [*_AGENTS, *_DDSE, *_SLOTS_AND_PATTERNS, *_HEAD],
    ),
    (
        "dir_greff_bex",
        "Directeur de greffe BEX",
        Family.MSJ,
        _BEX,
        JurisdictionLevel.TJ,
        [*_AGENTS, *_SLOTS_AND_PATTERNS, *_HEAD],
    ),
    ("bex", "Agent BEX", Family.MSJ, _BEX, JurisdictionLevel.TJ, []),
    ("greff_co", "Greffier correctionnel", Family.MSJ, _BEX, JurisdictionLevel.TJ, []),
    ("greff_tpe", "Greffier TPE", Family.MSJ, _BEX, JurisdictionLevel.TJ, []),
    (
        "prosecutor",
        "Magistrat du parquet",
        Family.MSJ,
        [ServiceKind.PROSECUTION, ServiceKind.BEX],
        JurisdictionLevel.TJ,
        [],
    ),
    (
        "procureur_general",
        "Procureur général",
        Family.SISPOPP,
        [ServiceKind.GENERAL_PROSECUTION],
        JurisdictionLevel.CA,
        [*_SITUATIONS, *_ALL_LISTS, *_JURISDICTION_HEAD],
    ),
    (
        "parquet_general",
        "Parquet général",
        Family.SISPOPP,
        [ServiceKind.GENERAL_PROSECUTION],
        JurisdictionLevel.CA,
        _SITUATIONS,
    ),
    (
        "procureur_republique",
        "Procureur de la République",
        Family.SISPOPP,
        [ServiceKind.PROSECUTION],
        JurisdictionLevel.TJ,
        [*_SITUATIONS, *_ALL_LISTS, *_JURISDICTION_HEAD],
    ),
    (
        "parquet",
        "Parquet",
        Family.SISPOPP,
        [ServiceKind.PROSECUTION],
        JurisdictionLevel.TJ,
        [*_SITUATIONS, Capability.EDIT_INSTANCE_LIST],
    ),
    (
        # The correctional bench: a judge of the TJ, or a counsellor of the appeal chamber.
        "juge_penal",
        "Magistrat du siège pénal",
        Family.MSJ,
        [ServiceKind.BENCH],
        JurisdictionLevel.ANY,
        [Capability.RECORD_JUDGMENTS],
    ),
    (
        # The head of the bench: président of a TJ, or premier président of a court of appeal.
        "president",
        "Président de juridiction (chef de juridiction)",
        Family.MSJ,
        [ServiceKind.BENCH],
        JurisdictionLevel.ANY,
        _JURISDICTION_HEAD,
    ),
    (
        "jaf_ca",
        "JAF cour d’appel",
        Family.SISPOPP,
        [ServiceKind.BENCH],
        JurisdictionLevel.CA,
        [Capability.JAF_SITUATIONS],
    ),
    (
        "jaf_tj",
        "JAF tribunal judiciaire",
        Family.SISPOPP,
        [ServiceKind.BENCH],
        JurisdictionLevel.TJ,
        [Capability.JAF_SITUATIONS],
    ),
]
