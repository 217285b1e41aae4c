"""The one-screen registration: register a person and book their first convocation (MSJ-16).

It books, so it sits in ``appointments`` (people lies below and imports nothing from here).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jalon.access.http import AgentRequest
from jalon.access.models import Agent
from jalon.access.rules import people as rules
from jalon.appointments import actions
from jalon.appointments.forms.booking import BookingForm, remember_choices, remembered_choices
from jalon.people.actions import DuplicatePersonError
from jalon.people.forms import PersonForm
from jalon.people.models import Person


def _visible_ids(agent: Agent, persons: list[Person]) -> set[int]:
    return set(
        rules.persons_visible_to(agent)
        .filter(pk__in=[person.pk for person in persons])
        .values_list("pk", flat=True)
    )


def person_create(request: AgentRequest) -> HttpResponse:
    """Register a person and, on the same screen, book their first convocation (MSJ-16)."""
    agent = request.agent
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
            chosen = booking.cleaned_data if wants_booking else {}
            try:
                person, _ = actions.register_and_book(
                    agent=agent,
                    identity=form.identity(),
                    confirm_probable=data.get("confirm_probable") == "1",
                    bookings=[booking.booking_request()] if wants_booking else [],
                    prosecution_number=chosen.get("prosecution_number", ""),
                    send_sms_now=chosen.get("send_sms", False),
                )
            except DuplicatePersonError as duplicate:
                report = duplicate.report
            except actions.BookingRefused as refused:
                booking.add_action_errors(refused.error)
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                if wants_booking:
                    remember_choices(request.session, booking)
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
