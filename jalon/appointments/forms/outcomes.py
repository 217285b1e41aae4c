"""The "statut inconnu" queue's bulk form: the chosen convocations and one outcome."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.appointments.models import Appointment
from jalon.core.forms import JalonForm

Status = Appointment.Status
# The words of the URLs and buttons, as for one convocation (``appointment_operation``).
OUTCOMES = {
    "honoree": Status.HONOURED,
    "non-honoree": Status.MISSED,
    "excusee": Status.EXCUSED,
}
MAX_CHOSEN = 500  # more than a page of the queue: a forged request, not an agent


class ConvocationIdsField(forms.Field):
    """The ticked boxes: a list of convocation numbers."""

    widget = forms.MultipleHiddenInput

    def clean(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if not values:
            raise forms.ValidationError(
                "Cochez au moins une convocation avant de choisir un statut.", code="required"
            )
        if len(values) > MAX_CHOSEN:
            raise forms.ValidationError(
                f"Cochez au plus {MAX_CHOSEN} convocations à la fois.", code="too_many"
            )
        try:
            ids = [int(item) for item in values]
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(
                "La sélection de convocations n’est pas valide : rechargez la page.",
                code="invalid",
            ) from error
        if any(item <= 0 or item > 2**63 - 1 for item in ids):
            raise forms.ValidationError(
                "La sélection de convocations n’est pas valide : rechargez la page.",
                code="invalid",
            )
        return ids


class BulkOutcomeForm(JalonForm):
    convocations = ConvocationIdsField()
    statut = forms.ChoiceField(
        choices=[(key, Status(value).label) for key, value in OUTCOMES.items()],
        error_messages={
            "required": "Choisissez le statut à renseigner : honorée, non honorée ou excusée.",
            "invalid_choice": "Choisissez le statut à renseigner : honorée, non honorée ou "
            "excusée.",
        },
    )

    @property
    def status(self) -> str:
        return OUTCOMES[self.cleaned_data["statut"]]
