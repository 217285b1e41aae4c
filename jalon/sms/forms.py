"""The SMS template editor's form: unknown placeholders, stray braces and long texts refused."""

from __future__ import annotations

from django import forms
from django.conf import settings

from jalon.core.forms import JalonForm
from jalon.sms import content
from jalon.sms import text as sms_text


def max_parts() -> int:
    """The most SMS parts a template may cost once filled with the longest values."""
    return int(getattr(settings, "JALON_SMS_MAX_PARTS", 3))


def normalise(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; templates keep LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class SmsTemplateForm(JalonForm):
    text = forms.CharField(
        label="Texte du SMS",
        help_text="Le lien personnel « STOP SMS » est ajouté à la fin de chaque SMS et compte dans sa longueur.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Le modèle est vide."},
    )

    def clean_text(self) -> str:
        text = normalise(self.cleaned_data["text"])
        errors = sms_text.template_errors(text, max_parts(), suffix=content.longest_stop_suffix())
        if errors:
            raise forms.ValidationError(errors)
        return text
