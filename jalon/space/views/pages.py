"""What the person sees and does once logged in: their convocations and who follows them.

Each view is ``space_login_required`` (the space's own session) and loads convocations only
through ``access_space_appointment`` (the person's own, 404 otherwise).
"""

from __future__ import annotations

from urllib.parse import quote_plus

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from jalon.access.lookups import access_space_appointment
from jalon.access.rules import space as rules
from jalon.appointments.documents import appointment_ics
from jalon.appointments.models import Appointment
from jalon.core.dates import french_date, french_time
from jalon.public import actions as public_actions
from jalon.public.forms import MoveRequestForm
from jalon.space.sessions import SpaceRequest, space_login_required
from jalon.space.views.auth import refusal_page

PAST_SHOWN = 20


def when(appointment: Appointment) -> str:
    """Date and time in the service's time zone (the person's local time)."""
    local = appointment.local_start
    return f"{french_date(local.date())} à {french_time(local.time())}"


def map_url(address: str) -> str:
    """An OpenStreetMap search for the address: a plain link, no script, no tracker."""
    one_line = ", ".join(line.strip() for line in address.splitlines() if line.strip())
    return f"https://www.openstreetmap.org/search?query={quote_plus(one_line)}"


def _rows(appointments: list[Appointment]) -> list[dict]:
    return [{"appointment": a, "when": when(a)} for a in appointments]


@space_login_required
@require_safe
def home(request: SpaceRequest) -> HttpResponse:
    account = request.space_account
    now = timezone.now()
    base = rules.appointments_of_account(account).select_related(
        "appointment_type", "agenda__place", "service"
    )
    upcoming = list(base.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past = list(base.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    return render(
        request,
        "space/home.html",
        {
            "account": account,
            "upcoming": _rows(upcoming),
            "past": _rows(past),
            "contacts": list(rules.shared_contacts(account)),
        },
    )


def _detail(
    request: SpaceRequest,
    appointment: Appointment,
    move_form: MoveRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    place = appointment.agenda.place
    return render(
        request,
        "space/convocation.html",
        {
            "appointment": appointment,
            "place": place,
            "when": when(appointment),
            "map_url": map_url(place.address),
            "contact": place.contact,
            **public_actions.person_side(appointment, request.GET.get("fait", "")),
            "move_form": move_form or MoveRequestForm(),
        },
        status=status,
    )


@space_login_required
@require_safe
def convocation(request: SpaceRequest, appointment_id: int) -> HttpResponse:
    appointment = access_space_appointment(request.space_account, appointment_id)
    return _detail(request, appointment)


@space_login_required
@require_safe
def convocation_ics(request: SpaceRequest, appointment_id: int) -> HttpResponse:
    appointment = access_space_appointment(request.space_account, appointment_id)
    response = HttpResponse(
        appointment_ics(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="convocation.ics"'
    return response


@space_login_required
@require_POST
def confirm(request: SpaceRequest, appointment_id: int) -> HttpResponse:
    appointment = access_space_appointment(request.space_account, appointment_id)
    refusal = public_actions.confirm_presence(appointment)
    if refusal:
        return refusal_page(request, "Confirmation impossible", refusal, 409)
    return redirect(f"/espace/convocations/{appointment.pk}/?fait=confirme")


@space_login_required
@require_POST
def move(request: SpaceRequest, appointment_id: int) -> HttpResponse:
    appointment = access_space_appointment(request.space_account, appointment_id)
    form = MoveRequestForm(request.POST)
    if not form.is_valid():
        public_actions.refuse(appointment, "move_invalid_input")
        return _detail(request, appointment, move_form=form, status=400)
    refusal = public_actions.request_move(appointment, form.cleaned_data["reason"])
    if refusal:
        return refusal_page(request, "Demande impossible", refusal, 409)
    return redirect(f"/espace/convocations/{appointment.pk}/?fait=report")
