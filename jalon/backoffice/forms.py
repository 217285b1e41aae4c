"""The forms of the national referentials (French messages next to the fields)."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.access.models import Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import AppointmentType
from jalon.cases.models import LegalRule
from jalon.core.forms import JalonModelForm
from jalon.situations.models import Policy

EMPTY_CHOICE = "Choisir dans la liste"


class PolicyForm(JalonModelForm):
    default_review_days = forms.IntegerField(
        label="Intervalle de revue par défaut (jours)",
        min_value=1,
        max_value=3650,
        error_messages={
            "min_value": "L’intervalle de revue est d’au moins un jour.",
            "max_value": "L’intervalle de revue est d’au plus dix ans (3 650 jours).",
            "invalid": "Indiquez un nombre de jours.",
        },
    )

    class Meta:
        model = Policy
        fields = ["label", "code", "jurisdiction", "default_review_days"]
        help_texts = {
            "code": "Identifiant court, en minuscules et sans espace (par exemple « vif »).",
            "jurisdiction": "Laisser vide pour une politique nationale.",
        }
        error_messages = {"code": {"invalid": "Lettres minuscules, chiffres et tirets seulement."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        assert isinstance(field, forms.ModelChoiceField)
        field.empty_label = "Toutes les juridictions (politique nationale)"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, jurisdiction = data.get("code"), data.get("jurisdiction")
        if code:
            same = Policy.objects.filter(code=code, jurisdiction=jurisdiction)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("code", "Une politique porte déjà ce code pour cette juridiction.")
        return data


class AppointmentTypeForm(JalonModelForm):
    """What a national administrator adjusts on a convocation type. Its code and the services
    it belongs to carry the application's behaviour: they are set with the application."""

    class Meta:
        model = AppointmentType
        fields = [
            "label",
            "what_to_bring",
            "default_duration_minutes",
            "reminder_delay_hours",
            "allows_weekends",
            "position",
        ]
        error_messages = {"label": {"unique": "Un type de convocation porte déjà ce libellé."}}


class JurisdictionForm(JalonModelForm):
    class Meta:
        model = Jurisdiction
        fields = ["kind", "name", "code", "court_of_appeal", "active_since"]
        help_texts = {
            "code": "Identifiant court, en minuscules et sans espace (par exemple « tj-colmar »).",
            "court_of_appeal": "Pour un tribunal judiciaire seulement.",
        }
        error_messages = {
            "name": {"unique": "Une juridiction porte déjà ce nom."},
            "code": {
                "unique": "Une juridiction porte déjà ce code.",
                "invalid": "Lettres minuscules, chiffres et tirets seulement.",
            },
        }
        widgets = {"active_since": forms.DateInput(attrs={"placeholder": "jj/mm/aaaa"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        court = self.fields["court_of_appeal"]
        assert isinstance(court, forms.ModelChoiceField)
        court.empty_label = "Aucune (cour d’appel)"
        kind = self.fields["kind"]
        assert isinstance(kind, forms.TypedChoiceField)
        kind.choices = [("", EMPTY_CHOICE), *Jurisdiction.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, court = data.get("kind"), data.get("court_of_appeal")
        if kind == Jurisdiction.Kind.JUDICIAL_COURT and court is None:
            self.add_error("court_of_appeal", "Choisissez la cour d’appel du tribunal.")
        elif kind == Jurisdiction.Kind.COURT_OF_APPEAL and court is not None:
            self.add_error("court_of_appeal", "Une cour d’appel ne relève d’aucune autre.")
        return data


class ServiceForm(JalonModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "kind",
            "jurisdiction",
            "parent",
            "served_jurisdictions",
            "time_zone",
            "holiday_subdivision",
            "email",
            "phone",
            "uses_platform",
            "inter_ressort",
            "requires_2fa",
        ]
        error_messages = {"name": {"unique": "Un service porte déjà ce nom."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, empty in (
            ("jurisdiction", "Aucune (administration centrale)"),
            ("parent", "Aucun (sauf antenne SPIP)"),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = empty
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Service.objects.filter(kind="spip").order_by("name")
        kind = self.fields["kind"]
        assert isinstance(kind, forms.TypedChoiceField)
        kind.choices = [("", EMPTY_CHOICE), *ServiceKind.choices]


class LegalRuleForm(JalonModelForm):
    """One dated value of a legal rule: a new value starts on a day and the previous one is
    closed the day before (two values of a key never overlap: ``LegalRule.clean``)."""

    value = forms.JSONField(
        label="Valeur",
        help_text='Un nombre (45), un texte entre guillemets ("TJ") ou une liste ([1, 2]).',
        error_messages={
            "invalid": "Écrivez un nombre, un texte entre guillemets ou une liste entre crochets."
        },
    )

    class Meta:
        model = LegalRule
        fields = ["key", "label", "value", "valid_from", "valid_until", "source"]
        help_texts = {
            "key": "Le nom de la règle lu par l’application (par exemple "
            "« limitation.years.delit ») : reprenez celui d’une valeur existante.",
            "valid_until": "Dernier jour de validité, inclus ; vide si elle vaut encore.",
        }

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not self.instance.pk and not LegalRule.objects.filter(key=key).exists():
            raise forms.ValidationError(
                "Cette règle n’existe pas : l’application ne lit que les règles déjà connues. "
                "Reprenez le nom d’une règle de la liste."
            )
        return key
