from __future__ import annotations

from django import forms

from jalon.cases.natinf import MAX_BYTES
from jalon.core.forms import JalonForm


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
