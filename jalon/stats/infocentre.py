"""The anonymised national export of one month for statisticians (CAS-18): its tables.

Aggregate tables only, never a row per person or convocation: no name, birth date, phone,
APPI number, address or commune. Ages are cut in bands at the month's last day, places are
the département (from the postal code) or the jurisdictions. Each table is protected by
``suppression.protect`` (small cells hidden, and enough others that none can be recomputed
from the totals) and written as a CSV; the zip holds them with a data dictionary.

Counts are those of the dashboards: the convocations are counted as ``queries.py`` counts
them (local day of the receiving service, the deleted persons' anonymous counts added, the
same tally fields), here per service and type in one set-based query; the SMS table reads
``queries.message_tallies`` itself. Each table is independent of the others (no cell of one
is a sum of cells of another), so protecting each one protects the export.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum

from jalon.access.models import Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment, AppointmentType
from jalon.core.csvsafe import for_excel
from jalon.sms.models import MessageKind
from jalon.stats.indicators import INDICATORS
from jalon.stats.models import AppointmentCount
from jalon.stats.queries import (
    AppointmentTally,
    Area,
    LocalDate,
    MessageTally,
    Period,
    _deleted_appointments,
    message_tallies,
)
from jalon.stats.suppression import SECRET, THRESHOLD, Protected, protect

Status = Appointment.Status
PARIS = ZoneInfo("Europe/Paris")


def month_period(month: date) -> Period:
    """The local days of ``month`` (any day of it), as one month bucket."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1), "month")


def month_label(month: date) -> str:
    names = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    return f"{names[month.month - 1]} {month.year}"


@dataclass
class Column:
    name: str
    definition: str


@dataclass
class Table:
    """One published table: label columns, count columns, its rows, then protected."""

    key: str
    title: str
    description: str
    labels: list[Column]
    counts: list[Column]
    rows: list[tuple[tuple[str, ...], list[int]]] = field(default_factory=list)
    protected: Protected | None = None

    def protect(self) -> Table:
        if self.rows:
            self.protected = protect([values for _, values in self.rows])
        return self

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"

    def header(self) -> list[str]:
        return [c.name for c in self.labels] + [c.name for c in self.counts] + ["Total"]

    def lines(self) -> list[list[object]]:
        """The published rows, then the row of totals; hidden cells read ``secret``."""
        if self.protected is None:
            return []
        result: list[list[object]] = []
        for i, (labels, _) in enumerate(self.rows):
            shown = [self.protected.shown(i, j) for j in range(self.protected.columns)]
            result.append([*labels, *shown])
        last = self.protected.rows - 1
        totals = [self.protected.shown(last, j) for j in range(self.protected.columns)]
        blanks = [""] * (len(self.labels) - 1)
        result.append(["Total", *blanks, *totals])
        return result

    def csv(self) -> bytes:
        return for_excel(self.header(), self.lines())

    @property
    def hidden(self) -> int:
        if self.protected is None:
            return 0
        if len(self.rows) == 1:  # the row of totals repeats the only row
            return len(self.protected.hidden) // 2
        return len(self.protected.hidden)


# --- Convocations by court of appeal, tribunal, service kind, type and outcome --------------

OUTCOMES = [
    ("honoured", "Honorées", "appointments_honoured"),
    ("missed", "Non honorées", "appointments_missed"),
    ("excused", "Excusées", "appointments_excused"),
    ("cancelled", "Annulées", "appointments_cancelled"),
    ("without_outcome", "Sans suite renseignée", "appointments_without_outcome"),
    ("upcoming", "À venir", ""),
]


