"""Slot screens: an agenda's slots and batch closing, recurring patterns, booking on a slot."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agenda, access_person, access_slot, access_slot_pattern
from jalon.access.models import Agent
from jalon.access.rules import slots as rules
from jalon.appointments import actions
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.forms.slots import (
    CloseSlotsForm,
    PatternForm,
    SlotBookingForm,
    SlotEditForm,
    SlotForm,
)
from jalon.appointments.models import (
    Agenda,
    Appointment,
    AppointmentType,
    Slot,
    SlotPattern,
    SlotQuerySet,
)
from jalon.core.dates import local_now
from jalon.people.models import Person

WINDOW_DAYS = 14
SLOTS_PER_PAGE = 60


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _by_day(slots: Iterable[Slot]) -> list[tuple[date, list[Slot]]]:
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.local_start.date())]


def _managed_agenda(request: AgentRequest, agenda_id: int) -> tuple[Agent, Agenda]:
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    if not rules.can_manage_slots(agent, agenda):
        raise PermissionDenied
    return agent, agenda


# --- An agenda's slots ------------------------------------------------------------------------


def slot_list(request: AgentRequest, agenda_id: int) -> HttpResponse:
    """Upcoming slots of an agenda by day, two weeks at a time, and the batch-close form."""
    agent, agenda = _managed_agenda(request, agenda_id)
    time_zone = agenda.place.service.time_zone
    today = local_now(time_zone).date()
    try:
        first = max(date.fromisoformat(request.GET.get("depuis", "")), today)
    except ValueError:
        first = today
    last = first + timedelta(days=WINDOW_DAYS - 1)
    close_form = CloseSlotsForm(_post(request))
    if request.method == "POST" and close_form.is_valid():
        data = close_form.cleaned_data
        try:
            report = slot_actions.close_slots(
                agent=agent,
                agenda=agenda,
                date_from=data["date_from"],
                date_to=data["date_to"],
                reason=data["reason"],
            )
        except ValidationError as error:
            close_form.add_action_errors(error)
        else:
            messages.success(request, f"{report.closed} créneau(x) fermé(s).")
            if report.with_bookings:
                messages.warning(
                    request,
                    f"{len(report.with_bookings)} créneau(x) fermé(s) ont des convocations "
                    f"({report.persons_to_warn} personne(s)) : elles sont maintenues, "
                    "annulez-les ou replanifiez-les si besoin (liste ci-dessous).",
                )
            url = reverse("slot_list", args=[agenda.pk])
            return redirect(f"{url}?depuis={max(data['date_from'], today).isoformat()}")
    slots = (
        rules.managed_slots(agent, agenda)
        .upcoming()
        .on_local_days(first, last, time_zone)
        .select_related("appointment_type", "agenda__place__service")
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.booked().select_related("person"),
                to_attr="booked_appointments",
            )
        )
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "appointments/slot_list.html",
        {
            "agenda": agenda,
            "days": _by_day(slots),
            "first": first,
            "last": last,
            "previous": first - timedelta(days=WINDOW_DAYS) if first > today else None,
            "next": last + timedelta(days=1),
            "close_form": close_form,
            "can_manage_patterns": rules.can_manage_patterns(agent, agenda),
        },
    )


def slot_create(request: AgentRequest, agenda_id: int) -> HttpResponse:
    agent, agenda = _managed_agenda(request, agenda_id)
    form = SlotForm(_post(request), types=rules.slot_types_managed(agent, agenda))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = slot_actions.create_slot(
                agent=agent,
                agenda=agenda,
                appointment_type=data["appointment_type"],
                day=data["day"],
                at=data["time"],
                duration_minutes=data["duration_minutes"],
                capacity=data["capacity"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Créneau créé.")
            url = reverse("slot_list", args=[agenda.pk])
            return redirect(f"{url}?depuis={slot.local_start.date().isoformat()}")
    return render(
        request,
        "appointments/slot_form.html",
        {"agenda": agenda, "form": form, "title": "Nouveau créneau"},
    )


def slot_edit(request: AgentRequest, agenda_id: int, slot_id: int) -> HttpResponse:
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    slot = access_slot(agent, slot_id, agenda=agenda)
    if not rules.can_manage_slot(agent, slot):
        raise PermissionDenied
    form = SlotEditForm(
        _post(request), initial={"capacity": slot.capacity, "is_open": slot.is_open}
    )
    if request.method == "POST" and form.is_valid():
        try:
            slot_actions.update_slot(
                agent=agent,
                slot=slot,
                capacity=form.cleaned_data["capacity"],
                is_open=form.cleaned_data["is_open"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Créneau modifié.")
            url = reverse("slot_list", args=[agenda.pk])
            return redirect(f"{url}?depuis={slot.local_start.date().isoformat()}")
    return render(
        request,
        "appointments/slot_form.html",
        {"agenda": agenda, "form": form, "slot": slot, "title": "Modifier le créneau"},
    )


# --- Recurring patterns ---------------------------------------------------------------------


def _pattern_agenda(request: AgentRequest, agenda_id: int) -> tuple[Agent, Agenda]:
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    if not rules.can_manage_patterns(agent, agenda):
        raise PermissionDenied
    return agent, agenda


def _replanned_message(report: slot_actions.Replanned) -> str:
    text = f"{report.created} créneau(x) créé(s)"
    if report.removed:
        text += f", {report.removed} créneau(x) vide(s) retiré(s)"
    if report.kept_booked:
        text += f" ; {report.kept_booked} créneau(x) avec convocation gardé(s) tel(s) quel(s)"
    return text + "."


def pattern_list(request: AgentRequest, agenda_id: int) -> HttpResponse:
    agent, agenda = _pattern_agenda(request, agenda_id)
    now = timezone.now()
    patterns = (
        SlotPattern.objects.filter(agenda=agenda)
        .select_related("appointment_type")
        .annotate(
            upcoming=Count("slots", filter=Q(slots__starts_at__gt=now)),
            upcoming_booked=Count(
                "slots", filter=Q(slots__starts_at__gt=now, slots__booked_count__gt=0)
            ),
        )
        .order_by("-is_active", "appointment_type__position", "start_time", "pk")
    )
    return render(
        request,
        "appointments/pattern_list.html",
        {
            "agenda": agenda,
            "patterns": patterns,
            "can_manage_slots": rules.can_manage_slots(agent, agenda),
        },
    )


def pattern_create(request: AgentRequest, agenda_id: int) -> HttpResponse:
    agent, agenda = _pattern_agenda(request, agenda_id)
    form = PatternForm(
        _post(request),
        types=rules.slot_types_held_at(agenda),
        initial={"valid_from": local_now(agenda.place.service.time_zone).date(), "capacity": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = slot_actions.create_pattern(
                agent=agent,
                agenda=agenda,
                appointment_type=form.cleaned_data["appointment_type"],
                **form.values(),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Modèle enregistré : " + _replanned_message(report))
            return redirect("pattern_list", agenda.pk)
    return render(
        request,
        "appointments/pattern_form.html",
        {"agenda": agenda, "form": form, "title": "Nouveau modèle de créneaux récurrents"},
    )


def pattern_edit(request: AgentRequest, agenda_id: int, pattern_id: int) -> HttpResponse:
    agent, agenda = _pattern_agenda(request, agenda_id)
    pattern = access_slot_pattern(agent, pattern_id, agenda)
    initial = {name: getattr(pattern, name) for name in slot_actions.PATTERN_FIELDS}
    form = PatternForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = slot_actions.update_pattern(agent=agent, pattern=pattern, **form.values())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Modèle modifié : " + _replanned_message(report))
            return redirect("pattern_list", agenda.pk)
    return render(
        request,
        "appointments/pattern_form.html",
        {
            "agenda": agenda,
            "form": form,
            "pattern": pattern,
            "title": f"Modifier le modèle « {pattern.appointment_type} »",
        },
    )


@require_POST
def pattern_delete(request: AgentRequest, agenda_id: int, pattern_id: int) -> HttpResponse:
    agent, agenda = _pattern_agenda(request, agenda_id)
    pattern = access_slot_pattern(agent, pattern_id, agenda)
    report = slot_actions.delete_pattern(agent=agent, pattern=pattern)
    text = f"Modèle supprimé : {report.removed} créneau(x) vide(s) retiré(s)"
    if report.kept_booked:
        text += f" ; {report.kept_booked} créneau(x) avec convocation gardé(s)"
    messages.success(request, text + ".")
    return redirect("pattern_list", agenda.pk)


# --- Booking a person on a slot ----------------------------------------------------------------


def person_slot_book(request: AgentRequest, person_id: int) -> HttpResponse:
    """Convoke a registered person on a slot: type, then slot, then confirmation."""
    agent = request.agent
    person = access_person(agent, person_id)
    if not rules.can_book_on_slot_for(agent, person):
        raise PermissionDenied
    return _slot_booking(request, agent, person, rules.slot_booking_types(agent))


def rebook_on_slot(request: AgentRequest, old: Appointment, *, reconvening: bool) -> HttpResponse:
    """Reschedule or reconvene a slot-type convocation on another slot of the same type."""
    agent = request.agent
    return _slot_booking(
        request, agent, old.person, [old.appointment_type], old=old, reconvening=reconvening
    )


def _slot_booking(
    request: HttpRequest,
    agent: Agent,
    person: Person,
    types: list[AppointmentType],
    *,
    old: Appointment | None = None,
    reconvening: bool = False,
) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    chosen: AppointmentType | None = next(
        (kind for kind in types if str(kind.pk) == params.get("type", "")), None
    )
    if chosen is None and len(types) == 1:
        chosen = types[0]
    title = "Convoquer sur un créneau"
    if old is not None:
        title = "Reconvoquer" if reconvening else "Replanifier"
    context: dict[str, Any] = {
        "person": person,
        "types": types,
        "chosen": chosen,
        "old": old,
        "title": title,
    }
    if chosen is None:
        return render(request, "appointments/slot_booking.html", context)
    bookable = rules.bookable_slots(agent, chosen).order_by("starts_at", "pk")
    if old is not None and old.slot_id:
        bookable = bookable.exclude(pk=old.slot_id)
    choice = choose_slot_and_book(
        request, agent, person, bookable, old=old, reconvening=reconvening
    )
    if choice.booked is not None:
        if old is None:
            messages.success(request, "Convocation enregistrée.")
            return redirect("person_detail", person.pk)
        messages.success(
            request, "Reconvocation enregistrée." if reconvening else "Convocation replanifiée."
        )
        return redirect("appointment_detail", choice.booked.pk)
    page = Paginator(bookable, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
    context |= {"slot": choice.slot, "form": choice.form, "page": page, "days": _by_day(page)}
    return render(request, "appointments/slot_booking.html", context)


@dataclass
class SlotChoice:
    """The slot chosen by ``creneau`` (``None``: show the list), the form, and the booking made."""

    slot: Slot | None
    form: SlotBookingForm
    booked: Appointment | None = None


def choose_slot_and_book(
    request: HttpRequest,
    agent: Agent,
    person: Person,
    bookable: SlotQuerySet,
    *,
    old: Appointment | None = None,
    reconvening: bool = False,
) -> SlotChoice:
    """Read the chosen slot among ``bookable`` and, on a valid POST, book it.

    Shared by the slot booking screen and the tag-fitting (DDSE) screen. A slot that is no
    longer bookable is shown again on POST so that the action says why (full, closed, past).
    """
    params = request.POST if request.method == "POST" else request.GET
    slot = None
    if params.get("creneau", "").isdigit():
        slot = bookable.filter(pk=int(params["creneau"])).first()
        if slot is None and request.method == "POST":
            slot = access_slot(agent, int(params["creneau"]))  # the action says what is wrong
        elif slot is None:
            messages.error(request, "Ce créneau n’est plus disponible : choisissez-en un autre.")
    form = SlotBookingForm(_post(request), rebooking=old is not None)
    if request.method == "POST" and slot is not None and form.is_valid():
        try:
            new = _book(agent, person, slot, form, old=old, reconvening=reconvening)
        except ValidationError as error:
            form.add_action_errors(error)
            slot = None  # back to the list, with the reason on top
        else:
            return SlotChoice(slot=slot, form=form, booked=new)
    return SlotChoice(slot=slot, form=form)


def _book(
    agent: Agent,
    person: Person,
    slot: Slot,
    form: SlotBookingForm,
    *,
    old: Appointment | None,
    reconvening: bool,
) -> Appointment:
    send_sms = form.cleaned_data["send_sms"]
    if old is not None:
        action = actions.reconvene if reconvening else actions.reschedule_appointment
        return action(agent=agent, appointment=old, slot=slot, notify=send_sms)
    return actions.book_appointment(
        agent=agent,
        person=person,
        slot=slot,
        prosecution_number=form.cleaned_data["prosecution_number"],
        send_sms_now=send_sms,
    )
