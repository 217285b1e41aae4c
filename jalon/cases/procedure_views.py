"""Screens of the penal procedures: list and search, registration, procedure page, persons,
offences, orientation. Each view: access lookup → form → one action → response."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_party, access_person_for_party, access_procedure
from jalon.access.rules import cases as rules
from jalon.access.rules import people as people_rules
from jalon.cases import checks
from jalon.cases.actions import orientation as orienting
from jalon.cases.actions import registration
from jalon.cases.models import BEFORE_THE_COURT_STAGES, Party, Procedure
from jalon.cases.procedure_forms import (
    ChargeForm,
    OrientationForm,
    PartyPersonForm,
    ProcedureFilterForm,
    ProcedureForm,
)
from jalon.core.parquet import is_parquet_number, parse_parquet_number
from jalon.history.actions import record_person_read
from jalon.history.models import Event
from jalon.people.actions import DuplicatePersonError
from jalon.people.models import Person
from jalon.people.search import search

PAGE_SIZE = 50


def _acknowledged(request: AgentRequest) -> set[str]:
    return set(request.POST.getlist("acknowledge"))


def procedure_list(request: AgentRequest) -> HttpResponse:
    """The procedures the agent may open; search by numéro de parquet (exact) or person name."""
    agent = request.agent
    form = ProcedureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    procedures = rules.procedures_visible_to(agent)
    text = (filters.get("q") or "").strip()
    if text and is_parquet_number(text):
        procedures = procedures.with_parquet_number(parse_parquet_number(text))
    elif text:
        persons = search(Person.objects.all(), text, agent.service.phone_region)
        procedures = procedures.filter(
            pk__in=Party.objects.filter(person__in=persons.values("pk")).values("procedure_id")
        )
    if filters.get("stage"):
        procedures = procedures.at_stage(filters["stage"])
    page = Paginator(procedures.for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/procedure_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "searched": bool(text or filters.get("stage")),
            "can_register": rules.can_register_procedure(agent),
        },
    )


def procedure_create(request: AgentRequest) -> HttpResponse:
    """Register a procedure at the bureau d'ordre with the minimum; complete it afterwards."""
    agent = request.agent
    tribunal = agent.service.jurisdiction
    if not rules.can_register_procedure(agent) or tribunal is None:
        raise PermissionDenied
    form = ProcedureForm(request.POST or None)
    warnings: list[checks.Finding] = []
    if request.method == "POST" and form.is_valid():
        try:
            procedure = registration.register_procedure(
                agent=agent,
                tribunal=tribunal,
                data=form.data_for_action(),
                acknowledged=_acknowledged(request),
            )
        except checks.WarningsToAcknowledge as pending:
            warnings = pending.warnings
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"Procédure {procedure.parquet_number_display} enregistrée.")
            return redirect("procedure_detail", procedure.pk)
    return render(
        request,
        "cases/procedure_form.html",
        {"form": form, "warnings": warnings, "procedure": None},
    )