def appointment_tallies_by_service(
    period: Period, *, now: datetime
) -> dict[tuple[int, int], AppointmentTally]:
    """National convocations of ``period`` by (service, type): ``queries.appointment_tallies``
    with the service as a key (2 queries, set-based)."""
    low, high = period.utc_bounds()
    live: QuerySet[Any] = (
        Appointment.objects.filter(starts_at__gte=low, starts_at__lt=high)
        .annotate(day=LocalDate(F("starts_at"), F("service__time_zone")))
        .filter(day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("service_id", "appointment_type_id")
        .annotate(
            honoured=Count("pk", filter=Q(status=Status.HONOURED)),
            missed=Count("pk", filter=Q(status=Status.MISSED)),
            excused=Count("pk", filter=Q(status=Status.EXCUSED)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            without_outcome=Count("pk", filter=Q(status=Status.BOOKED, starts_at__lt=now)),
            upcoming=Count("pk", filter=Q(status=Status.BOOKED, starts_at__gte=now)),
        )
    )
    result: dict[tuple[int, int], AppointmentTally] = defaultdict(AppointmentTally)
    for row in live:
        key = (row.pop("service_id"), row.pop("appointment_type_id"))
        result[key] = result[key] + AppointmentTally(**row)
    deleted: QuerySet[Any] = (
        AppointmentCount.objects.filter(day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("service_id", "appointment_type_id", "status")
        .annotate(n=Sum("count"))
    )
    for row in deleted:
        key = (row["service_id"], row["appointment_type_id"])
        result[key] = result[key] + AppointmentTally(
            **_deleted_appointments(row["status"], False, row["n"])
        )
    return dict(result)


def _service_places() -> dict[int, tuple[str, str, str]]:
    """Each service's (court of appeal, tribunal judiciaire, kind) labels (1 query)."""
    kinds = dict(ServiceKind.choices)
    places = {}
    for service in Service.objects.select_related("jurisdiction__court_of_appeal"):
        jurisdiction = service.jurisdiction
        if jurisdiction is None:
            court, tribunal = "Administration centrale", ""
        elif jurisdiction.court_of_appeal is None:  # a service of the court of appeal
            court, tribunal = jurisdiction.name, ""
        else:
            court, tribunal = jurisdiction.court_of_appeal.name, jurisdiction.name
        places[service.pk] = (court, tribunal, str(kinds.get(service.kind, service.kind)))
    return places


def convocations_table(period: Period, *, now: datetime) -> Table:
    tallies = appointment_tallies_by_service(period, now=now)
    places = _service_places()
    types = dict(AppointmentType.objects.values_list("pk", "label"))
    cells: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0] * len(OUTCOMES))
    for (service_id, type_id), tally in tallies.items():
        labels = (*places[service_id], types.get(type_id, ""))
        for index, (name, _, _) in enumerate(OUTCOMES):
            cells[labels][index] += getattr(tally, name)
    counts = [
        Column(label, INDICATORS[code].definition if code else _UPCOMING)
        for _, label, code in OUTCOMES
    ]
    return Table(
        key="convocations",
        title="Convocations du mois par juridiction, type de service, type et suite",
        description=(
            "Toutes les convocations dont la date tombe dans le mois (heure locale du service "
            "qui reçoit), comptées comme dans les tableaux de bord de Jalon, y compris celles "
            "des personnes supprimées après la durée de conservation. Une ligne par cour "
            "d’appel, tribunal judiciaire, type de service et type de convocation ayant eu au "
            "moins une convocation."
        ),
        labels=[
            Column("Cour d’appel", "Cour d’appel dont relève le service qui reçoit."),
            Column(
                "Tribunal judiciaire",
                "Tribunal judiciaire de rattachement du service qui reçoit ; vide pour un "
                "service rattaché à la cour d’appel.",
            ),
            Column("Type de service", "Type du service qui reçoit (SPIP, SAP, BEX…)."),
            Column("Type de convocation", "Type de la convocation (libellé national)."),
        ],
        counts=counts,
        rows=sorted(cells.items()),
    ).protect()


_UPCOMING = (
    "Convocations du mois encore à venir au moment de l’export (zéro pour un mois terminé, "
    "sauf convocations planifiées plus tard dans la journée du dernier jour)."
)


# --- SMS by kind and outcome -----------------------------------------------------------------

SMS_OUTCOMES = [
    ("waiting", "En attente", "SMS pas encore remis à l’opérateur au moment de l’export."),
    ("sent", "Envoyés sans accusé", "SMS remis à l’opérateur, sans accusé de réception."),
    ("delivered", "Reçus", ""),
    ("undelivered", "Non reçus", ""),
    ("failed", "En échec", ""),
    ("cancelled", "Annulés", ""),
]


def sms_table(period: Period) -> Table:
    tallies = message_tallies(Area("national"), period)
    by_kind: dict[str, MessageTally] = defaultdict(MessageTally)
    for (_, kind), tally in tallies.items():
        by_kind[kind] = by_kind[kind] + tally
    labels = dict(MessageKind.choices)
    rows: list[tuple[tuple[str, ...], list[int]]] = [
        ((str(labels.get(kind, kind)),), [getattr(tally, name) for name, _, _ in SMS_OUTCOMES])
        for kind, tally in sorted(by_kind.items())
    ]
    return Table(
        key="sms",
        title="SMS du mois par type et résultat",
        description=(
            "SMS des convocations dont l’envoi était prévu dans le mois (heure locale du "
            "service), comptés comme dans les tableaux de bord, y compris ceux des personnes "
            "supprimées."
        ),
        labels=[Column("Type de SMS", "Convocation, rappel, replanification, annulation…")],
        counts=[
            Column(label, text or INDICATORS[f"sms_{name}"].definition)
            for name, label, text in SMS_OUTCOMES
        ],
        rows=rows,
    ).protect()


# --- Persons followed at the month's end, by département and age band ------------------------

AGE_BANDS = [
    ("Moins de 18 ans", 0, 17),
    ("18 à 24 ans", 18, 24),
    ("25 à 34 ans", 25, 34),
    ("35 à 49 ans", 35, 49),
    ("50 à 64 ans", 50, 64),
    ("65 ans et plus", 65, 200),
]

PERSONS_SQL = """
SELECT CASE
         WHEN p.lives_abroad THEN 'Étranger'
         WHEN p.postal_code ~ '^97[1-8][0-9]{2}$' THEN left(p.postal_code, 3)
         WHEN p.postal_code ~ '^20[01][0-9]{2}$' THEN '2A'
         WHEN p.postal_code ~ '^20[2-9][0-9]{2}$' THEN '2B'
         WHEN p.postal_code ~ '^[0-9]{5}$' THEN left(p.postal_code, 2)
         ELSE 'Non renseigné'
       END AS departement,
       date_part('year', age(%(last_day)s::date, p.birth_date))::int AS age,
       count(*)
FROM people_person p
WHERE p.created_at < %(end)s
  AND (p.archived_at IS NULL OR p.archived_at >= %(end)s)
  AND EXISTS (SELECT 1 FROM people_follow f WHERE f.person_id = p.id AND f.since < %(end)s)
GROUP BY 1, 2
"""


def band_of(age: int) -> int:
    for index, (_, low, high) in enumerate(AGE_BANDS):
        if low <= age <= high:
            return index
    return 0  # a birth date after the month's end: not a person followed yet, cannot happen


def persons_table(period: Period) -> Table:
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=PARIS)
    with connection.cursor() as cursor:
        cursor.execute(PERSONS_SQL, {"last_day": period.end, "end": end})
        found = cursor.fetchall()
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * len(AGE_BANDS))
    for departement, age, n in found:
        cells[departement][band_of(age)] += n
    return Table(
        key="personnes_suivies",
        title="Personnes suivies à la fin du mois par département de résidence et âge",
        description=(
            "Personnes suivies par au moins un service le dernier jour du mois à minuit "
            "(heure de Paris), non archivées à cette date. Chaque personne compte une fois, "
            "même suivie par plusieurs services. Les personnes supprimées après la durée de "
            "conservation ne sont plus comptées (seules leurs convocations et SMS le restent). "
            "Le sexe n’est pas enregistré dans Jalon."
        ),
        labels=[
            Column(
                "Département",
                "Département de résidence déduit du code postal (2A et 2B selon le code "
                "postal en Corse, 971 à 978 outre-mer) ; « Étranger » pour une résidence "
                "à l’étranger ; « Non renseigné » sans code postal. La commune n’est jamais "
                "publiée.",
            )
        ],
        counts=[
            Column(label, f"Personnes âgées de {label.lower()} le dernier jour du mois.")
            for label, _, _ in AGE_BANDS
        ],
        rows=[
            ((departement,), values)
            for departement, values in sorted(
                cells.items(), key=lambda item: (item[0] in _OTHERS, item[0])
            )
        ],
    ).protect()


