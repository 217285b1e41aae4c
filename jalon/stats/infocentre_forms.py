"""The month asked for on the export page: a finished calendar month."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from jalon.core.forms import JalonForm
from jalon.stats.infocentre import month_label

FIRST_MONTH = date(2000, 1, 1)


class MonthForm(JalonForm):
    mois = forms.CharField(
        label="Mois (aaaa-mm)",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
        error_messages={"required": "Indiquez le mois de l’export."},
    )
    regenerer = forms.BooleanField(label="Recalculer un export existant", required=False)

    def __init__(self, *args: Any, current_month: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_month = current_month

    def clean_mois(self) -> date:
        text = self.cleaned_data["mois"].strip()
        found = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise forms.ValidationError(
                "Ce mois n’est pas valide : écrivez l’année puis le mois, par exemple 2026-11."
            )
        month = date(int(found.group(1)), int(found.group(2)), 1)
        if month >= self.current_month:
            raise forms.ValidationError(
                f"Le mois de {month_label(month)} n’est pas terminé : seul un mois achevé "
                "peut être exporté."
            )
        if month < FIRST_MONTH:
            raise forms.ValidationError("Choisissez un mois à partir de janvier 2000.")
        return month
