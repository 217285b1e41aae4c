"""Forms of the local administration screens: a convocation place, an agenda."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jalon.access.models import Service
from jalon.appointments.actions.places import PLACE_FIELDS
from jalon.appointments.models import Place
from jalon.core.forms import ActionErrorsMixin


class PlaceForm(ActionErrorsMixin, forms.Form):
    """A place's details; national admins also choose the service when creating one."""

    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le service du lieu."},
    )
    name = forms.CharField(
        label="Nom du lieu",
        max_length=200,
        help_text="Par exemple : Tribunal judiciaire — SAP, ou SPIP — antenne de Colmar.",
        error_messages={
            "required": "Indiquez le nom du lieu.",
            "max_length": "Saisissez au plus 200 caractères.",
        },
    )
    address = forms.CharField(
        label="Adresse",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Numéro, rue, code postal et commune, comme sur la convocation papier.",
        error_messages={"required": "Indiquez l’adresse du lieu."},
    )
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    preferred_contact = forms.ChoiceField(
        label="Contact à privilégier",
        choices=Place.Contact.choices,
        help_text="Donné dans les SMS en cas d’imprévu.",
        error_messages={"required": "Choisissez le contact à privilégier."},
    )
    info_url = forms.URLField(
        label="Page d’information publique (facultatif)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Saisissez une adresse web valide (https://…)."},
    )
    accessibility_notes = forms.CharField(
        label="Accès et accessibilité (facultatif)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Transports, entrée, ascenseur, documents à présenter à l’accueil…",
    )
    is_active = forms.BooleanField(label="Lieu actif", required=False, initial=True)

    def __init__(
        self, *args: Any, services: QuerySet[Service] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if services is None:  # editing, or one service only: the service stays
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The place's fields, for ``create_place`` and ``update_place``."""
        return {name: self.cleaned_data[name] for name in PLACE_FIELDS if name in self.cleaned_data}


class AgendaForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Nom de l’agenda",
        max_length=200,
        help_text="Par exemple : Cabinet du JAP n°2, Poses de bracelet, Équipe milieu ouvert.",
        error_messages={
            "required": "Indiquez le nom de l’agenda.",
            "max_length": "Saisissez au plus 200 caractères.",
        },
    )
    is_active = forms.BooleanField(
        label="Agenda actif",
        required=False,
        initial=True,
        help_text="Un agenda désactivé ne reçoit plus de convocations ni de créneaux.",
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]
