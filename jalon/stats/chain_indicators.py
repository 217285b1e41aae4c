"""Penal-chain indicators, defined once: code, French name and definition, unit, computation.

Each computation is a function of one tally of ``chain.py`` (its family says which); the
definitions are what users read and ``docs/statistics.md`` repeats them word for word. They
are added to the global registry ``indicators.INDICATORS`` when the app is ready
(``StatsConfig.ready``), so that this module may import ``indicators`` without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jalon.stats.chain import DelayTally, JudgmentTally, OrientationTally, percentile
from jalon.stats.indicators import PERIODS, Figure, Indicator

CHAIN_AREAS = ("jurisdiction", "court_of_appeal", "national")
CHAIN_DIMENSION_LABELS = {
    "origin": "origine de la procédure",
    "orientation_kind": "orientation",
    "delivery_mode": "caractère du jugement",
}

AREA_RULE = (
    "Une procédure compte pour le tribunal judiciaire dont le parquet l’a enregistrée et pour "
    "sa cour d’appel ; ses orientations et ses jugements, y compris l’arrêt de la cour d’appel, "
    "la suivent."
)
KEPT_RULE = "Les procédures ne sont jamais supprimées par la durée de conservation."
ORIENTATION_RULE = (
    "Une orientation est la décision du parquet pour un mis en cause (ou pour la procédure "
    "quand l’auteur est inconnu) ; elle compte pour le jour de sa décision. Une orientation "
    "remplacée par une autre décision datée du même jour (ou d’avant) est une correction et ne "
    "compte pas ; remplacée plus tard, elle reste comptée."
)
JUDGMENT_RULE = (
    "Un jugement est la décision rendue sur un prévenu ; il compte pour le jour où il est rendu. "
    "Le jugement de première instance compte comme jugement, même quand un arrêt de la cour "
    "d’appel le remplace ensuite ; l’arrêt est compté à part."
)
PERCENTILE_RULE = (
    "Médiane : le délai du jugement de rang « la moitié du nombre, arrondie au-dessus » quand "
    "ils sont classés du plus court au plus long ; 90e centile : celui de rang « 90 % du "
    "nombre, arrondi au-dessus ». Ce sont des délais réellement observés, en jours "
    "calendaires."
)
EXECUTION_RULE = (
    "Délai entre le jour où a été rendue la décision exécutée (l’arrêt de la cour d’appel quand "
    "il a remplacé le jugement) et le jour, à l’heure de Paris, où le bureau de l’exécution des "
    "peines (BEX) l’a prise en charge, pour les décisions prises en charge dans la période ; "
    "une décision compte pour le tribunal dont le BEX l’exécute. Les décisions exécutoires pas "
    "encore prises en charge le dernier jour de la période sont affichées à côté, jamais "
    "oubliées."
)
TO_JUDGMENT_RULE = (
    "Délai entre le jour où le parquet a reçu la procédure et le jour où le jugement de "
    "première instance a été rendu, pour les jugements rendus dans la période (un par "
    "prévenu). Les mis en cause renvoyés devant une juridiction de jugement et pas encore "
    "jugés le dernier jour de la période sont affichés à côté, jamais oubliés."
)


def _rate(numerator: int, denominator: int) -> Figure:
    return Figure(
        value=numerator / denominator if denominator else None,
        numerator=numerator,
        denominator=denominator,
    )


def _dismissal_rate(tally: OrientationTally) -> Figure:
    return _rate(tally.dismissed, tally.oriented)


def _prosecutable_rate(tally: OrientationTally) -> Figure:
    return _rate(tally.oriented - tally.not_prosecutable, tally.oriented)


def _response_rate(tally: OrientationTally) -> Figure:
    return _rate(tally.prosecuted + tally.alternative, tally.oriented - tally.not_prosecutable)


AWAITING_JUDGMENT = "mis en cause renvoyés devant une juridiction et pas encore jugés"
AWAITING_EXECUTION = "décisions exécutoires pas encore prises en charge par le BEX"


def _delay(numerator: int, denominator: int, label: str) -> Callable[[DelayTally], Figure]:
    def compute(tally: DelayTally) -> Figure:
        # ``numerator`` of the figure: how many delays it is computed on (not a rate).
        return Figure(
            value=percentile(tally.days, numerator, denominator),
            numerator=tally.count,
            aside=tally.pending,
            aside_label=label,
        )

    return compute


def _count(field: str) -> Callable[[Any], Figure]:
    return lambda tally: Figure(getattr(tally, field))


def _i(
    code: str,
    name: str,
    definition: str,
    unit: str,
    family: str,
    second: tuple[str, ...],
    compute: Callable[[Any], Figure],
) -> Indicator:
    return Indicator(
        code, name, definition, unit, f"chain_{family}", (*CHAIN_AREAS, *second, *PERIODS), compute
    )


_ORIENTED = ("orientation_kind",)
_JUDGED = ("delivery_mode",)

CHAIN_INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        _i(
            "chain_registered",
            "Procédures enregistrées",
            "Procédures enregistrées au bureau d’ordre du parquet, comptées pour le jour où le "
            "parquet les a reçues (date « reçue le »), quelle que soit leur suite ; par origine : "
            f"procès-verbal de police, de gendarmerie, plainte, autre. {AREA_RULE} {KEPT_RULE}",
            "procédures",
            "registrations",
            ("origin",),
            _count("registered"),
        ),
        _i(
            "chain_oriented",
            "Orientations décidées",
            "Décisions d’orientation du parquet prises dans la période, de toute nature : "
            "classement sans suite, alternative aux poursuites, composition pénale, CRPC, "
            "ordonnance pénale, COPJ, CPPV, comparution immédiate, information judiciaire, "
            f"citation directe, citation devant le tribunal de police. {ORIENTATION_RULE} "
            f"{AREA_RULE} {KEPT_RULE}",
            "orientations",
            "orientations",
            _ORIENTED,
            _count("oriented"),
        ),
        _i(
            "chain_dismissal_rate",
            "Taux de classement sans suite",
            "Orientations « classement sans suite » de la période, quel qu’en soit le motif, "
            "divisées par toutes les orientations de la période. Les procédures enregistrées "
            f"mais pas encore orientées ne comptent pas. {ORIENTATION_RULE} {AREA_RULE} "
            f"{KEPT_RULE}",
            "%",
            "orientations",
            _ORIENTED,
            _dismissal_rate,
        ),
        _i(
            "chain_prosecutable_rate",
            "Taux de poursuivabilité",
            "Orientations poursuivables divisées par toutes les orientations de la période. "
            "Sont non poursuivables les classements sans suite pour absence d’infraction, "
            "infraction insuffisamment caractérisée, auteur inconnu, irresponsabilité de "
            "l’auteur ou prescription ; toutes les autres orientations (classements pour un autre "
            f"motif compris) sont poursuivables. {ORIENTATION_RULE} {AREA_RULE} {KEPT_RULE}",
            "%",
            "orientations",
            _ORIENTED,
            _prosecutable_rate,
        ),
        _i(
            "chain_penal_response_rate",
            "Taux de réponse pénale",
            "Orientations poursuivables qui ne sont pas des classements sans suite (poursuites "
            "devant une juridiction, information judiciaire, alternatives aux poursuites, "
            "composition pénale), divisées par les orientations poursuivables de la période "
            f"(voir le taux de poursuivabilité). {ORIENTATION_RULE} {AREA_RULE} {KEPT_RULE}",
            "%",
            "orientations",
            _ORIENTED,
            _response_rate,
        ),
        _i(
            "chain_judgments",
            "Jugements rendus",
            "Jugements de première instance rendus dans la période, un par prévenu, quelle que "
            f"soit la décision. {JUDGMENT_RULE} {AREA_RULE} {KEPT_RULE}",
            "jugements",
            "judgments",
            _JUDGED,
            _count("first_instance"),
        ),
        _i(
            "chain_judgments_guilty",
            "Jugements de culpabilité",
            "Jugements de première instance de la période qui déclarent le prévenu coupable "
            f"d’au moins une infraction. {JUDGMENT_RULE} {AREA_RULE} {KEPT_RULE}",
            "jugements",
            "judgments",
            _JUDGED,
            _count("guilty"),
        ),
        _i(
            "chain_judgments_acquitted",
            "Jugements de relaxe",
            "Jugements de première instance de la période qui relaxent le prévenu pour toutes "
            f"les infractions jugées. {JUDGMENT_RULE} {AREA_RULE} {KEPT_RULE}",
            "jugements",
            "judgments",
            _JUDGED,
            _count("acquitted"),
        ),
        _i(
            "chain_judgments_without_verdict",
            "Jugements sans décision sur les infractions",
            "Jugements de première instance de la période pour lesquels aucune décision "
            "(coupable ou relaxe) n’est enregistrée sur les infractions. "
            f"{JUDGMENT_RULE} {AREA_RULE} {KEPT_RULE}",
            "jugements",
            "judgments",
            _JUDGED,
            _count("without_verdict"),
        ),
        _i(
            "chain_appeal_decisions",
            "Arrêts rendus en appel",
            "Décisions de la cour d’appel rendues dans la période qui remplacent un jugement de "
            f"première instance, une par prévenu. {AREA_RULE} {KEPT_RULE}",
            "arrêts",
            "judgments",
            _JUDGED,
            _count("appeal_decisions"),
        ),
        _i(
            "chain_delay_to_judgment_median",
            "Délai médian de la réception au jugement",
            f"{TO_JUDGMENT_RULE} {PERCENTILE_RULE} {AREA_RULE} {KEPT_RULE}",
            "jours",
            "judgment_delays",
            (),
            _delay(1, 2, AWAITING_JUDGMENT),
        ),
        _i(
            "chain_delay_to_judgment_p90",
            "Délai de la réception au jugement (90e centile)",
            f"{TO_JUDGMENT_RULE} {PERCENTILE_RULE} {AREA_RULE} {KEPT_RULE}",
            "jours",
            "judgment_delays",
            (),
            _delay(9, 10, AWAITING_JUDGMENT),
        ),
        _i(
            "chain_delay_to_execution_median",
            "Délai médian du jugement à la prise en charge par le BEX",
            f"{EXECUTION_RULE} {PERCENTILE_RULE} {KEPT_RULE}",
            "jours",
            "execution_delays",
            (),
            _delay(1, 2, AWAITING_EXECUTION),
        ),
        _i(
            "chain_delay_to_execution_p90",
            "Délai du jugement à la prise en charge par le BEX (90e centile)",
            f"{EXECUTION_RULE} {PERCENTILE_RULE} {KEPT_RULE}",
            "jours",
            "execution_delays",
            (),
            _delay(9, 10, AWAITING_EXECUTION),
        ),
    ]
}


def chain_figure(counts: Any, code: str, second: str | None = None) -> Figure:
    """``code`` over ``counts``'s whole period (for one origin, kind or mode if given)."""
    indicator = CHAIN_INDICATORS[code]
    return indicator.compute(counts.tally(family_of(indicator), second))


def family_of(indicator: Indicator) -> str:
    return indicator.family.removeprefix("chain_")


def by_bucket(counts: Any, code: str) -> list[tuple[Any, Figure]]:
    indicator = CHAIN_INDICATORS[code]
    return [
        (bucket, indicator.compute(tally))
        for bucket, tally in counts.bucket_tallies(family_of(indicator)).items()
    ]


__all__ = ["CHAIN_DIMENSION_LABELS", "CHAIN_INDICATORS", "JudgmentTally", "chain_figure"]


def register() -> None:
    """Add the penal-chain indicators to the global registry (``StatsConfig.ready``)."""
    from jalon.stats.indicators import DIMENSION_LABELS, INDICATORS

    DIMENSION_LABELS.update(CHAIN_DIMENSION_LABELS)
    INDICATORS.update(CHAIN_INDICATORS)
