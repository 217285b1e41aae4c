from __future__ import annotations

from django import forms

from jalon.core.forms import JalonForm


class SearchForm(JalonForm):
    q = forms.CharField(label="Rechercher dans l’aide", max_length=200, required=False)


class ProblemReportForm(JalonForm):
    description = forms.CharField(
        label="Que s’est-il passé ?",
        help_text="Ce que vous faisiez, ce que vous attendiez, ce qui s’est affiché. "
        "N’indiquez pas de données sur les personnes suivies.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Décrivez le problème rencontré."},
    )
    # Filled from the link of the page where the agent was (see includes/footer.html).
    page = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    ref = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_page(self) -> str:
        return local_path(self.cleaned_data["page"])

    def clean_ref(self) -> str:
        return request_id(self.cleaned_data["ref"])


def local_path(text: str) -> str:
    """A path of this site only: the report never carries, nor links back to, another
    address (``//host``, ``javascript:``)."""
    text = text[:2000]
    return text if text.startswith("/") and not text.startswith(("//", "/\\")) else ""


def request_id(text: str) -> str:
    text = text[:64]
    return text if text.replace("-", "").isalnum() else ""
