"""Every indicator, defined once: name, French definition, unit, dimensions, computation.

The definition is the text users read next to the figure (and ``docs/statistics.md``
repeats it word for word; a test checks they agree). The computation is a function of a
tally counted by ``queries.py``; nothing else computes an indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jalon.stats.queries import AppointmentTally, MessageTally
from jalon.stats.wilson import wilson_interval

AREAS = ("service", "jurisdiction", "court_of_appeal", "national")
PERIODS = ("day", "week", "month")
DIMENSION_LABELS = {
    "service": "service",
    "jurisdiction": "tribunal judiciaire",
    "court_of_appeal": "cour d’appel",
    "national": "national",
    "appointment_type": "type de convocation",
    "sms_kind": "type de SMS",
    "day": "jour",
    "week": "semaine",
    "month": "mois",
}
APPOINTMENT_DIMENSIONS = (*AREAS, "appointment_type", *PERIODS)
MESSAGE_DIMENSIONS = (*AREAS, "sms_kind", *PERIODS)
# The families ``figures.Tallies`` counts (the others have their own modules, ``flows.py``).
BASE_FAMILIES = ("appointments", "messages")

DAY_RULE = "Une convocation compte pour le jour de son début à l’heure du service qui reçoit."
DELETED_RULE = (
    "Les convocations des personnes supprimées après la durée de conservation restent comptées."
)
SMS_DAY_RULE = (
    "Un SMS compte pour le jour où son envoi est prévu, à l’heure du service ; "
    "les SMS des personnes supprimées restent comptés."
)


@dataclass(frozen=True)
class Figure:
    """One indicator's value; a rate keeps its numerator and denominator."""

    value: int | float | None  # None: not defined (nothing to divide by)
    numerator: int | None = None
    denominator: int | None = None
    interval: tuple[float, float] | None = None  # 95 % Wilson interval of a rate
    aside: int | None = None  # the rows a rate leaves out, shown beside it
    aside_label: str = ""

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    unit: str
    family: str  # "appointments" or "messages": which tally it reads
    dimensions: tuple[str, ...]
    compute: Callable[[Any], Figure]

    @property
    def dimension_labels(self) -> list[str]:
        return [DIMENSION_LABELS[d] for d in self.dimensions]


def _rate(numerator: int, denominator: int, *, interval: bool = False, **aside: Any) -> Figure:
    return Figure(
        value=numerator / denominator if denominator else None,
        numerator=numerator,
        denominator=denominator,
        interval=wilson_interval(numerator, denominator) if interval else None,
        **aside,
    )


def _count(field: str) -> Callable[[Any], Figure]:
    return lambda tally: Figure(getattr(tally, field))


def _absenteeism(tally: AppointmentTally) -> Figure:
    return _rate(
        tally.missed,
        tally.honoured + tally.missed,
        interval=True,
        aside=tally.without_outcome,
        aside_label="convocations passées sans suite renseignée, non comptées",
    )


def _absenteeism_reminded(tally: AppointmentTally) -> Figure:
    return _rate(
        tally.missed_reminded, tally.honoured_reminded + tally.missed_reminded, interval=True
    )


def _absenteeism_unreminded(tally: AppointmentTally) -> Figure:
    missed = tally.missed - tally.missed_reminded
    honoured = tally.honoured - tally.honoured_reminded
    return _rate(missed, honoured + missed, interval=True)


def _delivery(tally: MessageTally) -> Figure:
    return _rate(
        tally.delivered,
        tally.delivered + tally.undelivered,
        aside=tally.sent,
        aside_label="SMS partis sans accusé de réception pour l’instant, non comptés",
    )


def _a(
    code: str, name: str, definition: str, unit: str, compute: Callable[[Any], Figure]
) -> Indicator:
    return Indicator(code, name, definition, unit, "appointments", APPOINTMENT_DIMENSIONS, compute)


