"""Convocations: book for a known person, act on one, print it, and the "statut inconnu" queue."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agenda, access_appointment, access_person
from jalon.access.rules import appointments as rules
from jalon.access.rules import judgments as judgment_rules
from jalon.access.rules import slots as slot_rules
from jalon.access.rules import sms as sms_rules
from jalon.appointments import actions, documents
from jalon.appointments.actions.outcomes import record_outcomes
from jalon.appointments.forms.booking import BookingForm, remember_choices, remembered_choices
from jalon.appointments.forms.outcomes import BulkOutcomeForm
from jalon.appointments.models import Appointment
from jalon.appointments.sms_content import cancellation_sms_preview
from jalon.appointments.views import slots as slot_views
from jalon.core.dates import local_now
from jalon.history.actions import record, record_person_read
from jalon.history.models import Event
from jalon.sms.models import Message

Status = Appointment.Status
PAGE_SIZE = 50


def person_book(request: AgentRequest, person_id: int) -> HttpResponse:
    """Convoke a person already registered."""
    agent = request.agent
    person = access_person(agent, person_id)
    if not rules.can_book_for(agent, person):
        raise PermissionDenied
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        agent=agent,
        initial=remembered_choices(request.session),
    )
    if request.method == "POST" and form.is_valid():
        agenda = form.cleaned_data["agenda"]
        try:
            actions.book_appointment(
                agent=agent,
                person=person,
                appointment_type=form.chosen_type,
                agenda=agenda,
                starts_at=form.starts_at,
                prosecution_number=form.cleaned_data["prosecution_number"],
                send_sms_now=form.cleaned_data["send_sms"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            remember_choices(request.session, form)
            messages.success(request, "Convocation enregistrée.")
            return redirect("person_detail", person.pk)
    return render(
        request,
        "appointments/booking.html",
        {"form": form, "person": person, "title": "Convoquer"},
    )


def appointment_detail(request: AgentRequest, appointment_id: int) -> HttpResponse:
    agent = request.agent
    appointment = access_appointment(agent, appointment_id)
    record_person_read("convocation", actor=agent, persons=appointment.person)
    # The measure it executes, for those who see measures on the person page too.
    judgment, measure = (
        (appointment.judgment, appointment.measure)
        if judgment_rules.sees_person_measures(agent)
        else (None, None)
    )
    return render(
        request,
        "appointments/appointment_detail.html",
        {
            "appointment": appointment,
            "judgment": judgment,
            "measure": measure,
            "measure_link": measure is not None and judgment_rules.can_view_measure(agent, measure),
            "judgment_link": judgment is not None
            and judgment_rules.can_view_judgment(agent, judgment),
            "can_outcome": rules.can_record_outcome(agent, appointment),
            "can_cancel": rules.can_cancel_appointment(agent, appointment),
            "can_reschedule": rules.can_reschedule_appointment(agent, appointment),
            "can_reconvene": rules.can_reconvene(agent, appointment),
            "events": Event.objects.for_object(appointment).timeline()[:50],
            "messages_sent": appointment.messages.prefetch_related("events").order_by(
                "created_at", "pk"
            ),
            "can_resend": sms_rules.can_resend_sms(agent, appointment),
            "Status": Status,
        },
    )


OPERATIONS = {
    "honoree": Status.HONOURED,
    "non-honoree": Status.MISSED,
    "excusee": Status.EXCUSED,
}
DONE = {
    Status.HONOURED: "Convocation marquée honorée.",
    Status.MISSED: "Convocation marquée non honorée.",
    Status.EXCUSED: "Convocation marquée excusée.",
}


@require_POST
def appointment_operation(
    request: AgentRequest, appointment_id: int, operation: str
) -> HttpResponse:
    """Outcome, revert or cancel; back to where the agent clicked."""
    agent = request.agent
    appointment = access_appointment(agent, appointment_id)
    try:
        if operation in OPERATIONS:
            actions.record_outcome(
                agent=agent,
                appointment=appointment,
                status=OPERATIONS[operation],
                notify=request.POST.get("notify") == "1",
            )
            messages.success(request, DONE[OPERATIONS[operation]])
        elif operation == "retablir":
            actions.revert_outcome(agent=agent, appointment=appointment)
            messages.success(request, "Statut annulé : la convocation est de nouveau planifiée.")
        elif operation == "annuler":
            actions.cancel_appointment(
                agent=agent,
                appointment=appointment,
                reason=request.POST.get("reason", ""),
                notify=request.POST.get("notify") == "1",
            )
            messages.success(request, "Convocation annulée.")
        else:
            raise Http404
    except ValidationError as error:
        appointment.refresh_from_db(fields=["status"])
        if operation == "annuler" and appointment.status == Status.CANCELLED:
            # Sent twice (a double click): the first request cancelled it.
            messages.success(request, "Convocation annulée.")
        else:
            messages.error(request, " ".join(error.messages))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("appointment_detail", appointment.pk)


def appointment_cancel(request: AgentRequest, appointment_id: int) -> HttpResponse:
    """Confirmation before cancelling: what will happen, which SMS leaves to which number.
    The form posts to the "annuler" operation."""
    agent = request.agent
    appointment = access_appointment(agent, appointment_id)
    if not rules.can_cancel_appointment(agent, appointment):
        raise PermissionDenied
    if not appointment.can_be_cancelled:
        messages.info(request, "Cette convocation ne peut plus être annulée.")
        return redirect("appointment_detail", appointment.pk)
    return render(
        request,
        "appointments/appointment_cancel.html",
        {
            "appointment": appointment,
            "sms_text": cancellation_sms_preview(appointment),
            "pending_reminders": appointment.messages.filter(status=Message.Status.PENDING).count(),
        },
    )


def _rebook(request: AgentRequest, appointment_id: int, *, reconvening: bool) -> HttpResponse:
    agent = request.agent
    old = access_appointment(agent, appointment_id)
    allowed = rules.can_reconvene if reconvening else rules.can_reschedule_appointment
    if not allowed(agent, old):
        raise PermissionDenied
    if old.appointment_type.uses_slots:
        return slot_views.rebook_on_slot(request, old, reconvening=reconvening)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        agent=agent,
        fixed_type=old.appointment_type,
        initial={"agenda": old.agenda_id, "time": old.local_start.time()},
    )
    if request.method == "POST" and form.is_valid():
        action = actions.reconvene if reconvening else actions.reschedule_appointment
        try:
            new = action(
                agent=agent,
                appointment=old,
                agenda=form.cleaned_data["agenda"],
                starts_at=form.starts_at,
                notify=form.cleaned_data["send_sms"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(
                request, "Reconvocation enregistrée." if reconvening else "Convocation replanifiée."
            )
            return redirect("appointment_detail", new.pk)
    return render(
        request,
        "appointments/booking.html",
        {
            "form": form,
            "person": old.person,
            "old": old,
            "title": "Reconvoquer" if reconvening else "Replanifier",
        },
    )


def appointment_reschedule(request: AgentRequest, appointment_id: int) -> HttpResponse:
    return _rebook(request, appointment_id, reconvening=False)


def appointment_reconvene(request: AgentRequest, appointment_id: int) -> HttpResponse:
    return _rebook(request, appointment_id, reconvening=True)


def appointment_letter(request: AgentRequest, appointment_id: int) -> HttpResponse:
    """The paper convocation (MSJ-42), the only one with legal value."""
    agent = request.agent
    appointment = access_appointment(agent, appointment_id)
    record("appointment.letter_printed", actor=agent, target=appointment)
    record_person_read("convocation_letter", actor=agent, persons=appointment.person)
    response = HttpResponse(
        documents.convocation_letter_pdf(appointment), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="convocation-{appointment.pk}.pdf"'
    return response


def appointment_ics(request: AgentRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment(request.agent, appointment_id)
    record_person_read("convocation_ics", actor=request.agent, persons=appointment.person)
    response = HttpResponse(
        documents.appointment_ics(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="convocation-{appointment.pk}.ics"'
    return response


def agenda_list(request: AgentRequest) -> HttpResponse:
    """Agendas of the ressort, each with its printable day list."""
    agent = request.agent
    agendas = (
        rules.agendas_visible_to(agent)
        .filter(is_active=True)
        .order_by("place__service__name", "place__name", "name")
    )
    rows = [
        (
            agenda,
            {
                "slots": slot_rules.can_manage_slots(agent, agenda),
                "patterns": slot_rules.can_manage_patterns(agent, agenda),
            },
        )
        for agenda in agendas
    ]
    return render(
        request,
        "appointments/agenda_list.html",
        {"agendas": agendas, "rows": rows, "today": timezone.localdate()},
    )


def agenda_day(request: AgentRequest, agenda_id: int) -> HttpResponse:
    """The printable list of one agenda's convocations on one day, in the service's local time."""
    agenda = access_agenda(request.agent, agenda_id)
    raw = request.GET.get("date", "")
    try:
        chosen = (
            date.fromisoformat(raw) if raw else local_now(agenda.place.service.time_zone).date()
        )
    except ValueError:
        messages.error(request, "Date invalide : choisissez un jour au format JJ/MM/AAAA.")
        return redirect("agenda_list")
    appointments = list(
        Appointment.objects.with_details()
        .on_local_day(chosen, agenda.place.service.time_zone)
        .filter(agenda=agenda)
        .exclude(status=Status.CANCELLED)
        .order_by("starts_at", "pk")
    )
    record_person_read(
        "agenda_day_pdf", actor=request.agent, persons=[a.person for a in appointments]
    )
    response = HttpResponse(
        documents.agenda_day_pdf(agenda, chosen, appointments), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="agenda-{agenda.pk}-{chosen}.pdf"'
    return response


def unknown_status_queue(request: AgentRequest) -> HttpResponse:
    """Past convocations of the agent's service that nobody marked (statut inconnu)."""
    agent = request.agent
    mine = request.GET.get("moi") == "1"
    queue = rules.unknown_status_queue(agent, mine=mine)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (appointment, {"outcome": rules.can_record_outcome(agent, appointment)})
        for appointment in page
    ]
    # "Tout sélectionner" is a link (?tout=1) ticking every box, so it works without
    # JavaScript; select-all.js ticks them in place instead.
    select_all = request.GET.get("tout") == "1"
    kept = request.GET.copy()
    kept.pop("tout", None)
    return render(
        request,
        "appointments/unknown_queue.html",
        {
            "page": page,
            "rows": rows,
            "mine": mine,
            "select_all": select_all,
            "selectable": any(allowed["outcome"] for _, allowed in rows),
            "select_all_query": _query(kept, tout="1"),
            "unselect_query": _query(kept),
            "back_to": f"{request.path}?{kept.urlencode()}" if kept else request.path,
        },
    )


