"""Tag fitting (SAP DDSE) booked "like a medical appointment" (MSJ-63, EGJ-124).

From a person's page, the SAP greffier or the JAP sees the next free tag-fitting slots the
SPIP of the ressort published, by day and place, jumps to a date or to the next free slot,
clicks a time and confirms with the SMS choice. Choosing and booking reuse the slot booking
screen's logic (``views/slots.choose_slot_and_book``); where the agent may book is
``access/rules/slots.bookable_slots``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_person
from jalon.access.rules import places as place_rules
from jalon.access.rules import slots as slot_rules
from jalon.access.rules.appointments import bookable_agendas
from jalon.appointments.models import Agenda, AppointmentType, Place, Slot
from jalon.appointments.views.slots import choose_slot_and_book
from jalon.core.dates import french_numeric_datetime, local_now
from jalon.core.forms import FrenchDateField, JalonForm

WINDOW_DAYS = 7
MAX_SLOTS = 200  # per window: a week of tag fittings of a ressort stays far below


class DateJumpForm(JalonForm):
    depuis = FrenchDateField(
        label="Aller au",
        required=False,
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )


def _by_day_and_agenda(slots: list[Slot]) -> list[tuple[date, list[tuple[Agenda, list[Slot]]]]]:
    days = []
    for day, group in groupby(slots, key=lambda s: s.local_start.date()):
        in_day = sorted(group, key=lambda s: (s.agenda.place.name, s.agenda.name, s.starts_at))
        days.append(
            (
                day,
                [
                    (agenda, list(items))
                    for agenda, items in groupby(in_day, key=lambda s: s.agenda)
                ],
            )
        )
    return days


def person_ddse_book(request: AgentRequest, person_id: int) -> HttpResponse:
    agent = request.agent
    person = access_person(agent, person_id)
    if not place_rules.can_book_tag_fitting_for(agent, person):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    types = place_rules.tag_fitting_types(agent)
    chosen: AppointmentType = next(
        (kind for kind in types if str(kind.pk) == params.get("type", "")), types[0]
    )
    places = list(
        Place.objects.filter(pk__in=bookable_agendas(agent, chosen).values("place_id")).order_by(
            "name"
        )
    )
    place = next((item for item in places if str(item.pk) == params.get("lieu", "")), None)
    bookable = slot_rules.bookable_slots(agent, chosen).order_by("starts_at", "pk")
    if place is not None:
        bookable = bookable.filter(agenda__place=place)
    choice = choose_slot_and_book(request, agent, person, bookable)
    if choice.booked is not None:
        messages.success(
            request,
            f"Pose de bracelet convoquée le {french_numeric_datetime(choice.booked.local_start)} "
            f"({choice.booked.agenda.place.name}).",
        )
        return redirect("person_detail", person.pk)

    time_zone = agent.service.time_zone
    today = local_now(time_zone).date()
    jump = DateJumpForm(request.GET or None)
    first = today
    if jump.is_bound and jump.is_valid() and jump.cleaned_data["depuis"]:
        first = max(jump.cleaned_data["depuis"], today)
    last = first + timedelta(days=WINDOW_DAYS - 1)
    window = list(bookable.on_local_days(first, last, time_zone)[: MAX_SLOTS + 1])
    next_free = bookable.first()
    later = None
    if not window:
        after = datetime.combine(last + timedelta(days=1), time.min, tzinfo=ZoneInfo(time_zone))
        later = bookable.filter(starts_at__gte=after).first()

    base: dict[str, Any] = {"type": chosen.pk}
    if place is not None:
        base["lieu"] = place.pk

    def link(**extra: Any) -> str:
        return "?" + urlencode(base | extra)

    return render(
        request,
        "appointments/ddse/booking.html",
        {
            "person": person,
            "types": types,
            "chosen": chosen,
            "places": places,
            "place": place,
            "slot": choice.slot,
            "form": choice.form,
            "jump": jump,
            "days": _by_day_and_agenda(window[:MAX_SLOTS]),
            "truncated": len(window) > MAX_SLOTS,
            "first": first,
            "last": last,
            "next_free": next_free,
            "later": later,
            "previous_url": link(depuis=(first - timedelta(days=WINDOW_DAYS)).isoformat())
            if first > today
            else None,
            "next_url": link(depuis=(last + timedelta(days=1)).isoformat()),
            "later_url": link(depuis=later.local_start.date().isoformat()) if later else None,
            "slot_query": urlencode(base | {"depuis": first.isoformat()}),
        },
    )
