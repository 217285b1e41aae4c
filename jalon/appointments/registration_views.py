"""The one-screen registration: register a person and book their first convocation (MSJ-16).

It books, so it sits in ``appointments`` (people lies below and imports nothing from here).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jalon.access.models import Agent
from jalon.access.rules import people as rules
from jalon.appointments.actions import book_appointment
from jalon.appointments.forms import BookingForm, remember_choices, remembered_choices
from jalon.people import actions
from jalon.people.actions import DuplicatePersonError
from jalon.people.forms import PersonForm
from jalon.people.models import Person


def _agent(request: HttpRequest) -> Agent:
    return request.agent  # type: ignore[attr-defined]


def _visible_ids(agent: Agent, persons: list[Person]) -> set[int]:
    return set(
        rules.persons_visible_to(agent)
        .filter(pk__in=[person.pk for person in persons])
        .values_list("pk", flat=True)
    )


def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person and, on the same screen, book their first convocation (MSJ-16)."""
    agent = _agent(request)
    if not rules.can_create_person(agent):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, region=agent.service.phone_region)
    booking = BookingForm(
        data,
        agent=agent,
        prefix="rdv",
        initial=remembered_choices(request.session),
        use_required_attribute=False,
    )
    wants_booking = bool(data and (data.get("rdv-appointment_type") or data.get("rdv-day")))
    report = None
    if data is not None:
        person_ok = form.is_valid()
        booking_ok = booking.is_valid() if wants_booking else True
        if person_ok and booking_ok:
            try:
                with transaction.atomic():
                    person = actions.register_person(
                        agent=agent,
                        identity=form.identity(
                            referent=agent if rules.can_be_referent(agent) else None
                        ),
                        confirm_probable=data.get("confirm_probable") == "1",
                    )
                    if wants_booking:
                        try:
                            book_appointment(
                                agent=agent,
                                person=person,
                                appointment_type=booking.chosen_type,
                                agenda=booking.cleaned_data["agenda"],
                                starts_at=booking.starts_at,
                                prosecution_number=booking.cleaned_data["prosecution_number"],
                                send_sms_now=booking.cleaned_data["send_sms"],
                                assigned_agent=agent
                                if booking.cleaned_data["agenda"].place.service_id
                                == agent.service_id
                                else None,
                            )
                        except ValidationError as error:
                            booking.add_action_errors(error)
                            raise
                        remember_choices(request.session, booking)
            except DuplicatePersonError as duplicate:
                report = duplicate.report
            except ValidationError as error:
                if not booking.errors:
                    form.add_action_errors(error)
            else:
                messages.success(
                    request,
                    "Personne enregistrée" + (" et convoquée." if wants_booking else "."),
                )
                return redirect("person_detail", person.pk)
    visible = (
        _visible_ids(agent, [p for p, _ in report.certain] + report.probable) if report else set()
    )
    return render(
        request,
        "people/person_create.html",
        {"form": form, "booking": booking, "report": report, "visible": visible},
    )
