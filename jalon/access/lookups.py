"""Load protected objects through the agent's scope: 404 for missing and for out-of-scope alike."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from jalon.access import rules
from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import people as people_rules
from jalon.appointments.models import Agenda, Appointment, Slot, SlotPattern
from jalon.people.models import Follow, Person


def access_agent(actor: Agent, agent_id: int) -> Agent:
    try:
        return rules.agents_visible_to(actor).get(pk=agent_id)
    except Agent.DoesNotExist:
        raise Http404("Agent introuvable.") from None


def access_person(actor: Agent, person_id: int) -> Person:
    """A person of the agent's ressort, with referent and following services loaded."""
    try:
        return (
            people_rules.persons_visible_to(actor)
            .select_related("referent")
            .prefetch_related(
                Prefetch(
                    "follows",
                    queryset=Follow.objects.select_related("service").order_by("since"),
                )
            )
            .get(pk=person_id)
        )
    except Person.DoesNotExist:
        raise Http404("Personne introuvable.") from None


def access_appointment(actor: Agent, appointment_id: int) -> Appointment:
    try:
        return (
            appointment_rules.appointments_visible_to(actor)
            .with_details()
            .select_related("created_by", "created_by_service", "outcome_by")
            .get(pk=appointment_id)
        )
    except Appointment.DoesNotExist:
        raise Http404("Convocation introuvable.") from None


def access_agenda(actor: Agent, agenda_id: int) -> Agenda:
    try:
        return appointment_rules.agendas_visible_to(actor).get(pk=agenda_id)
    except Agenda.DoesNotExist:
        raise Http404("Agenda introuvable.") from None


def access_slot(actor: Agent, slot_id: int, agenda: Agenda | None = None) -> Slot:
    """A slot of an agenda of the agent's ressort (of ``agenda`` when given)."""
    slots = Slot.objects.filter(
        agenda__in=appointment_rules.agendas_visible_to(actor).values("pk")
    ).select_related("agenda__place__service", "appointment_type", "pattern")
    if agenda is not None:
        slots = slots.filter(agenda=agenda)
    try:
        return slots.get(pk=slot_id)
    except Slot.DoesNotExist:
        raise Http404("Créneau introuvable.") from None


def access_slot_pattern(actor: Agent, pattern_id: int, agenda: Agenda) -> SlotPattern:
    """A recurring pattern of ``agenda`` (already loaded through ``access_agenda``)."""
    try:
        return SlotPattern.objects.select_related("agenda__place__service", "appointment_type").get(
            pk=pattern_id, agenda=agenda
        )
    except SlotPattern.DoesNotExist:
        raise Http404("Modèle de créneaux introuvable.") from None
