from __future__ import annotations

from django import forms

from jalon.core.forms import JalonForm
from jalon.territory.imports import MAX_BYTES


class CommuneImportForm(JalonForm):
    file = forms.FileField(
        label="Fichier CSV des communes",
        help_text=(
            "Colonnes : code_insee ; nom ; codes_postaux ; tribunal_judiciaire ; spip "
            "(séparateur point-virgule ou virgule, UTF-8)."
        ),
        error_messages={"required": "Choisissez le fichier CSV à importer."},
    )
    dry_run = forms.BooleanField(label="Vérifier seulement (rien n’est enregistré)", required=False)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo : découpez-le.")
        return bytes(upload.read())
