from __future__ import annotations

from django import forms

from jalon.cases.models import Measure
from jalon.cases.natinf import MAX_BYTES
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm


class NatinfImportForm(JalonForm):
    file = forms.FileField(
        label="Fichier de la liste NATINF",
        help_text="Le fichier CSV tel que publié sur data.gouv.fr (Windows-1252, point-virgule).",
        error_messages={"required": "Choisissez le fichier à importer."},
    )
    edition = forms.CharField(
        label="Édition",
        max_length=40,
        help_text="Par exemple 2026-07.",
        error_messages={
            "required": "Indiquez le nom de l’édition.",
            "max_length": "40 caractères au plus.",
        },
    )
    in_force_from = forms.DateField(
        label="En vigueur à partir du",
        help_text="Format JJ/MM/AAAA.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date d’entrée en vigueur.",
            "invalid": "Date invalide : JJ/MM/AAAA attendu.",
        },
    )
    dry_run = forms.BooleanField(label="Vérifier seulement (rien n’est enregistré)", required=False)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 20 Mo : ce n’est pas la liste NATINF.")
        return bytes(upload.read())


class MeasureEndForm(ActionErrorsMixin):
    """The end of a measure: the day, why, and in a few words what the agent wants to keep."""

    ended_on = FrenchDateField(
        label="Date de fin",
        help_text="Format JJ/MM/AAAA.",
        error_messages={
            "required": "Indiquez la date de fin de la mesure.",
            "invalid": "Saisissez la date de fin au format JJ/MM/AAAA.",
        },
    )
    reason = forms.ChoiceField(
        label="Motif de fin",
        choices=Measure.End.choices,
        error_messages={
            "required": "Choisissez le motif de fin de la mesure.",
            "invalid_choice": "Choisissez le motif de fin de la mesure.",
        },
    )
    comment = forms.CharField(
        label="Précisions",
        required=False,
        max_length=1000,
        help_text="Obligatoire pour « Autre fin ». 1 000 caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "1 000 caractères au plus."},
    )
