"""The dashboard's tables, as plain data: the page, the CSV and the ODS show the same cells.

A column has a kind that says how to write its cells: ``text``, ``int``, ``percent`` (a
fraction, shown ×100 with one decimal) or ``points`` (a difference of two rates, in points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jalon.stats.figures import Tallies
from jalon.stats.indicators import INDICATORS, SMS_REFUSAL, Figure, Indicator
from jalon.stats.queries import AppointmentTally, MessageTally, Period

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip
WEEKDAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "int"  # text, int, percent, points


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    # Rows of a summary table: the indicator each row shows (for its definition on the page).
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def is_summary(self) -> bool:
        """A summary (figure, previous period, change, definition) is shown as such."""
        return self.columns == SUMMARY_COLUMNS


def format_cell(value: Any, kind: str, *, percent_sign: bool = True) -> str:
    """A cell as French text (also the CSV's text): ``12,5 %``, ``+1,2 pt``, ``1 234``."""
    if value is None:
        return "–"
    if kind == "percent":
        text = f"{value * 100:.1f}".replace(".", ",")
        return f"{text} %" if percent_sign else text
    if kind == "points":
        text = f"{value * 100:+.1f}".replace(".", ",").replace("-", "−")
        return f"{text} pt" if percent_sign else text
    if kind == "int":
        return f"{value:,}".replace(",", "\u202f")
    if kind == "signed":
        return f"{value:+,}".replace(",", "\u202f").replace("-", "−")
    return str(value)


def bucket_label(bucket: date, period: Period) -> str:
    if period.grain == "month":
        label = f"{MONTHS[bucket.month - 1]} {bucket.year}"
    elif period.grain == "week":
        label = f"semaine du {bucket:%d/%m/%Y}"
    else:
        return f"{WEEKDAYS[bucket.weekday()]} {bucket:%d/%m/%Y}"
    partial = bucket < period.start or _bucket_end(bucket, period.grain) > period.end
    return f"{label} (partiel)" if partial else label


def _bucket_end(bucket: date, grain: str) -> date:
    from datetime import timedelta

    if grain == "week":
        return bucket + timedelta(days=6)
    next_month = date(bucket.year + bucket.month // 12, bucket.month % 12 + 1, 1)
    return next_month - timedelta(days=1)


# --- Summary tables (figure, previous period, change) ---------------------------------------

SUMMARY_COLUMNS = [
    Column("Indicateur", "text"),
    Column("Valeur", "text"),
    Column("Période précédente", "text"),
    Column("Évolution", "text"),
    Column("Précisions", "text"),
    Column("Définition", "text"),
]


def figure_text(figure: Figure, indicator: Indicator) -> str:
    if figure.is_rate:
        return format_cell(figure.value, "percent")
    return format_cell(figure.value, "int")


def change_text(current: Figure, previous: Figure) -> str:
    if current.value is None or previous.value is None:
        return "–"
    if current.is_rate:
        return format_cell(current.value - previous.value, "points")
    return format_cell(int(current.value) - int(previous.value), "signed")


def precisions(figure: Figure) -> str:
    """What a rate is made of: numerator, denominator, interval, the rows left out."""
    if not figure.is_rate:
        return ""
    parts = [f"{format_cell(figure.numerator, 'int')} sur {format_cell(figure.denominator, 'int')}"]
    if figure.interval is not None:
        low, high = figure.interval
        parts.append(
            f"intervalle de confiance à 95 % : {format_cell(low, 'percent')} à "
            f"{format_cell(high, 'percent')}"
        )
    if figure.aside is not None:
        parts.append(f"{format_cell(figure.aside, 'int')} {figure.aside_label}")
    return " ; ".join(parts)


def summary(
    key: str, caption: str, codes: Sequence[str], current: Tallies, previous: Tallies
) -> Table:
    table = Table(key, caption, SUMMARY_COLUMNS)
    for code in codes:
        indicator = INDICATORS[code]
        now, before = current.figure(code), previous.figure(code)
        table.rows.append(
            [
                indicator.name,
                figure_text(now, indicator),
                figure_text(before, indicator),
                change_text(now, before),
                precisions(now),
                indicator.definition,
            ]
        )
        table.indicators.append(indicator)
    return table


def refusal_row(table: Table, figure: Figure) -> None:
    table.rows.append(
        [
            SMS_REFUSAL.name,
            figure_text(figure, SMS_REFUSAL),
            "–",
            "–",
            precisions(figure),
            SMS_REFUSAL.definition,
        ]
    )
    table.indicators.append(SMS_REFUSAL)


# --- Breakdowns -------------------------------------------------------------------------------

APPOINTMENT_CODES = [
    ("appointments_booked", "Prévues"),
    ("appointments_honoured", "Honorées"),
    ("appointments_missed", "Non honorées"),
    ("appointments_excused", "Excusées"),
    ("appointments_cancelled", "Annulées"),
    ("appointments_without_outcome", "Sans suite renseignée"),
]
MESSAGE_CODES = [
    ("sms_left", "Envoyés"),
    ("sms_delivered", "Reçus"),
    ("sms_undelivered", "Non reçus"),
    ("sms_failed", "En échec"),
    ("sms_cancelled", "Annulés"),
]
RATE_COLUMNS = [
    Column("Taux d’absentéisme", "percent"),
    Column("Intervalle à 95 % : bas", "percent"),
    Column("Intervalle à 95 % : haut", "percent"),
]


def _rate_cells(figure: Figure) -> list[Any]:
    low, high = figure.interval if figure.interval else (None, None)
    return [figure.value, low, high]


def appointments_by_bucket(tallies: Tallies) -> Table:
    columns = [Column("Période", "text"), *(Column(label) for _, label in APPOINTMENT_CODES)]
    table = Table("convocations_par_periode", "Convocations par période", [*columns, *RATE_COLUMNS])
    series = {code: dict(tallies.by_bucket(code)) for code, _ in APPOINTMENT_CODES}
    rates = dict(tallies.by_bucket("absenteeism_rate"))
    for bucket in tallies.period.buckets():
        table.rows.append(
            [
                bucket_label(bucket, tallies.period),
                *(series[code][bucket].value for code, _ in APPOINTMENT_CODES),
                *_rate_cells(rates[bucket]),
            ]
        )
    return table


def appointments_by_type(tallies: Tallies, type_labels: dict[int, str]) -> Table:
    columns = [Column("Type de convocation", "text")]
    columns += [Column(label) for _, label in APPOINTMENT_CODES]
    table = Table("convocations_par_type", "Convocations par type", [*columns, *RATE_COLUMNS])
    series = {code: tallies.by_second_key(code) for code, _ in APPOINTMENT_CODES}
    rates = tallies.by_second_key("absenteeism_rate")
    for type_id in sorted(rates, key=lambda pk: type_labels.get(pk, "")):
        table.rows.append(
            [
                type_labels.get(type_id, "?"),
                *(series[code][type_id].value for code, _ in APPOINTMENT_CODES),
                *_rate_cells(rates[type_id]),
            ]
        )
    return table


def reminders(tallies: Tallies) -> Table:
    table = Table(
        "rappels",
        "Absentéisme avec et sans rappel reçu",
        [
            Column("Convocations", "text"),
            Column("Non honorées"),
            Column("Honorées ou non honorées"),
            *RATE_COLUMNS,
        ],
    )
    for code, label in [
        ("absenteeism_with_reminder", "Avec rappel reçu"),
        ("absenteeism_without_reminder", "Sans rappel reçu"),
    ]:
        figure = tallies.figure(code)
        table.rows.append([label, figure.numerator, figure.denominator, *_rate_cells(figure)])
    return table


def messages_by_bucket(tallies: Tallies) -> Table:
    table = Table(
        "sms_par_periode",
        "SMS par période",
        [
            Column("Période", "text"),
            *(Column(label) for _, label in MESSAGE_CODES),
            Column("Taux de réception", "percent"),
        ],
    )
    series = {code: dict(tallies.by_bucket(code)) for code, _ in MESSAGE_CODES}
    rates = dict(tallies.by_bucket("sms_delivery_rate"))
    for bucket in tallies.period.buckets():
        table.rows.append(
            [
                bucket_label(bucket, tallies.period),
                *(series[code][bucket].value for code, _ in MESSAGE_CODES),
                rates[bucket].value,
            ]
        )
    return table


# --- Per service and per jurisdiction (an area's dashboard) ----------------------------------

COMPARED_RATE_LABELS = ("Taux d’absentéisme", "Taux d’absentéisme, période précédente")
_AREA_COLUMNS = [
    Column("Convocations prévues"),
    Column("Non honorées"),
    Column("Honorées ou non honorées"),
    Column(COMPARED_RATE_LABELS[0], "percent"),
    Column(COMPARED_RATE_LABELS[1], "percent"),
    Column("Évolution", "points"),
    Column("SMS envoyés"),
    Column("SMS reçus"),
    Column("Taux de réception des SMS", "percent"),
]


def _area_cells(current: tuple[Any, Any], previous: tuple[Any, Any]) -> list[Any]:
    """The cells of one service or jurisdiction, from its (convocation, SMS) tallies."""
    appointments, messages = current
    rate = INDICATORS["absenteeism_rate"].compute(appointments)
    before = INDICATORS["absenteeism_rate"].compute(previous[0])
    change = None if rate.value is None or before.value is None else rate.value - before.value
    return [
        appointments.booked,
        rate.numerator,
        rate.denominator,
        rate.value,
        before.value,
        change,
        messages.left,
        messages.delivered,
        INDICATORS["sms_delivery_rate"].compute(messages).value,
    ]


def _active(tallies: Tallies, previous: Tallies, service_id: int) -> bool:
    return any(
        service_id in rows
        for rows in (
            tallies.appointments_by_service,
            tallies.messages_by_service,
            previous.appointments_by_service,
            previous.messages_by_service,
        )
    )


def _service_tallies(tallies: Tallies, service_id: int) -> tuple[Any, Any]:
    return (
        tallies.appointments_by_service.get(service_id, AppointmentTally()),
        tallies.messages_by_service.get(service_id, MessageTally()),
    )


def per_service(
    services: Sequence[Any], current: Tallies, previous: Tallies, *, with_jurisdiction: bool
) -> Table:
    """One row per service with convocations or SMS in either period (services in order)."""
    columns = [Column("Service", "text")]
    if with_jurisdiction:
        columns.append(Column("Juridiction", "text"))
    table = Table("par_service", "Absentéisme et SMS par service", [*columns, *_AREA_COLUMNS])
    for service in services:
        if not _active(current, previous, service.pk):
            continue
        place = [service.jurisdiction.name if service.jurisdiction else "–"]
        table.rows.append(
            [
                service.name,
                *(place if with_jurisdiction else []),
                *_area_cells(
                    _service_tallies(current, service.pk), _service_tallies(previous, service.pk)
                ),
            ]
        )
    return table


def per_jurisdiction(services: Sequence[Any], current: Tallies, previous: Tallies) -> Table:
    """One row per jurisdiction (TJ, or a court of appeal's own services) with activity."""
    table = Table(
        "par_juridiction",
        "Absentéisme et SMS par juridiction",
        [Column("Juridiction", "text"), *_AREA_COLUMNS],
    )
    groups: dict[str, list[int]] = {}
    for service in services:
        if _active(current, previous, service.pk):
            name = service.jurisdiction.name if service.jurisdiction else "Administration centrale"
            groups.setdefault(name, []).append(service.pk)

    def total(tallies: Tallies, ids: list[int]) -> tuple[Any, Any]:
        parts = [_service_tallies(tallies, pk) for pk in ids]
        return (
            AppointmentTally.total(p[0] for p in parts),
            MessageTally.total(p[1] for p in parts),
        )

    for name in sorted(groups):
        ids = groups[name]
        table.rows.append([name, *_area_cells(total(current, ids), total(previous, ids))])
    return table
