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
        page = self.cleaned_data["page"]
        # A path of this site only: the report never carries a foreign address.
        return page if page.startswith("/") and not page.startswith("//") else ""

    def clean_ref(self) -> str:
        ref = self.cleaned_data["ref"]
        return ref if ref.replace("-", "").isalnum() else ""
