"""Sortie d'audience (MSJ-05, MSJ-61, MSJ-62): at the end of a hearing, in one screen, find or
register the person and book them on a SAP slot and/or a SPIP slot, all or nothing.

Slots come from the agent's ressort (MSJ-21) or, for inter-ressort services, from the ressort
of the commune where the person lives (MSJ-22); a SPIP not on the platform offers nothing
(MSJ-20).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_judgment, access_person
from jalon.access.models import Agent, Service
from jalon.access.rules import appointments as rules
from jalon.access.rules import judgments as judgment_rules
from jalon.access.rules import people as people_rules
from jalon.appointments import actions
from jalon.appointments.forms.hearing import CommuneForm, HearingForm, HearingSearchForm
from jalon.appointments.models import Agenda, AppointmentType, Slot
from jalon.cases import follow_up
from jalon.cases.models import Judgment
from jalon.history.actions import record_person_read
from jalon.people import search
from jalon.people.actions import DuplicatePersonError
from jalon.people.duplicates import DuplicateReport
from jalon.people.forms import PersonForm
from jalon.people.models import Follow, Person
from jalon.territory.models import Commune

SLOTS_PER_AGENDA = 6
SEARCH_RESULTS = 20


def _hearing_agent(request: AgentRequest) -> Agent:
    agent = request.agent
    if not rules.can_use_hearing_exit(agent):
        raise PermissionDenied
    return agent


@dataclass
class Target:
    """Where the slots come from: the agent's ressort, or the ressort of a commune."""

    service_ids: frozenset[int]
    commune: Commune | None = None
    candidates: list[Commune] = field(default_factory=list)
    problem: str = ""


@dataclass
class Offer:
    """One sortie d'audience type: its form field and its next slots, grouped by agenda."""

    appointment_type: AppointmentType
    field_name: str
    agendas: list[tuple[Agenda, list[Slot]]]
    selected: str = ""
    errors: list[str] = field(default_factory=list)


def _target(agent: Agent, text: str) -> Target:
    if not text or not rules.can_book_inter_ressort(agent):
        target = Target(rules.hearing_service_ids(agent))
        if not target.service_ids:  # a national admin has no ressort of their own
            target.problem = (
                "Indiquez la commune de résidence pour voir les créneaux de son ressort."
            )
        return target
    found = list(Commune.objects.matching(text).select_related("tribunal", "spip")[:20])
    if not found:
        return Target(
            frozenset(),
            problem=f"Commune « {text} » inconnue : saisissez son code INSEE, son code postal "
            "ou son nom.",
        )
    if len(found) > 1:
        return Target(
            frozenset(), candidates=found, problem="Plusieurs communes correspondent : choisissez."
        )
    commune = found[0]
    return Target(
        rules.hearing_service_ids(agent, commune.tribunal_id, commune.spip_id), commune=commune
    )


def _next_slots(
    agent: Agent, appointment_type: AppointmentType, service_ids: frozenset[int]
) -> list[tuple[Agenda, list[Slot]]]:
    """The next few bookable slots of each agenda, in one query whatever the number of slots."""
    ranked = (
        rules.hearing_slots(agent, appointment_type, service_ids)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("agenda_id"), order_by=F("starts_at").asc())
        )
        .filter(rank__lte=SLOTS_PER_AGENDA)
        .order_by(
            "agenda__place__service__name", "agenda__place__name", "agenda__name", "starts_at"
        )
    )
    return [(agenda, list(slots)) for agenda, slots in groupby(ranked, key=lambda s: s.agenda)]


def _off_platform(service_ids: frozenset[int]) -> list[Service]:
    return list(Service.objects.filter(pk__in=service_ids, is_active=True, uses_platform=False))


def _search(agent: Agent, form: HearingSearchForm) -> list[Person]:
    if not form.has_query:
        return []
    text, born = form.cleaned_data["q"].strip(), form.cleaned_data["naissance"]
    visible = people_rules.persons_visible_to(agent)
    found = search.search(visible, text, agent.service.phone_region) if text else visible
    if born:
        found = found.filter(birth_date=born)
    return list(
        found.prefetch_related(
            Prefetch("follows", queryset=Follow.objects.select_related("service").order_by("since"))
        ).order_by("last_name_key", "first_names_key", "pk")[:SEARCH_RESULTS]
    )


def _chosen_person(agent: Agent, raw: str) -> Person | None:
    return access_person(agent, int(raw)) if raw.isdigit() else None


def _judgment(agent: Agent, raw: str) -> Judgment | None:
    """The judgment the screen was opened from (everything pre-filled from it), 404 outside
    the agent's scope."""
    if not raw.isdigit():
        return None
    judgment = access_judgment(agent, int(raw))
    if not judgment_rules.can_book_hearing_exit_for(agent, judgment):
        raise Http404("Jugement introuvable.")
    return judgment


NO_FOLLOW_UP = (
    "Ce jugement ne prononce aucune peine suivie par le SAP ou le SPIP : il n’y a pas de "
    "convocation à remettre en sortie d’audience."
)


