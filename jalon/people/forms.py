"""Identity form: what an agent types to register or correct a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jalon.access.models import Agent
from jalon.core import phone as phones
from jalon.core.forms import ActionErrorsMixin, FrenchDateField
from jalon.people.actions import Identity
from jalon.people.models import normalize_appi, validate_appi, validate_birth_date


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

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        if self.is_bound:  # after a refusal the focus goes to the first field in error instead
            self.fields["last_name"].widget.attrs.pop("autofocus", None)
        self.fields[
            "phone"
        ].help_text = f"Un portable, pour les SMS de rappel : {phones.expected_form(region)}."

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw_phone = (data.get("phone") or "").strip()
        if data.get("has_no_mobile"):
            if raw_phone:
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
                self.add_error("phone", str(error))
        return data

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