_OTHERS = ("Étranger", "Non renseigné")


# --- The export -------------------------------------------------------------------------------


def build_tables(month: date, *, now: datetime) -> list[Table]:
    """Every table of ``month``, protected (about 7 queries whatever the data)."""
    period = month_period(month)
    return [convocations_table(period, now=now), sms_table(period), persons_table(period)]


SUPPRESSION_RULE = (
    f"Secret statistique : toute case (totaux compris) comprenant entre 1 et {THRESHOLD - 1} "
    f"unités est remplacée par « {SECRET} » (secret primaire). Pour qu’aucune case masquée ne "
    "puisse être recalculée à partir des totaux de ligne et de colonne, d’autres cases sont "
    "aussi masquées (secret secondaire) : chaque ligne et chaque colonne qui contient une case "
    "masquée en contient au moins deux, et les cases masquées forment des cycles, de sorte que "
    "chacune peut varier sans changer aucun chiffre publié. Le secret secondaire masque "
    "d’abord les plus petites cases non nulles. Une case à 0 est publiée (elle peut aussi "
    f"être masquée par le secret secondaire). Les tableaux sont indépendants : aucun n’est "
    "une agrégation d’un autre."
)


def dictionary(tables: list[Table], month: date, generated_at: datetime) -> str:
    """The data dictionary (markdown, in French): tables, columns, definitions, the rule."""
    lines = [
        f"# Export statistique anonymisé de Jalon — {month_label(month)}",
        "",
        f"Généré le {generated_at.astimezone(PARIS):%d/%m/%Y à %H:%M} (heure de Paris). "
        "Tableaux agrégés uniquement : aucune donnée directement ou indirectement "
        "identifiante (ni nom, ni date de naissance, ni téléphone, ni numéro, ni adresse, "
        "ni commune). Fichiers CSV en UTF-8 avec BOM, séparateur « ; ».",
        "",
        "## Règle de secret statistique",
        "",
        SUPPRESSION_RULE,
        "",
    ]
    for table in tables:
        lines += [
            f"## {table.filename} — {table.title}",
            "",
            table.description,
            "",
            f"Lignes : {len(table.rows)} (plus une ligne « Total »). "
            f"Cases masquées : {table.hidden}.",
            "",
            "| Colonne | Définition |",
            "|---|---|",
        ]
        for column in [*table.labels, *table.counts]:
            lines.append(f"| {column.name} | {column.definition} |")
        lines += [
            "| Total | Somme des colonnes de comptage de la ligne ; la ligne « Total » "
            "donne la somme de chaque colonne sur tout le pays. |",
            "",
        ]
    return "\n".join(lines) + "\n"


def write_zip(tables: list[Table], month: date, generated_at: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = generated_at.astimezone(PARIS).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [(table.filename, table.csv()) for table in tables]
        entries.append(("dictionnaire.md", dictionary(tables, month, generated_at).encode("utf-8")))
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def zip_name(month: date) -> str:
    return f"jalon_export_statistique_{month:%Y-%m}.zip"
