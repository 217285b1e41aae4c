"""Booking form: type, agenda, day and time typed in the receiving service's local time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from jalon.access.models import Agent
from jalon.access.rules import appointments as rules
from jalon.appointments.actions.lifecycle import BookingRequest
from jalon.appointments.forms.fields import ParquetNumberField
from jalon.appointments.models import Agenda, AppointmentType
from jalon.appointments.scheduling import SchedulingError, local_datetime
from jalon.core.forms import ActionErrorsMixin, FlexibleTimeField, UpcomingDateField


class BookingForm(ActionErrorsMixin, forms.Form):
    field_aliases = {"starts_at": "day"}

    appointment_type = forms.ModelChoiceField(
        label="Type de convocation",
        queryset=AppointmentType.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le type de convocation."},
    )
    agenda = forms.ModelChoiceField(
        label="Lieu et agenda",
        queryset=Agenda.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le lieu et l’agenda."},
    )
    day = UpcomingDateField(
        label="Date",
        help_text="JJ/MM/AAAA, ou JJ/MM pour la prochaine occurrence.",
        error_messages={
            "required": "Saisissez la date de convocation.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )
    time = FlexibleTimeField(
        label="Heure",
        help_text="Par exemple 14:30, 14h30 ou 14.",
        error_messages={
            "required": "Saisissez l’heure de convocation.",
            "invalid": "Saisissez une heure au format HH:MM.",
        },
    )
    prosecution_number = ParquetNumberField()
    send_sms = forms.BooleanField(
        label="Envoyer aussi un SMS de convocation maintenant",
        required=False,
        help_text="Le rappel part de toute façon 24 ou 48 h avant, si la personne reçoit les SMS.",
    )

    def __init__(
        self, *args: Any, agent: Agent, fixed_type: AppointmentType | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agent = agent
        types = [kind for kind in rules.appointment_types_for(agent) if not kind.uses_slots]
        self.fields["appointment_type"].queryset = AppointmentType.objects.filter(  # type: ignore[attr-defined]
            pk__in=[kind.pk for kind in types]
        )
        agendas = rules.booking_agendas(agent).order_by("place__name", "name")
        self.fields["agenda"].queryset = agendas  # type: ignore[attr-defined]
        self.fields["agenda"].label_from_instance = self._agenda_label  # type: ignore[attr-defined]
        if fixed_type is not None:
            del self.fields["appointment_type"]
            del self.fields["prosecution_number"]
            self.fixed_type = fixed_type
            self.fields["send_sms"].label = "Prévenir la personne par SMS"
            self.fields["send_sms"].help_text = ""
            self.initial.setdefault("send_sms", True)
        if len(agendas) == 1 and not self.is_bound:
            self.initial.setdefault("agenda", agendas[0].pk)
        if len(types) == 1 and not self.is_bound and fixed_type is None:
            self.initial.setdefault("appointment_type", types[0].pk)

    def _agenda_label(self, agenda: Agenda) -> str:
        """The agenda's own name first, so that typing its first letters selects it."""
        where = agenda.place.name
        if agenda.place.service_id != self.agent.service_id:
            where += f", {agenda.place.service}"
        return f"{agenda.name} ({where})"

    @property
    def chosen_type(self) -> AppointmentType:
        return getattr(self, "fixed_type", None) or self.cleaned_data["appointment_type"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agenda, day, at = data.get("agenda"), data.get("day"), data.get("time")
        if agenda and day and at:
            try:
                data["starts_at"] = local_datetime(day, at, agenda.place.service.time_zone)
            except SchedulingError as error:
                self.add_error("time", str(error))
        return data

    @property
    def starts_at(self) -> datetime:
        return self.cleaned_data["starts_at"]

    def booking_request(self) -> BookingRequest:
        return BookingRequest(
            appointment_type=self.chosen_type,
            agenda=self.cleaned_data["agenda"],
            starts_at=self.starts_at,
        )


LAST_CHOICES_KEY = "jalon_last_booking"


def remembered_choices(session: Any) -> dict[str, int]:
    """The type and agenda the agent booked last, offered again (most agents book the same)."""
    return dict(session.get(LAST_CHOICES_KEY, {}))


def remember_choices(session: Any, form: BookingForm) -> None:
    choices = {"agenda": form.cleaned_data["agenda"].pk}
    if "appointment_type" in form.fields:
        choices["appointment_type"] = form.cleaned_data["appointment_type"].pk
    session[LAST_CHOICES_KEY] = choices
