from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from jalon.access import rules
from jalon.access.models import Agent, Profile, Service
from jalon.core.forms import JalonForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après 3 essais infructueux, "
            "le compte est temporairement bloqué."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous à l’administrateur local de votre service.",
    }


class ChoosePasswordForm(SetPasswordForm):
    """Choosing a password (reset or invitation), with the policy spelled out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = (
            "Au moins 12 caractères, pas un mot de passe courant, pas uniquement des chiffres, "
            "pas trop proche de votre nom ou de votre adresse."
        )
        self.fields["new_password2"].label = "Confirmez le nouveau mot de passe"


class CharterForm(JalonForm):
    accept = forms.BooleanField(
        label="J’ai lu la charte de sécurité et je m’engage à la respecter.",
        error_messages={"required": "Cochez la case pour accepter la charte avant de continuer."},
    )


class TwoFactorCodeForm(JalonForm):
    code = forms.RegexField(
        label="Code à 6 chiffres affiché par votre application d’authentification",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={
            "required": "Saisissez le code à 6 chiffres.",
            "invalid": "Le code est composé de 6 chiffres, par exemple 123456.",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def cleaned_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()


class AgentCreateForm(JalonForm):
    email = forms.EmailField(label="Adresse électronique professionnelle")
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.none())
    profile = forms.ModelChoiceField(label="Profil", queryset=Profile.objects.none())
    phone = forms.CharField(
        label="Téléphone professionnel (facultatif)", max_length=30, required=False
    )

    def __init__(self, *args: Any, actor: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if rules.is_national_admin(actor):
            self.fields["service"].queryset = rules.services_agent_can_staff(actor)  # type: ignore[attr-defined]
        else:
            del self.fields["service"]  # a local administrator staffs their own service only
        self.fields["profile"].queryset = Profile.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "service" not in self.fields:
            cleaned["service"] = self.actor.service
        service, profile = cleaned.get("service"), cleaned.get("profile")
        if service and profile and profile not in rules.grantable_profiles(self.actor, service):
            self.add_error(
                "profile", f"Le profil « {profile} » ne peut pas être attribué dans « {service} »."
            )
        return cleaned


class AgentEditForm(JalonForm):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    profile = forms.ModelChoiceField(label="Profil", queryset=Profile.objects.none())
    phone = forms.CharField(
        label="Téléphone professionnel (facultatif)", max_length=30, required=False
    )

    def __init__(self, *args: Any, actor: Agent, target: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [profile.pk for profile in rules.grantable_profiles(actor, target.service)]
        allowed.append(target.profile_id)
        self.fields["profile"].queryset = Profile.objects.filter(pk__in=allowed)  # type: ignore[attr-defined]


class ChangePasswordForm(PasswordChangeForm):
    """« Mon compte »: the current password, then the new one twice, with the same policy."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Ce mot de passe actuel n’est pas le bon : saisissez-le de nouveau.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = (
            "Au moins 12 caractères, pas un mot de passe courant, pas uniquement des chiffres, "
            "pas trop proche de votre nom ou de votre adresse."
        )
        self.fields["new_password2"].label = "Confirmez le nouveau mot de passe"


class ConfirmPasswordForm(JalonForm):
    """The agent's password, asked again before resetting their second factor."""

    password = forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe pour confirmer."},
    )

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agent = agent

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.agent.check_password(password):
            raise forms.ValidationError("Ce mot de passe n’est pas le bon.")
        return str(password)


class SharingForm(JalonForm):
    """What the probationers may see of the agent (convocations, public pages)."""

    phone = forms.CharField(
        label="Téléphone professionnel",
        required=False,
        max_length=30,
        help_text="Facultatif : une ligne directe ou un portable de service.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    share_phone = forms.BooleanField(
        label="Partager mon téléphone professionnel avec les personnes suivies", required=False
    )
    share_email = forms.BooleanField(
        label="Partager mon adresse électronique avec les personnes suivies", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("share_phone") and not (data.get("phone") or "").strip():
            self.add_error(
                "phone", "Saisissez votre téléphone professionnel pour pouvoir le partager."
            )
        return data
