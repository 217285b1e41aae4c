"""Forms of the transfer screens: finding the person, the request, the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jalon.access.models import Service
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm

REASON_WIDGET = forms.Textarea(attrs={"rows": 3, "class": "fr-input"})


class FindPersonForm(JalonForm):
    """An exact key: the APPI number, or last name, first names and birth date."""

    appi = forms.CharField(label="Numéro APPI", required=False, max_length=20)
    nom = forms.CharField(label="Nom", required=False, max_length=100)
    prenoms = forms.CharField(label="Prénoms", required=False, max_length=150)
    naissance = FrenchDateField(label="Date de naissance", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        identity = [data.get("nom"), data.get("prenoms"), data.get("naissance")]
        if not data.get("appi") and not all(identity) and not self.errors:
            raise forms.ValidationError(
                "Saisissez le numéro APPI, ou bien le nom, les prénoms et la date de naissance."
            )
        return data

    def key(self) -> dict[str, Any]:
        """The key for ``rules.transfers.transfer_candidates`` (empty when not valid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        if data.get("appi"):
            return {"appi_number": data["appi"]}
        return {
            "last_name": data["nom"],
            "first_names": data["prenoms"],
            "birth_date": data["naissance"],
        }


class TransferRequestForm(ActionErrorsMixin, forms.Form):
    service = forms.ModelChoiceField(
        label="Service demandeur", queryset=Service.objects.none(), empty_label="Choisissez"
    )
    reason = forms.CharField(
        label="Motif de la demande",
        help_text="Par exemple : la personne a déménagé dans notre ressort le …",
        widget=REASON_WIDGET,
        max_length=2000,
        error_messages={"required": "Indiquez le motif de la demande."},
    )
    notify_person = forms.BooleanField(
        label="Prévenir la personne par SMS si ses convocations à venir auprès des services "
        "dessaisis sont annulées",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services.order_by("name")
        if services.count() == 1:
            field.initial = services.first()
            field.widget = forms.HiddenInput()


class TransferAnswerForm(ActionErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accepter", "Accepter"), ("refuser", "Refuser")],
        error_messages={"required": "Choisissez d’accepter ou de refuser."},
    )
    service = forms.IntegerField(widget=forms.HiddenInput(), required=False)
    reason = forms.CharField(
        label="Motif (obligatoire pour un refus)",
        widget=REASON_WIDGET,
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuser" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return data