def _query(params: QueryDict, **extra: str) -> str:
    query = params.copy()
    for key, value in extra.items():
        query[key] = value
    return f"?{query.urlencode()}" if query else "?"


BULK_DONE: dict[str, str] = {
    Status.HONOURED: "marquée{s} honorée{s}",
    Status.MISSED: "marquée{s} non honorée{s}",
    Status.EXCUSED: "marquée{s} excusée{s}",
}


@require_POST
def unknown_status_bulk(request: AgentRequest) -> HttpResponse:
    """One outcome for the ticked convocations of the queue; each refusal is said, the
    others are recorded."""
    form = BulkOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        result = record_outcomes(
            agent=request.agent,
            appointment_ids=form.cleaned_data["convocations"],
            status=form.status,
        )
        if result.recorded:
            count = len(result.recorded)
            plural = "s" if count > 1 else ""
            done = BULK_DONE[form.status].format(s=plural)
            messages.success(request, f"{count} convocation{plural} {done}.")
        if result.already:
            count = len(result.already)
            messages.info(
                request,
                f"{count} convocation{'s' if count > 1 else ''} "
                f"{'avaient' if count > 1 else 'avait'} déjà ce statut : rien n’a changé pour "
                f"{'elles' if count > 1 else 'elle'}.",
            )
        for appointment, reason in result.refused:
            start = appointment.local_start
            messages.error(
                request,
                f"{appointment.person} ({start:%d/%m/%Y} à {start:%H:%M}) : statut non "
                f"renseigné, {reason[0].lower()}{reason[1:]}",
            )
        if result.missing:
            messages.error(
                request,
                f"{result.missing} convocation{'s' if result.missing > 1 else ''} "
                "introuvable{s} : supprimée{s} ou hors de votre ressort.".format(
                    s="s" if result.missing > 1 else ""
                ),
            )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("unknown_status_queue")