def _m(
    code: str, name: str, definition: str, unit: str, compute: Callable[[Any], Figure]
) -> Indicator:
    return Indicator(code, name, definition, unit, "messages", MESSAGE_DIMENSIONS, compute)


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        _a(
            "appointments_booked",
            "Convocations prévues",
            "Toutes les convocations dont la date tombe dans la période, quel que soit leur "
            "statut : honorées, non honorées, excusées, annulées (une convocation replanifiée "
            "compte comme annulée, la nouvelle date comme une autre convocation), sans suite "
            f"renseignée et à venir. {DAY_RULE} {DELETED_RULE}",
            "convocations",
            lambda tally: Figure(tally.booked),
        ),
        _a(
            "appointments_honoured",
            "Convocations honorées",
            f"Convocations de la période marquées « honorée ». {DAY_RULE} {DELETED_RULE}",
            "convocations",
            _count("honoured"),
        ),
        _a(
            "appointments_missed",
            "Convocations non honorées",
            "Convocations de la période marquées « non honorée » (la personne n’est pas "
            f"venue et ne s’est pas excusée). {DAY_RULE} {DELETED_RULE}",
            "convocations",
            _count("missed"),
        ),
        _a(
            "appointments_excused",
            "Convocations excusées",
            f"Convocations de la période marquées « excusée ». {DAY_RULE} {DELETED_RULE}",
            "convocations",
            _count("excused"),
        ),
        _a(
            "appointments_cancelled",
            "Convocations annulées",
            "Convocations de la période annulées ou replanifiées avant d’avoir lieu. "
            f"{DAY_RULE} {DELETED_RULE}",
            "convocations",
            _count("cancelled"),
        ),
        _a(
            "appointments_without_outcome",
            "Convocations sans suite renseignée",
            "Convocations de la période dont l’heure est passée et qui ne sont marquées ni "
            "honorées, ni non honorées, ni excusées, ni annulées. Les convocations à venir "
            f"n’en font pas partie. {DAY_RULE} {DELETED_RULE}",
            "convocations",
            _count("without_outcome"),
        ),
        _a(
            "absenteeism_rate",
            "Taux d’absentéisme",
            "Convocations non honorées divisées par les convocations honorées ou non "
            "honorées de la période. Ne comptent pas : les convocations excusées, annulées, "
            "à venir, et celles sans suite renseignée, dont le nombre est affiché à côté. "
            "Intervalle de confiance à 95 % (Wilson). "
            f"{DAY_RULE} {DELETED_RULE}",
            "%",
            _absenteeism,
        ),
        _a(
            "absenteeism_with_reminder",
            "Taux d’absentéisme avec rappel reçu",
            "Le taux d’absentéisme restreint aux convocations dont le SMS de rappel a été "
            "reçu par le téléphone de la personne (accusé de réception de l’opérateur). "
            f"Intervalle de confiance à 95 % (Wilson). {DAY_RULE} {DELETED_RULE}",
            "%",
            _absenteeism_reminded,
        ),
        _a(
            "absenteeism_without_reminder",
            "Taux d’absentéisme sans rappel reçu",
            "Le taux d’absentéisme restreint aux convocations sans SMS de rappel reçu : pas "
            "de rappel (personne sans téléphone ou refusant les SMS, rappel annulé), rappel "
            "en échec, non reçu ou sans accusé de réception. Intervalle de confiance à 95 % "
            f"(Wilson). {DAY_RULE} {DELETED_RULE}",
            "%",
            _absenteeism_unreminded,
        ),
        _m(
            "sms_left",
            "SMS envoyés",
            "SMS remis à l’opérateur, qu’ils aient été reçus, non reçus ou qu’ils attendent "
            f"encore leur accusé de réception. Ne comptent pas : les SMS annulés, en échec, "
            f"ou pas encore partis. {SMS_DAY_RULE}",
            "SMS",
            _count("left"),
        ),
        _m(
            "sms_delivered",
            "SMS reçus",
            f"SMS dont l’opérateur a confirmé la réception par le téléphone. {SMS_DAY_RULE}",
            "SMS",
            _count("delivered"),
        ),
        _m(
            "sms_undelivered",
            "SMS non reçus",
            "SMS remis à l’opérateur qui n’ont pas atteint le téléphone (téléphone éteint, "
            f"hors réseau, numéro inexistant). {SMS_DAY_RULE}",
            "SMS",
            _count("undelivered"),
        ),
        _m(
            "sms_failed",
            "SMS en échec",
            "SMS que l’opérateur a refusés ou qui n’ont pas pu lui être remis après toutes "
            f"les tentatives. {SMS_DAY_RULE}",
            "SMS",
            _count("failed"),
        ),
        _m(
            "sms_cancelled",
            "SMS annulés",
            "SMS qui ne sont pas partis : convocation annulée ou déplacée, personne qui "
            f"refuse désormais les SMS ou dont la fiche a été archivée. {SMS_DAY_RULE}",
            "SMS",
            _count("cancelled"),
        ),
        _m(
            "sms_delivery_rate",
            "Taux de réception des SMS",
            "SMS reçus divisés par les SMS reçus ou non reçus. Les SMS partis qui attendent "
            f"encore leur accusé de réception ne comptent pas ; leur nombre est affiché à "
            f"côté. {SMS_DAY_RULE}",
            "%",
            _delivery,
        ),
    ]
}

SMS_REFUSAL = Indicator(
    "sms_refusing",
    "Personnes refusant les SMS",
    "Personnes suivies par le service qui refusent les SMS (réponse STOP, lien de "
    "désinscription ou demande à un agent), au moment où les données sont lues, rapportées "
    "à toutes les personnes suivies par le service. Ce chiffre ne dépend pas de la période.",
    "personnes",
    "refusals",
    AREAS,
    lambda pair: _rate(pair[0], pair[1]),
)
