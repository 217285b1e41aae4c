"""The API client form of the national administrators."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.access.models import Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.api.actions import ClientDetails
from jalon.api.models import ApiClient, ApiScope
from jalon.core.forms import FrenchDateField, JalonForm


class ApiClientForm(JalonForm):
    name = forms.CharField(label="Nom de l’application", max_length=150)
    contact_name = forms.CharField(label="Contact (nom, équipe)", max_length=150)
    contact_email = forms.EmailField(
        label="Adresse électronique du contact",
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    services = forms.ModelMultipleChoiceField(
        label="Services pour lesquels il agit",
        queryset=Service.objects.none(),
        required=False,
        help_text="Le client voit ce que voit un agent de chacun de ces services.",
    )
    jurisdictions = forms.ModelMultipleChoiceField(
        label="Ou tous les services de ces juridictions",
        queryset=Jurisdiction.objects.none(),
        required=False,
        help_text="Ajoute les services rattachés à ces juridictions aujourd’hui.",
    )
    scopes = forms.MultipleChoiceField(
        label="Droits",
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un droit."},
    )
    expires_on = FrenchDateField(
        label="Date d’expiration de la clé",
        required=False,
        help_text="Facultatif, JJ/MM/AAAA : la clé vaut jusqu’à ce jour inclus.",
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )

    def __init__(self, *args: Any, instance: ApiClient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["services"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(is_active=True)
            .exclude(kind=ServiceKind.NATIONAL)
            .order_by("name")
        )
        self.fields["jurisdictions"].queryset = Jurisdiction.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = ApiClient.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("Un client API porte déjà ce nom.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        services = set(data.get("services") or [])
        jurisdictions = data.get("jurisdictions") or []
        if jurisdictions:
            services |= set(
                Service.objects.filter(is_active=True, jurisdiction__in=jurisdictions).exclude(
                    kind=ServiceKind.NATIONAL
                )
            )
        if not services and "services" not in self.errors:
            self.add_error("services", "Choisissez au moins un service ou une juridiction.")
        data["all_services"] = sorted(services, key=lambda service: service.name)
        return data

    def details(self) -> ClientDetails:
        data = self.cleaned_data
        return ClientDetails(
            name=data["name"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            scopes=list(data["scopes"]),
            services=data["all_services"],
            expires_on=data["expires_on"],
        )
