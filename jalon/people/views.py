"""Persons: search, the person page, corrections and archive.

The one-screen registration with a first convocation books, so it lives above, in
``appointments`` (``views/registration.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_person
from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import cases as case_rules
from jalon.access.rules import people as rules
from jalon.history.actions import record_person_read
from jalon.people import actions, retention, search
from jalon.people.actions import DuplicatePersonError
from jalon.people.forms import PersonEditForm
from jalon.people.models import Follow, Person
from jalon.people.overview import person_overview
from jalon.people.recent import RECENT_LIMIT, recently_opened

PAGE_SIZE = 25
_FOLLOWS = Prefetch("follows", queryset=Follow.objects.select_related("service").order_by("since"))


def person_list(request: AgentRequest) -> HttpResponse:
    """Search by name, phone, APPI or numéro de parquet (any written form), in the agent's ressort.

    Without a search: the agent's persons (référent) and the files they opened lately;
    ``?mes=1`` lists all their persons.
    """
    agent = request.agent
    query = request.GET.get("q", "").strip()
    mine = not query and request.GET.get("mes") == "1"
    page = None
    context: dict[str, object] = {}
    if mine:
        page = Paginator(
            rules.persons_referred_by(agent).prefetch_related(_FOLLOWS), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    elif not query:
        referred = list(rules.persons_referred_by(agent)[: RECENT_LIMIT + 1])
        context = {
            "my_persons": referred[:RECENT_LIMIT],
            "my_persons_more": len(referred) > RECENT_LIMIT,
            "is_referent": rules.can_be_referent(agent),
            "recent": recently_opened(agent),
        }
    if query:
        found = search.search(
            rules.persons_visible_to(agent),
            query,
            agent.service.phone_region,
            appointments=appointment_rules.appointments_visible_to(agent),
            procedures=(
                case_rules.procedures_visible_to(agent)
                if case_rules.can_list_procedures(agent)
                else None
            ),
        ).prefetch_related(_FOLLOWS)
        page = Paginator(
            found.order_by("last_name_key", "first_names_key", "pk"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "query": query,
            "page": page,
            "mine": mine,
            "can_create": rules.can_create_person(agent),
            **context,
        },
    )


def _visible_ids(agent: Agent, persons: list[Person]) -> set[int]:
    return set(
        rules.persons_visible_to(agent)
        .filter(pk__in=[person.pk for person in persons])
        .values_list("pk", flat=True)
    )


def person_detail(request: AgentRequest, person_id: int) -> HttpResponse:
    """The 360° view: identity, procedures, convocations, situations, SMS, one timeline.

    Opening it is recorded; ``?chronologie=complete`` shows the longer timeline, reads included.
    """
    agent = request.agent
    person = access_person(agent, person_id)
    record_person_read("person_page", actor=agent, persons=person)
    overview = person_overview(
        agent, person, full_timeline=request.GET.get("chronologie") == "complete"
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "overview": overview,
            "future": overview.future,
            "past": overview.past,
            "messages_sent": overview.messages_sent,
            "can_edit": overview.allowed["edit"],
            "can_archive": overview.allowed["archive"],
            "can_unarchive": overview.allowed["unarchive"],
            "can_book": overview.allowed["book"],
            "can_book_on_slot": overview.allowed["book_on_slot"],
        },
    )


def person_edit(request: AgentRequest, person_id: int) -> HttpResponse:
    agent = request.agent
    person = access_person(agent, person_id)
    if not rules.can_edit_person(agent, person):
        raise PermissionDenied
    if request.method == "GET":
        record_person_read("person_edit_form", actor=agent, persons=person)
    initial = {
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": person.birth_date,
        "phone": person.phone_display,
        "has_no_mobile": person.has_no_mobile,
        "refuses_sms": person.refuses_sms,
        "appi_number": person.appi_number or "",
        "homeless": person.homeless,
        "lives_abroad": person.lives_abroad,
        "referent": person.referent_id,
        "landline": person.landline_display,
        "email": person.email,
        "address": person.address,
        "address_complement": person.address_complement,
        "postal_code": person.postal_code,
        "city": person.city,
        "lawyer": person.lawyer,
    }
    form = PersonEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        region=agent.service.phone_region,
        referents=rules.referent_candidates(person).select_related("service"),
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(agent=agent, person=person, identity=form.identity())
        except DuplicatePersonError as duplicate:
            report = duplicate.report
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Fiche enregistrée.")
            return redirect("person_detail", person.pk)
    return render(
        request,
        "people/person_edit.html",
        {
            "form": form,
            "person": person,
            "report": report,
            "visible": _visible_ids(agent, [p for p, _ in report.certain]) if report else set(),
        },
    )


def person_archive(request: AgentRequest, person_id: int, operation: str) -> HttpResponse:
    """Archiving asks first (GET: what it hides and stops); POST archives or unarchives.
    Sent twice, the second request finds the work done and says so."""
    agent = request.agent
    person = access_person(agent, person_id)
    archiving = operation == "archiver"
    if archiving == person.is_archived:  # already done (a double click, a stale page)
        messages.success(request, ARCHIVE_DONE[operation])
        return redirect("person_detail", person.pk)
    allowed = rules.can_archive_person if archiving else rules.can_unarchive_person
    if not allowed(agent, person):
        raise PermissionDenied
    if request.method != "POST":
        if not archiving:
            return redirect("person_detail", person.pk)
        now = timezone.now()
        return render(
            request,
            "people/person_archive.html",
            {
                "person": person,
                "future": person.appointments.filter(status="booked", starts_at__gt=now)
                .select_related("appointment_type")
                .order_by("starts_at"),
                "pending_sms": person.messages.filter(status="pending").count(),
                "delete_after_months": retention.DELETE_AFTER.months,
            },
        )
    if archiving:
        actions.archive_person(agent=agent, person=person)
    else:
        actions.unarchive_person(agent=agent, person=person)
    messages.success(request, ARCHIVE_DONE[operation])
    return redirect("person_detail", person.pk)


ARCHIVE_DONE = {
    "archiver": "Fiche archivée : la personne ne peut plus être convoquée.",
    "desarchiver": "Fiche désarchivée.",
}
