"""Forms of the slot screens: a single slot, batch closing, recurring patterns, booking on a slot."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.appointments.forms.fields import ParquetNumberField
from jalon.appointments.models import WEEKDAY_CHOICES, AppointmentType
from jalon.core.forms import (
    ActionErrorsMixin,
    FlexibleTimeField,
    FrenchDateField,
    JalonForm,
    UpcomingDateField,
)


def _minutes(label: str, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Indiquez un nombre de minutes.",
            "invalid": "Saisissez un nombre entier de minutes.",
            "min_value": "Saisissez un nombre de minutes positif.",
            "max_value": "Saisissez au plus 600 minutes.",
        },
        **kwargs,
    )


def _capacity() -> forms.IntegerField:
    return forms.IntegerField(
        label="Nombre de places",
        help_text="Personnes convoquées en même temps sur ce créneau.",
        min_value=1,
        max_value=100,
        initial=1,
        error_messages={
            "required": "Indiquez le nombre de places.",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Un créneau a au moins une place.",
            "max_value": "Saisissez au plus 100 places.",
        },
    )


class _TypeChoiceMixin(JalonForm):
    def set_types(self, types: list[AppointmentType]) -> None:
        field = self.fields["appointment_type"]
        field.queryset = AppointmentType.objects.filter(pk__in=[kind.pk for kind in types])  # type: ignore[attr-defined]
        if len(types) == 1 and not self.is_bound:
            self.initial.setdefault("appointment_type", types[0].pk)


class SlotForm(ActionErrorsMixin, _TypeChoiceMixin, forms.Form):
    """One slot typed by hand, in the service's local time."""

    appointment_type = forms.ModelChoiceField(
        label="Type de convocation",
        queryset=AppointmentType.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le type de convocation."},
    )
    day = UpcomingDateField(
        label="Date",
        help_text="JJ/MM/AAAA, ou JJ/MM pour la prochaine occurrence.",
        error_messages={
            "required": "Saisissez la date du créneau.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )
    time = FlexibleTimeField(
        label="Heure de début",
        help_text="Par exemple 14:30, 14h30 ou 14.",
        error_messages={
            "required": "Saisissez l’heure de début.",
            "invalid": "Saisissez une heure au format HH:MM.",
        },
    )
    duration_minutes = _minutes("Durée (minutes)", initial=30)
    capacity = _capacity()

    def __init__(self, *args: Any, types: list[AppointmentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_types(types)


class SlotEditForm(ActionErrorsMixin, forms.Form):
    capacity = _capacity()
    is_open = forms.BooleanField(label="Ouvert aux convocations", required=False)


class CloseSlotsForm(ActionErrorsMixin, forms.Form):
    """Close every open slot of a period (leave, strike)."""

    date_from = FrenchDateField(
        label="Du",
        error_messages={
            "required": "Saisissez le premier jour.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )
    date_to = FrenchDateField(
        label="Au (inclus)",
        error_messages={
            "required": "Saisissez le dernier jour.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Par exemple : congés, grève, formation.",
        max_length=200,
        error_messages={"required": "Indiquez le motif de la fermeture (congés, grève…)."},
    )


class PatternForm(ActionErrorsMixin, _TypeChoiceMixin, forms.Form):
    """A recurring pattern; the type is chosen once, at creation."""

    appointment_type = forms.ModelChoiceField(
        label="Type de convocation",
        queryset=AppointmentType.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le type de convocation."},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Jours",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un jour."},
    )
    start_time = FlexibleTimeField(
        label="De",
        help_text="Heure du premier créneau, par exemple 9h.",
        error_messages={
            "required": "Saisissez l’heure de début.",
            "invalid": "Saisissez une heure au format HH:MM.",
        },
    )
    end_time = FlexibleTimeField(
        label="À",
        help_text="Le dernier créneau se termine au plus tard à cette heure.",
        error_messages={
            "required": "Saisissez l’heure de fin.",
            "invalid": "Saisissez une heure au format HH:MM.",
        },
    )
    interval_minutes = _minutes(
        "Un créneau toutes les (minutes)", help_text="Écart entre deux débuts de créneau."
    )
    duration_minutes = _minutes("Durée d’un créneau (minutes)")
    capacity = _capacity()
    valid_from = FrenchDateField(
        label="À partir du",
        error_messages={
            "required": "Saisissez la date de début.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )
    valid_until = FrenchDateField(
        label="Jusqu’au (facultatif)",
        required=False,
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )
    includes_holidays = forms.BooleanField(
        label="Aussi les jours fériés (types tenus le week-end et les jours fériés seulement)",
        required=False,
    )
    is_active = forms.BooleanField(label="Actif", required=False, initial=True)

    def __init__(
        self, *args: Any, types: list[AppointmentType] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if types is None:  # editing: the type stays
            del self.fields["appointment_type"]
        else:
            self.set_types(types)
            del self.fields["is_active"]

    def values(self) -> dict[str, Any]:
        """The pattern's fields, for ``create_pattern`` and ``update_pattern``."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("appointment_type",)
        }


class SlotBookingForm(ActionErrorsMixin, forms.Form):
    prosecution_number = ParquetNumberField()
    send_sms = forms.BooleanField(
        label="Envoyer aussi un SMS de convocation maintenant",
        required=False,
        help_text="Le rappel part de toute façon 24 ou 48 h avant, si la personne reçoit les SMS.",
    )

    def __init__(self, *args: Any, rebooking: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rebooking:  # as the booking form does when rescheduling or reconvening
            del self.fields["prosecution_number"]
            self.fields["send_sms"].label = "Prévenir la personne par SMS"
            self.fields["send_sms"].help_text = ""
            self.initial.setdefault("send_sms", True)
