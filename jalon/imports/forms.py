"""The upload, the column mapping and the duplicate decisions."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.core.forms import JalonForm
from jalon.imports.columns import FIELDS
from jalon.imports.reading import MAX_BYTES

NOT_IN_FILE = "— Absente du fichier —"


class UploadForm(JalonForm):
    file = forms.FileField(
        label="Fichier à importer",
        help_text="CSV (UTF-8 ou Windows-1252, séparé par des points-virgules ou des virgules) "
        "ou classeur Excel XLSX ; 20 Mo et 100 000 lignes au plus.",
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
        },
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers."
            )
        return upload.read()


class MappingForm(JalonForm):
    """One list per field of ours: which column of the file holds it."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IN_FILE), *((header, header) for header in headers)]
        for field in FIELDS:
            self.fields[field.name] = forms.ChoiceField(
                label=field.label + ("" if field.required else " (facultatif)"),
                help_text=field.help,
                choices=choices,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for field in FIELDS:
            header = data.get(field.name)
            if not header:
                continue
            if header in used:
                self.add_error(
                    field.name,
                    f"La colonne « {header} » est déjà associée à « {used[header]} ».",
                )
            used[header] = field.label
        return data

    @property
    def mapping(self) -> dict[str, str]:
        return {name: header for name, header in self.cleaned_data.items() if header}
