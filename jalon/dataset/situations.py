"""SISPoPP situations of the synthetic dataset (issue 7): 200,000 at national scale.

A phase of ``generate`` (registered by the app config): it runs once persons exist, with
the foreign-key triggers off and the plain indexes dropped, and writes with COPY the
adjustable lists of every jurisdiction, then the situations with their victims,
procedures, measures, JAF parts, timeline events, reviews and concertation instances,
the parquet's follow of each MEC and the history events the app's actions would record.

Shape: situations spread over the TJs in proportion to their size, a few at the courts of
appeal; VIF for about 85 %, the other national policies for the rest; the MEC is a person
already generated in the jurisdiction's area (nobody is typed twice); about 20 % with
"Procédure JAF", OP ticked on some VIF victims, 10 % of TJ situations under appeal, 25 %
closed, opened over the last three years, next reviews around the anchor date with about
15 % of the open ones overdue. Drawn from one ``random.Random`` seeded with the run's seed
in a fixed order: the same seed and anchor give the same rows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.backends.utils import CursorWrapper

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.core.text import format_first_names, format_last_name
from jalon.dataset import names
from jalon.dataset.people import EVENT_COLUMNS, FOLLOW_COLUMNS
from jalon.dataset.writer import check_columns, copy_rows, next_id, sync_sequence
from jalon.history.models import Event
from jalon.people.models import Follow
from jalon.situations.models import (
    VIF_CODE,
    JafSection,
    ListEntry,
    Measure,
    Policy,
    Procedure,
    Review,
    Situation,
    SituationEvent,
    Victim,
)
from jalon.situations.seed import sync_seed_policies

if TYPE_CHECKING:
    from jalon.dataset.generate import Context
    from jalon.dataset.organisation import Ressort

Instance: type[models.Model] = Situation.instances.through

CA_SHARE = 0.03  # situations entered directly by a court of appeal
VIF_SHARE = 0.85
JAF_SHARE = 0.20  # of all situations; only VIF ones have the box ticked (SIS-24, SIS-25)
APPEAL_SHARE = 0.10  # of TJ situations
CLOSED_SHARE = 0.25
OVERDUE_SHARE = 0.15  # of open situations
OP_SHARE = 0.20  # of VIF victims
OPEN_YEARS = 3
CHUNK = 10_000
PARQUET_PROFILES = ("procureur_republique", "parquet", "procureur_general", "parquet_general")

# National policies besides the seeded VIF one (SIS-01: the seed names VIF only); reference
# rows the generator owns: created if missing, deleted by --reset.
DATASET_POLICIES: list[tuple[str, str, int]] = [
    ("stupefiants", "Trafic de stupéfiants", 60),
    ("mineurs", "Délinquance des mineurs", 90),
    ("haine", "Haine et discriminations", 120),
    ("elus", "Atteintes aux élus", 60),
]
INSTANCE_NAMES = [
    "Comité de pilotage VIF",
    "Cellule de suivi des violences intrafamiliales",
    "Conseil local de sécurité et de prévention de la délinquance",
    "Groupe local de traitement de la délinquance",
]
SUMMARIES = {
    VIF_CODE: [
        "Violences conjugales signalées par la victime ; suivi renforcé.",
        "Menaces réitérées après la séparation ; victime relogée.",
        "Violences sur conjointe en présence d’enfants mineurs.",
        "Harcèlement et dégradations au domicile de l’ancienne compagne.",
        "Violences habituelles sur concubine ; plainte déposée après hospitalisation.",
    ],
    "": [
        "Situation signalée par les services d’enquête ; suivi en instance de concertation.",
        "Réitération des faits depuis le premier signalement ; suivi renforcé.",
        "Personne déjà connue du parquet ; point régulier avec les partenaires.",
    ],
}
PARTICIPANTS = [
    "Parquet, SPIP, association d’aide aux victimes",
    "Parquet, JAP, SPIP",
    "Parquet, gendarmerie, commissariat, SPIP",
    "Parquet, JAF, association d’aide aux victimes, service social départemental",
]
REVIEW_DECISIONS = [
    "Maintien du suivi renforcé.",
    "Obligations respectées ; rythme de revue inchangé.",
    "Saisine du JAP pour un rappel des obligations.",
    "Demande d’enquête sociale rapide.",
    "",
]
PENAL_STAGES = [
    "Enquête en cours",
    "Contrôle judiciaire",
    "Convocation en justice",
    "Jugement rendu",
    "Exécution de la peine",
]
CIVIL_STAGES = ["Requête déposée", "Audience fixée", "Ordonnance de protection rendue"]
MEASURES = [
    "Interdiction de contact avec la victime",
    "Interdiction de paraître au domicile",
    "Téléphone grave danger",
    "Bracelet anti-rapprochement",
    "Obligation de soins",
    "Stage de responsabilisation",
]
CLOSING_REASONS = [
    "fin des mesures de protection.",
    "peine exécutée, plus de réitération signalée.",
    "victime partie hors du ressort.",
    "classement de la procédure.",
]
PROTECTIONS = ["Téléphone grave danger", "Bracelet anti-rapprochement", "Éviction du conjoint"]
EVENT_TEXTS = [
    "Point avec le SPIP : obligations respectées à ce jour.",
    "Nouvelle plainte de la victime pour menaces.",
    "Signalement de l’association d’aide aux victimes.",
    "Intervention des forces de l’ordre au domicile.",
    "Audience correctionnelle renvoyée.",
    "Victime hébergée en urgence.",
]

SITUATION_COLUMNS = [
    "id", "jurisdiction_id", "policy_id", "mec_id", "mec_procedure_jaf", "appeal", "summary",
    "cabinet_je_id", "cabinet_jap_id", "cabinet_ji_id", "next_review_on", "review_date_is_manual",
    "closed_on", "created_at", "created_by_id", "updated_at",
]  # fmt: skip
LIST_ENTRY_COLUMNS = ["id", "jurisdiction_id", "kind", "name", "is_active"]
INSTANCE_COLUMNS = ["id", "situation_id", "listentry_id"]
VICTIM_COLUMNS = [
    "id", "situation_id", "last_name", "first_names", "birth_date", "protection_order",
    "protective_measures",
]  # fmt: skip
PROCEDURE_COLUMNS = ["id", "situation_id", "nature", "reference", "court", "stage", "decisions"]
MEASURE_COLUMNS = ["id", "situation_id", "label", "starts_on", "ends_on", "details"]
JAF_COLUMNS = [
    "id",
    "situation_id",
    "hearing_on",
    "decisions",
    "notes",
    "updated_at",
    "updated_by_id",
]
SITUATION_EVENT_COLUMNS = [
    "id",
    "situation_id",
    "occurred_on",
    "text",
    "created_at",
    "created_by_id",
]
REVIEW_COLUMNS = [
    "id", "situation_id", "held_on", "participants", "decisions", "next_review_on", "created_at",
    "created_by_id",
]  # fmt: skip

# (key in the counts, model, columns, attribute of ``Rows``), in the order they are written.
TABLES: list[tuple[str, type[models.Model], list[str], str]] = [
    ("situations", Situation, SITUATION_COLUMNS, "situations"),
    ("situation instances", Instance, INSTANCE_COLUMNS, "instances"),
    ("situation victims", Victim, VICTIM_COLUMNS, "victims"),
    ("situation procedures", Procedure, PROCEDURE_COLUMNS, "procedures"),
    ("situation measures", Measure, MEASURE_COLUMNS, "measures"),
    ("situation JAF parts", JafSection, JAF_COLUMNS, "jaf"),
    ("situation timeline events", SituationEvent, SITUATION_EVENT_COLUMNS, "timeline"),
    ("situation reviews", Review, REVIEW_COLUMNS, "reviews"),
    ("parquet follows", Follow, FOLLOW_COLUMNS, "follows"),
    ("situation history events", Event, EVENT_COLUMNS, "history"),
]
# Tables only this phase writes: emptied by --reset, indexes deferred, ids synced.
OWN_MODELS: list[type[models.Model]] = [
    ListEntry,
    Instance,
    Victim,
    Procedure,
    Measure,
    JafSection,
    SituationEvent,
    Review,
    Situation,
]


@dataclass
class Site:
    """A jurisdiction as the phase sees it: its lists, authors, parquet and MEC pool."""

    id: int
    name: str
    court: str  # what procedures name as the court seized
    is_ca: bool
    parquet_service: int | None
    authors: list[int]
    pool: list[int]
    cabinets: dict[str, list[int]] = field(default_factory=dict)
    instances: list[int] = field(default_factory=list)


@dataclass
class Rows:
    situations: list[tuple[object, ...]] = field(default_factory=list)
    instances: list[tuple[object, ...]] = field(default_factory=list)
    victims: list[tuple[object, ...]] = field(default_factory=list)
    procedures: list[tuple[object, ...]] = field(default_factory=list)
    measures: list[tuple[object, ...]] = field(default_factory=list)
    jaf: list[tuple[object, ...]] = field(default_factory=list)
    timeline: list[tuple[object, ...]] = field(default_factory=list)
    reviews: list[tuple[object, ...]] = field(default_factory=list)
    follows: list[tuple[object, ...]] = field(default_factory=list)
    history: list[tuple[object, ...]] = field(default_factory=list)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders): the sum is exact."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def ensure_policies() -> list[Policy]:
    """The seeded national policies and the dataset's, VIF first, the others by code."""
    sync_seed_policies(Policy)
    for code, label, days in DATASET_POLICIES:
        Policy.objects.get_or_create(
            code=code, jurisdiction=None, defaults={"label": label, "default_review_days": days}
        )
    national = Policy.objects.filter(jurisdiction=None, is_active=True)
    return sorted(national, key=lambda policy: (not policy.is_vif, policy.code))


