from __future__ import annotations

from typing import Any

from django import forms

from jalon.core.forms import JalonForm
from jalon.core.phone import PhoneError, parse_mobile

POLICY_HELP = (
    "Au moins 12 caractères. Pas un mot de passe courant, pas seulement des chiffres, pas votre "
    "nom. Une phrase de quelques mots facile à retenir convient, par exemple : "
    "« mon chat dort au soleil »."
)
PHONE_HELP = "Le numéro qui a reçu le SMS, par exemple 06 12 34 56 78."


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A mobile number typed in France (or with its +country), kept in E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Votre numéro de téléphone portable")
        kwargs.setdefault("help_text", PHONE_HELP)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            TelInput(attrs={"autocomplete": "tel"}),
        )
        kwargs.setdefault("error_messages", {"required": "Saisissez votre numéro de portable."})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return parse_mobile(text, "FR")
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from None


def _password(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": "Saisissez un mot de passe."},
    )


class NewPasswordMixin(JalonForm):
    password1 = _password("Choisissez un mot de passe", "new-password")
    password2 = _password("Saisissez-le une seconde fois", "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = POLICY_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return data


class AcceptInvitationForm(NewPasswordMixin):
    phone = PhoneField()
    field_order = ["phone", "password1", "password2"]


class LoginForm(JalonForm):
    phone = PhoneField(help_text="Par exemple 06 12 34 56 78.")
    password = _password("Votre mot de passe", "current-password")


class AskCodeForm(JalonForm):
    phone = PhoneField(help_text="Le numéro de votre compte, par exemple 06 12 34 56 78.")


class ResetForm(NewPasswordMixin):
    phone = PhoneField(widget=forms.HiddenInput)
    code = forms.RegexField(
        label="Le code à 6 chiffres reçu par SMS",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=10,
        error_messages={
            "required": "Saisissez le code reçu par SMS.",
            "invalid": "Le code est fait de 6 chiffres, par exemple 123456.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["phone", "code", "password1", "password2"]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()
