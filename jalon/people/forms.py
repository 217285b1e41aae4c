"""Identity form: what an agent types to register or correct a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jalon.access.models import Agent
from jalon.core import phone as phones
from jalon.core.forms import ActionErrorsMixin, FrenchDateField
from jalon.people.actions import CONTACT_FIELDS, Identity
from jalon.people.models import (
    normalize_appi,
    normalize_postal_code,
    validate_appi,
    validate_birth_date,
)

POSTAL_CODE_MESSAGE = (
    "Le code postal compte 5 chiffres (par exemple 67000). Pour une adresse hors de France, "
    "cochez « Réside à l’étranger »."
)


class PersonForm(ActionErrorsMixin, forms.Form):
    """Minimal mandatory fields (MSJ-15): name, first names, birth date, a phone or its absence.

    As in MSJ, a person who refuses SMS may be registered without a mobile number: the
    number only serves the reminders they refused.
    """

    last_name = forms.CharField(
        label="Nom",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    first_names = forms.CharField(
        label="Prénoms", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = FrenchDateField(
        label="Date de naissance",
        help_text="JJ/MM/AAAA, ou les 8 chiffres à la suite.",
        error_messages={"invalid": "Saisissez une date de naissance au format JJ/MM/AAAA."},
    )
    phone = forms.CharField(
        label="Téléphone portable",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    has_no_mobile = forms.BooleanField(label="N’a pas de téléphone portable", required=False)
    refuses_sms = forms.BooleanField(label="Ne souhaite pas recevoir de SMS", required=False)
    appi_number = forms.CharField(
        label="Numéro APPI",
        required=False,
        max_length=20,
        help_text="Facultatif : 12 chiffres commençant par 200, 201 ou 202, ou 8 chiffres "
        "commençant par 199 ou 200 (par exemple 201212345678).",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    homeless = forms.BooleanField(label="Sans domicile stable", required=False)
    lives_abroad = forms.BooleanField(label="Réside à l’étranger", required=False)
    # Contact details a letter can use (all optional), kept whatever the mobile boxes say.
    landline = forms.CharField(
        label="Téléphone fixe",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        max_length=254,
        help_text="Par exemple nom@exemple.fr.",
        error_messages={
            "invalid": "Saisissez une adresse électronique complète, par exemple nom@exemple.fr."
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Adresse",
        required=False,
        max_length=200,
        help_text="Numéro et voie, par exemple 12 rue des Juifs.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address_complement = forms.CharField(
        label="Complément d’adresse",
        required=False,
        max_length=200,
        help_text="Facultatif : bâtiment, étage, chez…, lieu-dit.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    postal_code = forms.CharField(
        label="Code postal",
        required=False,
        max_length=10,
        help_text="5 chiffres en France.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label="Commune",
        required=False,
        max_length=100,
        help_text="Et le pays, pour une adresse à l’étranger.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    lawyer = forms.CharField(
        label="Avocat",
        required=False,
        max_length=200,
        help_text="Facultatif : nom, barreau et contact.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        if self.is_bound:  # after a refusal the focus goes to the first field in error instead
            self.fields["last_name"].widget.attrs.pop("autofocus", None)
        self.fields[
            "phone"
        ].help_text = f"Un portable, pour les SMS de rappel : {phones.expected_form(region)}."
        self.fields["landline"].help_text = (
            f"Facultatif : {phones.expected_landline_form(region)}. Il reste enregistré même "
            "si la personne n’a pas de portable."
        )

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        validate_birth_date(value)
        return value

    def clean_appi_number(self) -> str | None:
        value = normalize_appi(self.cleaned_data.get("appi_number") or "")
        if not value:
            return None
        validate_appi(value)
        return value

    def clean_landline(self) -> str:
        raw = (self.cleaned_data.get("landline") or "").strip()
        if not raw:
            return ""
        try:
            return phones.parse_landline(raw, self.region)
        except phones.PhoneError as error:
            raise forms.ValidationError(str(error), code="invalid_landline") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw_phone = (data.get("phone") or "").strip()
        if data.get("has_no_mobile"):
            if raw_phone and phones.is_landline(raw_phone, self.region):
                # A landline typed in the mobile field is kept as the landline, not lost.
                landline = phones.parse_landline(raw_phone, self.region)
                if data.get("landline") and data["landline"] != landline:
                    self.add_error(
                        "phone",
                        "Ce numéro est un fixe et un autre fixe est déjà saisi : effacez l’un "
                        "des deux.",
                    )
                elif "landline" in self.fields and "landline" not in self.errors:
                    data["landline"] = landline
            elif raw_phone:
                self.add_error(
                    "phone",
                    "Vous avez indiqué que la personne n’a pas de portable : effacez ce numéro "
                    "ou décochez la case.",
                )
            data["phone"] = None
        elif not raw_phone:
            if data.get("refuses_sms"):
                data["phone"] = None
            else:
                self.add_error(
                    "phone",
                    "Saisissez un numéro de portable, ou cochez « N’a pas de téléphone "
                    "portable » ou « Ne souhaite pas recevoir de SMS ».",
                )
        else:
            try:
                data["phone"] = phones.parse_mobile(raw_phone, self.region)
            except phones.PhoneError as error:
                message = str(error)
                if phones.is_landline(raw_phone, self.region) and "landline" in self.fields:
                    message = (
                        "Ce numéro est un téléphone fixe, pas un portable : il ne peut pas "
                        "recevoir de SMS. Saisissez-le dans « Téléphone fixe » (Coordonnées), "
                        "puis saisissez un portable ou cochez « N’a pas de téléphone portable »."
                    )
                self.add_error("phone", message)
        self._clean_address(data)
        return data

    def _clean_address(self, data: dict[str, Any]) -> None:
        """A postal address a letter can use: street, postal code and commune together."""
        if "postal_code" not in self.fields:
            return
        abroad = bool(data.get("lives_abroad"))
        postal_code = normalize_postal_code(data.get("postal_code") or "", abroad=abroad)
        data["postal_code"] = postal_code
        if postal_code and not abroad and not (len(postal_code) == 5 and postal_code.isdigit()):
            self.add_error("postal_code", POSTAL_CODE_MESSAGE)
        parts = {name: data.get(name) for name in ("address", "postal_code", "city")}
        if not any(parts.values()) or any(name in self.errors for name in parts):
            return
        missing = {
            "address": "Saisissez le numéro et la voie : une lettre ne peut pas partir sans.",
            "postal_code": "Saisissez le code postal de cette adresse.",
            "city": "Saisissez la commune de cette adresse.",
        }
        if abroad:  # some countries have no postal code
            missing.pop("postal_code")
        for name, message in missing.items():
            if not parts[name]:
                self.add_error(name, message)

    def identity(self, referent: Any = None) -> Identity:
        data = self.cleaned_data
        return Identity(
            last_name=data["last_name"],
            first_names=data["first_names"],
            birth_date=data["birth_date"],
            appi_number=data["appi_number"],
            phone=data["phone"],
            has_no_mobile=data["has_no_mobile"],
            refuses_sms=data["refuses_sms"],
            homeless=data["homeless"],
            lives_abroad=data["lives_abroad"],
            referent=referent,
            # A form without the contact fields (a subclass removed them) changes none.
            **{name: data.get(name) for name in CONTACT_FIELDS if name in self.fields},
        )


class PersonEditForm(PersonForm):
    """Correcting a person's record, and choosing the CPIP référent among those who follow them."""

    referent = forms.ModelChoiceField(
        label="CPIP référent",
        queryset=Agent.objects.none(),
        required=False,
        empty_label="— Aucun —",
    )

    def __init__(self, *args: Any, referents: QuerySet[Agent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents  # type: ignore[attr-defined]
        self.fields["referent"].label_from_instance = lambda agent: (  # type: ignore[attr-defined]
            f"{agent.full_name} ({agent.service})"
        )

    def identity(self, referent: Any = None) -> Identity:
        return super().identity(referent=self.cleaned_data["referent"])