def reset_policies() -> None:
    """Delete the dataset's national policies (their situations are gone) and reuse their ids."""
    Policy.objects.filter(
        jurisdiction=None, code__in=[code for code, _, _ in DATASET_POLICIES]
    ).delete()
    sync_sequence(Policy)


class SituationGenerator:
    def __init__(self, context: Context, policies: list[Policy], places: list[Site]) -> None:
        for _, model, columns, _ in TABLES:
            check_columns(model, columns)
        check_columns(ListEntry, LIST_ENTRY_COLUMNS)
        assert context.organisation is not None
        self.rng = random.Random(f"{context.seed}:situations")  # noqa: S311 - synthetic data
        self.anchor = context.anchor
        self.anchor_day = context.anchor.date()
        self.labels = context.organisation.agent_labels
        self.vif = policies[0]
        self.others = policies[1:] or policies[:1]
        self.places = places
        self.target_type = ContentType.objects.get_for_model(Situation).pk
        sources: list[tuple[str, type[models.Model]]] = [
            ("situation", Situation),
            ("instance", Instance),
            ("victim", Victim),
            ("procedure", Procedure),
            ("measure", Measure),
            ("jaf", JafSection),
            ("timeline", SituationEvent),
            ("review", Review),
            ("follow", Follow),
            ("event", Event),
            ("entry", ListEntry),
        ]
        self.ids = {name: next_id(model) for name, model in sources}
        self.followed: set[tuple[int, int]] = set()

    def _id(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    # --- adjustable lists ---------------------------------------------------------------

    def list_entries(self, weights: dict[int, int]) -> list[tuple[object, ...]]:
        """Cabinets (JE, JAP, JI) of each TJ by size and its instances; the CA's instance."""
        rows: list[tuple[object, ...]] = []

        def add(place: Site, kind: str, name: str) -> int:
            pk = self._id("entry")
            rows.append((pk, place.id, kind, name, True))
            return pk

        for place in self.places:
            if place.is_ca:
                place.instances = [add(place, ListEntry.Kind.INSTANCE, "Comité de pilotage VIF")]
                continue
            weight = weights.get(place.id, 1)
            for kind, short, count in (
                (ListEntry.Kind.CABINET_JE, "JE", weight),
                (ListEntry.Kind.CABINET_JAP, "JAP", weight + 1),
                (ListEntry.Kind.CABINET_JI, "JI", weight),
            ):
                place.cabinets[kind] = [
                    add(place, kind, f"Cabinet {short} n° {n}") for n in range(1, count + 1)
                ]
            place.instances = [
                add(place, ListEntry.Kind.INSTANCE, name)
                for name in INSTANCE_NAMES[: 2 + (weight >= 3)]
            ]
        return rows

    # --- one situation ------------------------------------------------------------------

    def _at(self, day: date, hour: int) -> datetime:
        moment = datetime.combine(day, clock(hour), tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(120)
        )
        return min(moment, self.anchor - timedelta(minutes=1))

    def _history(
        self, rows: Rows, at: datetime, actor: int, action: str, pk: int, label: str, **details: Any
    ) -> None:
        rows.history.append(
            (self._id("event"), at, actor, self.labels.get(actor, ""), action, self.target_type,
             str(pk), label[:300], None, "", json.dumps(details))
        )  # fmt: skip

    def _cabinet(self, place: Site, kind: str, share: float) -> int | None:
        entries = place.cabinets.get(kind)
        return self.rng.choice(entries) if entries and self.rng.random() < share else None

    def situation(
        self, rows: Rows, place: Site, mec: int, mec_name: tuple[str, str], policy: Policy
    ) -> None:
        rng = self.rng
        pk = self._id("situation")
        vif = policy.is_vif
        interval = policy.default_review_days
        author = rng.choice(place.authors) if place.authors else None
        age = rng.randint(1, OPEN_YEARS * 365)
        created_day = self.anchor_day - timedelta(days=age)
        created_at = self._at(created_day, 8)
        jaf = vif and rng.random() < JAF_SHARE / VIF_SHARE
        appeal = not place.is_ca and rng.random() < APPEAL_SHARE
        closed_on = None
        # Closing needs a month of life: the share is drawn among the situations that old.
        if age > 30 and rng.random() < CLOSED_SHARE * OPEN_YEARS * 365 / (OPEN_YEARS * 365 - 30):
            closed_on = created_day + timedelta(days=rng.randint(30, age - 1))
        if closed_on is not None:
            next_review = closed_on + timedelta(days=rng.randint(1, interval))
        elif age >= 2 and rng.random() < OVERDUE_SHARE:
            next_review = self.anchor_day - timedelta(days=rng.randint(1, min(60, age - 1)))
        else:
            next_review = self.anchor_day + timedelta(days=rng.randint(0, interval))
        end_day = closed_on or self.anchor_day
        label = f"{policy.label} — {mec_name[0]} {mec_name[1]}"
        if author is not None:
            self._history(
                rows, created_at, author, "situation.created", pk, label,
                policy=policy.code, mec=mec, appeal=appeal,
            )  # fmt: skip
        last_activity = created_at
        # Reviews held every interval up to the next one, as the app computes it (SIS-03).
        wanted = rng.choices((0, 1, 2, 3), weights=(25, 35, 25, 15))[0]
        held = [next_review - timedelta(days=interval * (n + 1)) for n in range(wanted)]
        held = [day for day in held if created_day < day <= end_day]
        for day in reversed(held):
            at = self._at(day, 14)
            rows.reviews.append(
                (self._id("review"), pk, day, rng.choice(PARTICIPANTS), rng.choice(REVIEW_DECISIONS),
                 day + timedelta(days=interval), at, author)
            )  # fmt: skip
            if author is not None:
                self._history(
                    rows, at, author, "situation.review_recorded", pk, label,
                    held_on=day.isoformat(), next_review_on=(day + timedelta(days=interval)).isoformat(),
                )  # fmt: skip
            last_activity = max(last_activity, at)
        manual = not held and next_review != created_day + timedelta(days=interval)
        protected = self._victims(rows, pk, vif, mec_name[0])
        self._procedures(rows, pk, place, vif, created_day)
        for _ in range(rng.choices((0, 1, 2), weights=(30, 45, 25))[0]):
            starts = created_day + timedelta(days=rng.randint(0, (end_day - created_day).days))
            ends = starts + timedelta(days=rng.randint(30, 730)) if rng.random() < 0.5 else None
            rows.measures.append((self._id("measure"), pk, rng.choice(MEASURES), starts, ends, ""))
        texts = rng.sample(EVENT_TEXTS, rng.randint(1, 3))
        reason = rng.choice(CLOSING_REASONS)
        if closed_on is not None:  # as closing in the app writes it (its reason on the timeline)
            texts.append(f"Situation clôturée : {reason}")
        for index, text in enumerate(texts):
            day = (
                closed_on
                if closed_on is not None and index == len(texts) - 1
                else created_day + timedelta(days=rng.randint(0, (end_day - created_day).days))
            )
            at = self._at(day, 10)
            event_pk = self._id("timeline")
            rows.timeline.append((event_pk, pk, day, text, at, author))
            if author is not None:
                self._history(rows, at, author, "situation.event_added", pk, label, event=event_pk)
                if closed_on is not None and index == len(texts) - 1:
                    self._history(
                        rows, at, author, "situation.closed", pk, label,
                        closed_on=closed_on.isoformat(), reason=reason, event=event_pk,
                    )  # fmt: skip
            last_activity = max(last_activity, at)
        if (jaf or protected) and rng.random() < 0.6:
            hearing = (
                created_day + timedelta(days=rng.randint(20, 200)) if rng.random() < 0.5 else None
            )
            rows.jaf.append(
                (self._id("jaf"), pk, hearing, "", "Audience JAF à fixer." if hearing is None else "",
                 last_activity, author)
            )  # fmt: skip
        instances = rng.choices((0, 1, 2), weights=(40, 45, 15))[0]
        for entry in rng.sample(place.instances, min(instances, len(place.instances))):
            rows.instances.append((self._id("instance"), pk, entry))
        if place.parquet_service is not None and (place.parquet_service, mec) not in self.followed:
            self.followed.add((place.parquet_service, mec))
            rows.follows.append((self._id("follow"), mec, place.parquet_service, created_at))
        summaries = SUMMARIES.get(policy.code, SUMMARIES[""])
        rows.situations.append(
            (pk, place.id, policy.pk, mec, jaf, appeal, rng.choice(summaries),
             self._cabinet(place, ListEntry.Kind.CABINET_JE, 0.10),
             self._cabinet(place, ListEntry.Kind.CABINET_JAP, 0.45),
             self._cabinet(place, ListEntry.Kind.CABINET_JI, 0.15),
             next_review, manual, closed_on, created_at, author, last_activity)
        )  # fmt: skip

    def _victims(self, rows: Rows, situation: int, vif: bool, mec_last: str) -> bool:
        """One or two victims; True when one has the "OP" box ticked."""
        rng = self.rng
        protected = False
        for _ in range(1 if rng.random() < 0.7 else 2):
            last = (
                mec_last if vif and rng.random() < 0.5 else format_last_name(names.last_name(rng))
            )
            first = format_first_names(names.first_names(rng).split()[0])
            age = 18 + min(int(rng.expovariate(1 / 15)), 60)
            birth = (
                date(self.anchor_day.year - age, 1, 1) + timedelta(days=rng.randrange(365))
                if rng.random() < 0.8
                else None
            )
            order = vif and rng.random() < OP_SHARE
            protected = protected or order
            rows.victims.append(
                (self._id("victim"), situation, last[:100], first[:150], birth, order,
                 rng.choice(PROTECTIONS) if order else "")
            )  # fmt: skip
        return protected

    def _procedures(self, rows: Rows, situation: int, place: Site, vif: bool, opened: date) -> None:
        rng = self.rng
        year = opened.year % 100
        rows.procedures.append(
            (self._id("procedure"), situation, Procedure.Nature.PENAL,
             f"{year:02d}{rng.randrange(10**9):09d}", place.court, rng.choice(PENAL_STAGES), "")
        )  # fmt: skip
        if rng.random() < 0.4:
            if vif:
                rows.procedures.append(
                    (self._id("procedure"), situation, Procedure.Nature.CIVIL,
                     f"RG {year:02d}/{rng.randrange(1, 10**5):05d}",
                     f"Juge aux affaires familiales — {place.name}", rng.choice(CIVIL_STAGES), "")
                )  # fmt: skip
            else:
                rows.procedures.append(
                    (self._id("procedure"), situation, Procedure.Nature.PENAL,
                     f"{year:02d}{rng.randrange(10**9):09d}", place.court,
                     rng.choice(PENAL_STAGES), "")
                )  # fmt: skip

    # --- the run ------------------------------------------------------------------------

    def plan(
        self, total: int, shares: list[float], cas: dict[int, list[int]]
    ) -> list[tuple[int, int]]:
        """(place index, MEC id) of every situation: TJs by size, CAs by their ressort's."""
        tj_indexes = [i for i, place in enumerate(self.places) if not place.is_ca]
        ca_indexes = [i for i, place in enumerate(self.places) if place.is_ca]
        at_cas = round(total * CA_SHARE) if ca_indexes else 0
        counts = dict(zip(tj_indexes, apportion(total - at_cas, shares), strict=True))
        ca_weights = [sum(shares[i] for i in cas.get(index, [])) for index in ca_indexes]
        counts |= dict(zip(ca_indexes, apportion(at_cas, ca_weights), strict=True))
        planned = []
        for index, place in enumerate(self.places):
            count, pool = counts.get(index, 0), place.pool
            if not pool or not count:
                continue
            mecs = (
                self.rng.sample(pool, count)
                if count <= len(pool)
                else [self.rng.choice(pool) for _ in range(count)]
            )
            planned += [(index, mec) for mec in mecs]
        return planned

    def write(self, cursor: CursorWrapper, planned: list[tuple[int, int]]) -> dict[str, int]:
        counts = dict.fromkeys([key for key, _, _, _ in TABLES], 0)
        for start in range(0, len(planned), CHUNK):
            chunk = planned[start : start + CHUNK]
            cursor.execute(
                "SELECT id, last_name, first_names FROM people_person WHERE id = ANY(%s)",
                [sorted({mec for _, mec in chunk})],
            )
            found = {pk: (last, first) for pk, last, first in cursor.fetchall()}
            rows = Rows()
            for index, mec in chunk:
                policy = self.vif if self.rng.random() < VIF_SHARE else self.rng.choice(self.others)
                self.situation(rows, self.places[index], mec, found[mec], policy)
            for key, model, columns, attribute in TABLES:
                counts[key] += copy_rows(cursor, model, columns, getattr(rows, attribute))
        return counts


def _places(
    context: Context,
) -> tuple[list[Site], list[float], dict[int, list[int]], dict[int, int]]:
    """Every TJ of the organisation (its ressort's persons as MEC pool), then every CA."""
    assert context.organisation is not None
    ressorts: list[Ressort] = context.organisation.ressorts
    authors: dict[int, list[int]] = {}
    for pk, jurisdiction in (
        Agent.objects.filter(
            profile__code__in=PARQUET_PROFILES, service__jurisdiction__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "service__jurisdiction_id")
    ):
        authors.setdefault(jurisdiction, []).append(pk)
    parquets = dict(
        Service.objects.filter(
            kind__in=[ServiceKind.PROSECUTION, ServiceKind.GENERAL_PROSECUTION], parent=None
        )
        .order_by("-pk")
        .values_list("jurisdiction_id", "pk")
    )
    unit_to_ressort = {ressort.spip.id: index for index, ressort in enumerate(ressorts)}
    pools: list[list[int]] = [[] for _ in ressorts]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT service_id, person_id FROM people_follow WHERE service_id = ANY(%s) "
            "ORDER BY person_id",
            [list(unit_to_ressort)],
        )
        for service, person in cursor:  # streamed: a million rows at national scale
            pools[unit_to_ressort[service]].append(person)
    jurisdictions = {
        row["pk"]: row
        for row in Jurisdiction.objects.values("pk", "name", "court_of_appeal_id", "kind")
    }
    places: list[Site] = []
    weights: dict[int, int] = {}
    cas: dict[int, list[int]] = {}
    for index, ressort in enumerate(ressorts):
        pk = ressort.jurisdiction_id
        weights[pk] = ressort.court.weight
        places.append(
            Site(pk, jurisdictions[pk]["name"], f"Tribunal correctionnel de {ressort.court.city}",
                  False, parquets.get(pk), authors.get(pk, []), pools[index])
        )  # fmt: skip
    ca_ids = sorted({row["court_of_appeal_id"] for row in jurisdictions.values()} - {None})
    for ca in ca_ids:
        members = [
            i
            for i, r in enumerate(ressorts)
            if jurisdictions[r.jurisdiction_id]["court_of_appeal_id"] == ca
        ]
        cas[len(places)] = members
        name = jurisdictions[ca]["name"]
        places.append(
            Site(ca, name, f"Chambre des appels correctionnels — {name}", True, parquets.get(ca),
                  authors.get(ca, []), [p for i in members for p in pools[i]])
        )  # fmt: skip
    return places, [ressort.share for ressort in ressorts], cas, weights


def run(context: Context) -> dict[str, int]:
    """The phase: lists, then the situations in chunks; returns the rows written per table."""
    policies = ensure_policies()
    places, shares, cas, weights = _places(context)
    generator = SituationGenerator(context, policies, places)
    with connection.cursor() as cursor:
        entries = generator.list_entries(weights)
        counts = {
            "policies": len(policies),
            "list entries": copy_rows(cursor, ListEntry, LIST_ENTRY_COLUMNS, entries),
        }
        planned = generator.plan(context.sizes.situation_count, shares, cas)
        counts |= generator.write(cursor, planned)
    return counts
