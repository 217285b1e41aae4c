"""The dashboard's period: two local days and a cut (day, week, month)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from jalon.core.forms import JalonForm
from jalon.stats.queries import Period

GRAINS = {"jour": "day", "semaine": "week", "mois": "month"}
GRAIN_LABELS = [("jour", "Jour"), ("semaine", "Semaine"), ("mois", "Mois")]
# Beyond these, a chart has too many bars to read: choose a wider cut.
MAX_DAYS = {"day": 93, "week": 7 * 106, "month": 366 * 5}
DEFAULT_DAYS = 28


class PeriodForm(JalonForm):
    du = forms.DateField(
        label="Du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez le premier jour de la période.",
            "invalid": "Le premier jour n’est pas une date valide (format jj/mm/aaaa).",
        },
    )
    au = forms.DateField(
        label="Au",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez le dernier jour de la période.",
            "invalid": "Le dernier jour n’est pas une date valide (format jj/mm/aaaa).",
        },
    )
    decoupage = forms.ChoiceField(
        label="Découpage",
        choices=GRAIN_LABELS,
        error_messages={
            "invalid_choice": "Choisissez un découpage par jour, par semaine ou par mois.",
            "required": "Choisissez un découpage par jour, par semaine ou par mois.",
        },
    )

    def __init__(self, data: Any = None, *, today: date) -> None:
        self.today = today
        if data is None or not any(key in data for key in ("du", "au", "decoupage")):
            data = {
                "du": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
                "au": today.isoformat(),
                "decoupage": "semaine",
            }
        super().__init__(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end, grain = cleaned.get("du"), cleaned.get("au"), cleaned.get("decoupage")
        if start is None or end is None or grain is None:
            return cleaned
        if end > self.today:
            self.add_error(
                "au",
                f"La période ne peut pas finir après aujourd’hui ({self.today:%d/%m/%Y}) : "
                "il n’y a pas encore de données.",
            )
        elif start > end:
            self.add_error("du", "Le premier jour doit être avant le dernier jour (ou le même).")
        elif (end - start).days + 1 > MAX_DAYS[GRAINS[grain]]:
            self.add_error(
                "decoupage",
                f"Période trop longue pour un découpage par {grain} : choisissez un découpage "
                "plus large ou une période plus courte.",
            )
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(data["du"], data["au"], GRAINS[data["decoupage"]])
