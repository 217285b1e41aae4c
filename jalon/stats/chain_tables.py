"""Penal-chain tables for the jurisdiction and national dashboards, as plain data.

``tables_for(area, period, previous, now=...)`` returns the summary (with the previous period),
the orientations by kind, the delays, the registrations by origin, the judgments by delivery
mode and the figures per bucket; the page, the CSV and the ODS show the same cells
(``tables.Table``). It costs 12 queries whatever the data (7 for the period, 5 for the previous one,
``chain.py``).
"""

from __future__ import annotations

from datetime import datetime

from jalon.cases.models import Judgment, Orientation, Procedure
from jalon.stats import tables
from jalon.stats.chain import ChainCounts
from jalon.stats.chain_indicators import CHAIN_INDICATORS, by_bucket, chain_figure
from jalon.stats.indicators import Figure
from jalon.stats.queries import Area, Period
from jalon.stats.tables import Column, Table, format_cell

SUMMARY = [
    "chain_registered",
    "chain_oriented",
    "chain_dismissal_rate",
    "chain_prosecutable_rate",
    "chain_penal_response_rate",
    "chain_judgments",
    "chain_judgments_guilty",
    "chain_judgments_acquitted",
    "chain_judgments_without_verdict",
    "chain_appeal_decisions",
    "chain_delay_to_judgment_median",
    "chain_delay_to_judgment_p90",
    "chain_delay_to_execution_median",
    "chain_delay_to_execution_p90",
]
DELAYS = [
    (
        "De la réception au jugement",
        "chain_delay_to_judgment_median",
        "chain_delay_to_judgment_p90",
        "jugements",
    ),
    (
        "Du jugement à la prise en charge par le BEX",
        "chain_delay_to_execution_median",
        "chain_delay_to_execution_p90",
        "décisions",
    ),
]
DELAY_UNITS = {code: unit for _, median, p90, unit in DELAYS for code in (median, p90)}


def _value_text(figure: Figure, unit: str) -> str:
    if figure.is_rate:
        return format_cell(figure.value, "percent")
    if unit == "jours" and figure.value is not None:
        return f"{format_cell(figure.value, 'int')} j"
    return format_cell(figure.value, "int")


def _precisions(code: str, figure: Figure) -> str:
    if code in DELAY_UNITS:
        parts = [f"calculé sur {format_cell(figure.numerator, 'int')} {DELAY_UNITS[code]}"]
        if figure.aside is not None:
            parts.append(f"{format_cell(figure.aside, 'int')} {figure.aside_label}")
        return " ; ".join(parts)
    return tables.precisions(figure)


def summary(current: ChainCounts, previous: ChainCounts) -> Table:
    table = Table("chaine_penale", "Chaîne pénale", tables.SUMMARY_COLUMNS)
    for code in SUMMARY:
        indicator = CHAIN_INDICATORS[code]
        now, before = chain_figure(current, code), chain_figure(previous, code)
        table.rows.append(
            [
                indicator.name,
                _value_text(now, indicator.unit),
                _value_text(before, indicator.unit),
                tables.change_text(now, before),
                _precisions(code, now),
                indicator.definition,
            ]
        )
        table.indicators.append(indicator)
    return table


def orientations_by_kind(current: ChainCounts, previous: ChainCounts) -> Table:
    table = Table(
        "chaine_orientations",
        "Orientations par nature",
        [
            Column("Orientation", "text"),
            Column("Période"),
            Column("Part des orientations", "percent"),
            Column("Période précédente"),
        ],
    )
    total = chain_figure(current, "chain_oriented").value or 0
    for kind, label in Orientation.Kind.choices:
        now = chain_figure(current, "chain_oriented", kind).value or 0
        before = chain_figure(previous, "chain_oriented", kind).value or 0
        table.rows.append([label, now, now / total if total else None, before])
    table.rows.append(["Total", total, 1.0 if total else None,
                       chain_figure(previous, "chain_oriented").value])  # fmt: skip
    return table


def delays(current: ChainCounts, previous: ChainCounts) -> Table:
    table = Table(
        "chaine_delais",
        "Délais de la chaîne pénale (en jours)",
        [
            Column("Délai", "text"),
            Column("Médiane"),
            Column("90e centile"),
            Column("Calculé sur"),
            Column("En attente le dernier jour"),
            Column("Médiane, période précédente"),
        ],
    )
    for label, median_code, p90_code, _ in DELAYS:
        median = chain_figure(current, median_code)
        p90 = chain_figure(current, p90_code)
        before = chain_figure(previous, median_code)
        table.rows.append(
            [label, median.value, p90.value, median.numerator, median.aside, before.value]
        )
    return table


def registrations_by_origin(current: ChainCounts, previous: ChainCounts) -> Table:
    table = Table(
        "chaine_enregistrements",
        "Procédures enregistrées par origine",
        [Column("Origine", "text"), Column("Période"), Column("Période précédente")],
    )
    for origin, label in Procedure.Origin.choices:
        table.rows.append(
            [
                label,
                chain_figure(current, "chain_registered", origin).value,
                chain_figure(previous, "chain_registered", origin).value,
            ]
        )
    return table


MODES = [*Judgment.DeliveryMode.choices, ("", "Non renseigné")]


def judgments_by_mode(current: ChainCounts) -> Table:
    codes = [
        ("chain_judgments", "Jugements"),
        ("chain_judgments_guilty", "Culpabilité"),
        ("chain_judgments_acquitted", "Relaxe"),
        ("chain_judgments_without_verdict", "Sans décision"),
        ("chain_appeal_decisions", "Arrêts d’appel"),
    ]
    table = Table(
        "chaine_jugements",
        "Jugements par caractère",
        [Column("Caractère", "text"), *(Column(label) for _, label in codes)],
    )
    for mode, label in MODES:
        table.rows.append([label, *(chain_figure(current, c, mode).value for c, _ in codes)])
    return table


def by_period(current: ChainCounts) -> Table:
    codes = [
        ("chain_registered", Column("Enregistrées")),
        ("chain_oriented", Column("Orientations")),
        ("chain_dismissal_rate", Column("Taux de classement", "percent")),
        ("chain_judgments", Column("Jugements")),
        ("chain_delay_to_judgment_median", Column("Délai médian au jugement (j)")),
        ("chain_delay_to_execution_median", Column("Délai médian à l’exécution (j)")),
    ]
    table = Table(
        "chaine_par_periode",
        "Chaîne pénale par période",
        [Column("Période", "text"), *(column for _, column in codes)],
    )
    series = {code: dict(by_bucket(current, code)) for code, _ in codes}
    for bucket in current.period.buckets():
        table.rows.append(
            [
                tables.bucket_label(bucket, current.period),
                *(series[code][bucket].value for code, _ in codes),
            ]
        )
    return table


def tables_for(area: Area, period: Period, previous: Period, *, now: datetime) -> list[Table]:
    """The penal-chain tables of a TJ, a court of appeal or the nation (12 queries).

    ``now`` is the moment the data are read (the dashboards show it); the figures depend on
    the period only: a period cannot end after today.
    """
    del now
    current_counts = ChainCounts.count(area, period)
    previous_counts = ChainCounts.count(area, previous, backlog=False)
    return [
        summary(current_counts, previous_counts),
        orientations_by_kind(current_counts, previous_counts),
        delays(current_counts, previous_counts),
        registrations_by_origin(current_counts, previous_counts),
        judgments_by_mode(current_counts),
        by_period(current_counts),
    ]
