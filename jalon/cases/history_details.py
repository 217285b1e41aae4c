"""What the procedure's history says about each event, beyond its label: built from the
details the actions store (no query), registered in ``CasesConfig.ready``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from jalon.cases.models import Appeal, Execution, Judgment, Measure, Procedure, Sentence
from jalon.core.dates import french_numeric_date, french_numeric_datetime
from jalon.core.parquet import format_parquet_number
from jalon.history.registry import Summary

Details = Mapping[str, Any]

PROCEDURE_FIELDS = {
    "origin": "origine",
    "origin_unit": "service d’origine",
    "origin_reference": "procès-verbal",
    "received_on": "date de réception",
    "facts_from": "début des faits",
    "facts_until": "fin des faits",
    "summary": "résumé des faits",
}
CHARGE_FIELDS = {"facts_from": "faits du", "facts_until": "jusqu’au", "place": "lieu"}


def _day(text: str | None) -> str:
    return french_numeric_date(date.fromisoformat(text)) if text else "—"


def _choice(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _registered(d: Details) -> str:
    origin = _choice(Procedure.Origin, d["origin"])
    return f"N° {format_parquet_number(d['parquet_number'])}, {d['tribunal']} — {origin}"


def _updated(d: Details) -> str:
    names = [PROCEDURE_FIELDS.get(name, name) for name in d["fields"]]
    return "Modifié : " + ", ".join(names) if names else ""


def _party_added(d: Details) -> str:
    return d["label"] + (" — nouvelle fiche créée" if d.get("new_person") else "")


def _oriented(d: Details) -> str:
    text = d["label"]
    if d.get("person"):
        text = f"{d['person']} : {text}"
    if d.get("replaces"):
        text += " (remplace l’orientation précédente)"
    return text


def _hearing(d: Details) -> str:
    starts_at = timezone.localtime(datetime.fromisoformat(d["starts_at"]))
    text = f"Audience du {french_numeric_datetime(starts_at)}"
    return text + (f", {d['chamber']}" if d.get("chamber") else "")


def _judgment(d: Details) -> str:
    what = "Arrêt de la cour d’appel" if d.get("replaces") else "Jugement"
    mode = _choice(Judgment.DeliveryMode, d["delivery_mode"]).lower()
    text = f"{what} du {_day(d['delivered_on'])}, {mode}"
    if d.get("person"):
        text = f"{d['person']} : {text}"
    sentences = [_choice(Sentence.Kind, kind) for kind in d.get("sentences") or []]
    return text + (" : " + ", ".join(sentences) if sentences else " : sans peine prononcée")


def _appeal(d: Details) -> str:
    text = f"Appel de : {_choice(Appeal.By, d['by']).lower()}, le {_day(d['lodged_on'])}"
    return text + (" — exécution suspendue" if d.get("suspends") else "")


def _executable(d: Details) -> str:
    return f"{_choice(Execution.Reason, d['reason'])}, exécutoire le {_day(d['on'])}"


def _charge_updated(d: Details) -> str:
    def shown(name: str, value: Any) -> str:
        return _day(value) if name != "place" else (value or "—")

    changes = [
        f"{CHARGE_FIELDS.get(name, name)} {shown(name, old)} → {shown(name, d['after'][name])}"
        for name, old in d["before"].items()
    ]
    return f"{d['label']} : " + ", ".join(changes)


def _charge_removed(d: Details) -> str:
    when = _day(d.get("facts_from"))
    if d.get("facts_until"):
        when = f"du {when} au {_day(d['facts_until'])}"
    return f"{d['label']} (faits {when})"


def _party_removed(d: Details) -> str:
    text = d["label"]
    orientations = [o["label"] for o in d.get("orientations") or []]
    if orientations:
        text += " — orientation retirée : " + ", ".join(orientations)
    return text


def _measure_ended(d: Details) -> str:
    reason = _choice(Measure.End, d["reason"]).lower()
    return f"{d['label']} : terminée le {_day(d['ended_on'])} ({reason})"


SUMMARIES: dict[str, Summary] = {
    "procedure.registered": _registered,
    "procedure.updated": _updated,
    "procedure.party_added": _party_added,
    "procedure.charge_added": lambda d: d["label"],
    "procedure.oriented": _oriented,
    "procedure.warning_acknowledged": lambda d: d["message"],
    "procedure.hearing_scheduled": _hearing,
    "procedure.judgment_recorded": _judgment,
    "procedure.judgment_served": lambda d: f"Signifié le {_day(d['served_on'])}",
    "procedure.appeal_recorded": _appeal,
    "procedure.judgment_final": lambda d: f"Définitif le {_day(d['final_on'])}",
    "procedure.judgment_executable": _executable,
    "procedure.party_role_changed": lambda d: d["label"],
    "procedure.party_removed": _party_removed,
    "procedure.charge_updated": _charge_updated,
    "procedure.charge_removed": _charge_removed,
    "procedure.measure_ended": _measure_ended,
}