def _booking_error(form: HearingForm, name: str, error: ValidationError) -> None:
    """A refusal of the booking next to the slot it concerns (full, closed, overlap …)."""
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            form.add_error(name if key in ("slot", "starts_at", "agenda") else None, texts)
    else:
        form.add_error(name, error.messages)


def hearing_exit(request: AgentRequest) -> HttpResponse:
    """The sortie d'audience screen."""
    agent = _hearing_agent(request)
    search_form = HearingSearchForm(request.GET)
    commune_form = CommuneForm(request.GET)
    commune_text = request.GET.get("commune", "").strip()
    target = _target(agent, commune_text)
    judgment = _judgment(agent, request.GET.get("jugement", ""))
    kinds = follow_up.convocation_kinds(judgment) if judgment is not None else None
    if judgment is not None and not kinds:
        messages.error(request, NO_FOLLOW_UP)
        return redirect("judgment", judgment.pk)
    person = (
        judgment.party.person
        if judgment is not None and judgment.party is not None
        else _chosen_person(agent, request.GET.get("personne", ""))
    )
    if person is not None and person.is_archived:
        messages.error(request, "Cette personne est archivée : elle ne peut pas être convoquée.")
        person = None
    types = rules.hearing_offered_types(agent, target.service_ids)
    if kinds is not None:  # from a judgment: only the services its sentences need
        types = [kind for kind in types if kinds & set(kind.service_kinds)]
    choices = [
        (kind, rules.hearing_slots(agent, kind, target.service_ids, bookable_only=False))
        for kind in types
    ]
    data = request.POST if request.method == "POST" else None
    execution = getattr(judgment, "execution", None) if judgment is not None else None
    form = HearingForm(
        data,
        choices=choices,
        initial={"prosecution_number": judgment.procedure.parquet_number_display}
        if judgment is not None
        else None,
    )
    person_form = PersonForm(data, prefix="p", region=agent.service.phone_region)
    report: DuplicateReport | None = None
    if data is not None:
        form_ok = form.is_valid()
        person_ok = person is not None or person_form.is_valid()
        if form_ok and person_ok:
            try:
                person, booked = actions.register_and_book(
                    agent=agent,
                    person=person,
                    identity=person_form.identity() if person is None else None,
                    confirm_probable=data.get("confirm_probable") == "1",
                    bookings=[
                        actions.BookingRequest(slot=slot, key=name)
                        for name, slot in form.chosen_slots()
                    ],
                    prosecution_number=form.cleaned_data["prosecution_number"],
                    send_sms_now=form.cleaned_data["send_sms"],
                    judgment=judgment,
                    confirm_late=form.cleaned_data["confirm_late"],
                )
            except DuplicatePersonError as duplicate:
                report = duplicate.report
            except actions.BookingRefused as refused:
                _booking_error(form, refused.request.key, refused.error)
            except ValidationError as error:
                person_form.add_action_errors(error)
            else:
                messages.success(
                    request,
                    "Convocation enregistrée."
                    if len(booked) == 1
                    else "Convocations enregistrées.",
                )
                query = urlencode([("c", appointment.pk) for appointment in booked])
                return redirect(f"{reverse('hearing_done')}?{query}")
    elif person is not None:
        record_person_read("sortie_audience", actor=agent, persons=person)
    offers = [
        Offer(
            kind,
            name,
            _next_slots(agent, kind, target.service_ids),
            selected=data.get(name, "") if data is not None else "",
            errors=[str(error) for error in form.errors.get(name, [])],
        )
        for kind in types
        for name in [HearingForm.field_name(kind)]
    ]
    return render(
        request,
        "appointments/hearing/hearing.html",
        {
            "search_form": search_form,
            "results": _search(agent, search_form) if person is None else [],
            "commune_form": commune_form,
            "inter_ressort": rules.can_book_inter_ressort(agent),
            "target": target,
            "off_platform": _off_platform(target.service_ids),
            "person": person,
            "person_form": person_form,
            "form": form,
            "offers": offers,
            "report": report,
            "visible": _visible_ids(agent, report),
            "keep": {"commune": commune_text},
            "judgment": judgment,
            "execution": execution,
        },
    )


def _visible_ids(agent: Agent, report: DuplicateReport | None) -> set[int]:
    if report is None:
        return set()
    candidates = [person.pk for person, _ in report.certain] + [p.pk for p in report.probable]
    return set(
        people_rules.persons_visible_to(agent)
        .filter(pk__in=candidates)
        .values_list("pk", flat=True)
    )


def hearing_done(request: AgentRequest) -> HttpResponse:
    """What was booked, with the letters to print and hand over."""
    agent = _hearing_agent(request)
    ids = [int(value) for value in request.GET.getlist("c") if value.isdigit()]
    appointments = list(
        rules.appointments_visible_to(agent)
        .with_details()
        .filter(pk__in=ids)
        .order_by("starts_at", "pk")
    )
    if not appointments:
        raise Http404("Convocation introuvable.")
    return render(
        request,
        "appointments/hearing/done.html",
        {"appointments": appointments, "person": appointments[0].person},
    )