def procedure_detail(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """The procedure: parties, offences, orientations, acknowledged warnings and history.

    Opening it is recorded as a read of each person's file.
    """
    agent = request.agent
    procedure = access_procedure(agent, procedure_id)
    parties = list(procedure.parties.select_related("person").order_by("role", "pk"))
    record_person_read(
        "procedure_page",
        actor=agent,
        persons=[party.person for party in parties],
        details={"procedure": procedure.pk},
    )
    can_orient = rules.can_orient_procedure(agent, procedure)
    orientations = list(
        procedure.orientations.select_related("party__person", "decided_by").order_by(
            "superseded_on", "-decided_on", "-pk"
        )
    )
    current = {o.party_id: o for o in orientations if o.superseded_on is None}
    suspects = [
        (party, current.get(party.pk)) for party in parties if party.role == Party.Role.SUSPECT
    ]
    visible = set(
        people_rules.persons_visible_to(agent)
        .filter(pk__in=[party.person_id for party in parties])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "cases/procedure_detail.html",
        {
            "procedure": procedure,
            "parties": parties,
            "suspects": suspects,
            "unassigned_orientation": current.get(None),
            "charges": procedure.charges.select_related("offence", "party__person"),
            "orientations": orientations,
            "acknowledgements": procedure.acknowledgements.select_related("agent"),
            "events": Event.objects.for_object(procedure).timeline()[:100],
            "visible": visible,
            "can_edit": rules.can_edit_procedure(agent, procedure),
            "can_orient": can_orient,
            "can_correct": rules.can_correct_procedure(agent, procedure),
            # The hearing page opens for everyone who opens this one (one scope); the link
            # appears once a trial court is seized, when there is something to see there.
            "before_the_court": procedure.stage in BEFORE_THE_COURT_STAGES
            or any(o.leads_to_trial for o in current.values()),
        },
    )


def _editable(request: AgentRequest, procedure_id: int) -> Procedure:
    procedure = access_procedure(request.agent, procedure_id)
    if not rules.can_edit_procedure(request.agent, procedure):
        raise PermissionDenied
    return procedure


def procedure_edit(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """Complete or correct the details (origin, dates, summary); not the numéro de parquet."""
    agent = request.agent
    procedure = _editable(request, procedure_id)
    form = ProcedureForm(
        request.POST or None, initial=ProcedureForm.initial_of(procedure), editing=True
    )
    warnings: list[checks.Finding] = []
    if request.method == "POST" and form.is_valid():
        try:
            registration.update_procedure(
                agent=agent,
                procedure=procedure,
                data=form.data_for_action(procedure),
                acknowledged=_acknowledged(request),
            )
        except checks.WarningsToAcknowledge as pending:
            warnings = pending.warnings
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Procédure mise à jour.")
            return redirect("procedure_detail", procedure.pk)
    return render(
        request,
        "cases/procedure_form.html",
        {"form": form, "warnings": warnings, "procedure": procedure},
    )


def party_add(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """Add a person with their role, through the national duplicate check.

    When the person is, or may be, registered already, the screen lists the records found and
    offers to add one of them (``use_person``) or, for a probable match only, to create anyway.
    """
    agent = request.agent
    procedure = _editable(request, procedure_id)
    form = PartyPersonForm(request.POST or None, region=agent.service.phone_region)
    report = None
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        identity = form.identity()
        try:
            if request.POST.get("use_person"):
                person = access_person_for_party(
                    agent,
                    _int(request.POST["use_person"]),
                    candidate_ids=registration.duplicate_candidates(identity),
                )
                registration.add_existing_person(
                    agent=agent, procedure=procedure, role=role, person=person
                )
            else:
                registration.add_new_person(
                    agent=agent,
                    procedure=procedure,
                    role=role,
                    identity=identity,
                    confirm_probable=request.POST.get("confirm_probable") == "1",
                )
        except DuplicatePersonError as duplicate:
            report = duplicate.report
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Personne ajoutée à la procédure.")
            return redirect("procedure_detail", procedure.pk)
    return render(
        request,
        "cases/party_form.html",
        {"form": form, "procedure": procedure, "report": report},
    )


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def charge_add(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """Add an offence prosecuted: NATINF number in force on the facts date, with the picker."""
    agent = request.agent
    procedure = _editable(request, procedure_id)
    parties = list(procedure.parties.select_related("person"))
    initial: dict[str, Any] = {
        "facts_from": procedure.facts_from,
        "facts_until": procedure.facts_until,
    }
    suspects = [party for party in parties if party.is_suspect]
    if len(suspects) == 1:
        initial["party"] = str(suspects[0].pk)
    form = ChargeForm(request.POST or None, procedure=procedure, parties=parties, initial=initial)
    warnings: list[checks.Finding] = []
    if request.method == "POST" and form.is_valid():
        try:
            registration.add_charge(
                agent=agent,
                procedure=procedure,
                data=form.data_for_action(),
                acknowledged=_acknowledged(request),
            )
        except checks.WarningsToAcknowledge as pending:
            warnings = pending.warnings
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Infraction ajoutée à la procédure.")
            return redirect("procedure_detail", procedure.pk)
    return render(
        request,
        "cases/charge_form.html",
        {"form": form, "procedure": procedure, "warnings": warnings},
    )


def orientation_add(
    request: AgentRequest, procedure_id: int, party_id: int | None = None
) -> HttpResponse:
    """Orient the procedure for one mis en cause: only what the law allows is offered."""
    agent = request.agent
    procedure = access_procedure(agent, procedure_id)
    if not rules.can_orient_procedure(agent, procedure):
        raise PermissionDenied
    party = access_party(agent, procedure, party_id) if party_id is not None else None
    today = timezone.localdate()
    allowed = orienting.choices_for(procedure, party, today)
    form = OrientationForm(
        request.POST or None,
        allowed=allowed,
        alternatives=checks.allowed_alternatives(today),
        initial={"decided_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            orienting.orient(agent=agent, procedure=procedure, data=form.data_for_action(party))
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Orientation enregistrée.")
            return redirect("procedure_detail", procedure.pk)
    return render(
        request,
        "cases/orientation_form.html",
        {
            "form": form,
            "procedure": procedure,
            "party": party,
            "explanation": orienting.explain_choices(procedure, party),
        },
    )
