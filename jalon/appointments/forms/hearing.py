"""Forms of the sortie d'audience screen: finding the person, then the slots to book."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.appointments.forms.fields import ParquetNumberField
from jalon.appointments.models import AppointmentType, Slot, SlotQuerySet
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm


class HearingSearchForm(JalonForm):
    """Find a person already registered in the ressort (a GET form)."""

    q = forms.CharField(
        label="Nom, téléphone ou numéro APPI",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    naissance = FrenchDateField(
        label="Date de naissance (facultative)",
        required=False,
        error_messages={"invalid": "Saisissez une date de naissance au format JJ/MM/AAAA."},
    )

    @property
    def has_query(self) -> bool:
        return self.is_valid() and bool(
            self.cleaned_data["q"].strip() or self.cleaned_data["naissance"]
        )


class CommuneForm(JalonForm):
    """The commune where the person lives, for an inter-ressort booking (MSJ-22)."""

    commune = forms.CharField(
        label="Commune de résidence (inter-ressort)",
        required=False,
        max_length=100,
        help_text="Code INSEE, code postal ou nom : les créneaux proposés sont ceux de son ressort.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SlotRadio(forms.ModelChoiceField):
    """A slot among those offered; the template draws the choices grouped by agenda."""

    widget = forms.RadioSelect


class HearingForm(ActionErrorsMixin, forms.Form):
    """The parquet number, one slot per offered type (each optional, at least one), the SMS."""

    prosecution_number = ParquetNumberField()
    send_sms = forms.BooleanField(
        label="Envoyer aussi un SMS de convocation maintenant",
        required=False,
        help_text="Le rappel part de toute façon 24 ou 48 h avant, si la personne reçoit les SMS.",
    )

    # From a judgment: a slot after the art. 474 deadline is refused by the booking unless
    # this is ticked.
    confirm_late = forms.BooleanField(
        label="Je confirme la convocation au-delà du délai légal",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[AppointmentType, SlotQuerySet]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slot_fields: list[tuple[str, AppointmentType]] = []
        for appointment_type, slots in choices:
            name = self.field_name(appointment_type)
            self.fields[name] = SlotRadio(
                label=str(appointment_type),
                queryset=slots,
                required=False,
                error_messages={
                    "invalid_choice": (
                        "Ce créneau n’est pas proposé ici : choisissez-en un dans la liste."
                    )
                },
            )
            self.slot_fields.append((name, appointment_type))

    @staticmethod
    def field_name(appointment_type: AppointmentType) -> str:
        return f"creneau_{appointment_type.pk}"

    def chosen_slots(self) -> list[tuple[str, Slot]]:
        return [
            (name, self.cleaned_data[name])
            for name, _ in self.slot_fields
            if self.cleaned_data.get(name) is not None
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.slot_fields:
            raise forms.ValidationError(
                "Aucun type de sortie d’audience n’est proposé : aucun créneau ne peut être pris."
            )
        if not self.errors and not any(data.get(name) for name, _ in self.slot_fields):
            raise forms.ValidationError(
                "Choisissez au moins un créneau : SAP, SPIP ou les deux.", code="no_slot"
            )
        return data
