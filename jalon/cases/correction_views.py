"""Screens of the parquet's corrections: a party's role, removing a party or a charge added by
mistake, a charge's facts. Each asks for a confirmation that says what will happen, then calls
one action (``jalon.cases.actions.corrections``); a second click changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_charge, access_party, access_procedure
from jalon.access.rules import cases as rules
from jalon.cases import checks
from jalon.cases.actions import corrections
from jalon.cases.models import Party, Procedure
from jalon.cases.procedure_forms import ChargeFactsForm, PartyRoleForm

CONFIRM = "confirmer"
FIELD_LABELS = {"facts_from": "Faits du", "facts_until": "Jusqu’au", "place": "Lieu des faits"}


def _correctable(request: AgentRequest, procedure_id: int) -> Procedure:
    procedure = access_procedure(request.agent, procedure_id)
    if not rules.can_edit_procedure(request.agent, procedure):
        raise PermissionDenied
    return procedure


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _page(request: AgentRequest, procedure: Procedure, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        "cases/correction.html",
        {
            "procedure": procedure,
            "refusal": corrections.correction_refusal(procedure),
            "warnings": [],
            **context,
        },
    )


def _name(party: Party) -> str:
    return f"{party.person.last_name} {party.person.first_names}"


def party_role(request: AgentRequest, procedure_id: int, party_id: int) -> HttpResponse:
    """Correct a party's role: the form, then a confirmation saying old → new."""
    agent = request.agent
    procedure = _correctable(request, procedure_id)
    party = access_party(agent, procedure, party_id)
    form = PartyRoleForm(request.POST or None, initial={"role": party.role})
    changes: list[tuple[str, str, str]] = []
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if request.POST.get(CONFIRM) or role == party.role:
            try:
                corrections.change_party_role(agent=agent, party=party, role=role)
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                if role != party.role:
                    messages.success(request, f"Qualité de {_name(party)} corrigée.")
                return redirect("procedure_detail", procedure.pk)
        else:
            changes = [("Qualité", party.get_role_display(), str(Party.Role(role).label))]
    return _page(
        request,
        procedure,
        {
            "title": f"Corriger la qualité de {_name(party)}",
            "form": form,
            "changes": changes,
            "submit": "Corriger la qualité",
        },
    )


def party_remove(request: AgentRequest, procedure_id: int, party_id: int) -> HttpResponse:
    """GET: what removing the person does; POST: remove (already removed: nothing to do)."""
    agent = request.agent
    procedure = _correctable(request, procedure_id)
    error = None
    if request.method == "POST":
        try:
            removed = corrections.remove_party(agent=agent, procedure=procedure, party_id=party_id)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                "Personne retirée de la procédure."
                if removed
                else "Cette personne a déjà été retirée de la procédure.",
            )
            return redirect("procedure_detail", procedure.pk)
    party = access_party(agent, procedure, party_id)
    orientations = list(party.orientations.all())
    consequences = [
        f"{_name(party)} ({party.get_role_display().lower()}) ne figurera plus dans la procédure ; "
        "sa fiche personne reste inchangée."
    ]
    if orientations:
        consequences.append(
            "Son orientation est retirée avec elle : "
            + ", ".join(str(o.get_kind_display()) for o in orientations)
            + "."
        )
    return _page(
        request,
        procedure,
        {
            "title": f"Retirer {_name(party)} de la procédure ?",
            "consequences": consequences,
            "error": error,
            "submit": "Retirer la personne",
        },
    )


def charge_edit(request: AgentRequest, procedure_id: int, charge_id: int) -> HttpResponse:
    """Correct a charge's facts: the form, then a confirmation listing old → new (and the
    consistency warnings to acknowledge, if any)."""
    agent = request.agent
    procedure = _correctable(request, procedure_id)
    charge = access_charge(agent, procedure, charge_id)
    form = ChargeFactsForm(
        request.POST or None,
        initial={
            "facts_from": charge.facts_from,
            "facts_until": charge.facts_until,
            "place": charge.place,
        },
    )
    changes: list[tuple[str, str, str]] = []
    warnings: list[checks.Finding] = []
    if request.method == "POST" and form.is_valid():
        data = form.data_for_action()
        changes = [
            (FIELD_LABELS[name], _shown(old), _shown(new))
            for name, (old, new) in corrections.charge_changes(charge, data).items()
        ]
        if request.POST.get(CONFIRM) or not changes:
            try:
                corrections.update_charge(
                    agent=agent,
                    charge=charge,
                    data=data,
                    acknowledged=set(request.POST.getlist("acknowledge")),
                )
            except checks.WarningsToAcknowledge as pending:
                warnings = pending.warnings
            except ValidationError as error:
                form.add_action_errors(error)
                changes = []
            else:
                if changes:
                    messages.success(request, "Infraction corrigée.")
                return redirect("procedure_detail", procedure.pk)
    return _page(
        request,
        procedure,
        {
            "title": f"Corriger les faits : {corrections.charge_label(charge)}",
            "form": form,
            "changes": changes,
            "warnings": warnings,
            "submit": "Corriger l’infraction",
        },
    )


def charge_remove(request: AgentRequest, procedure_id: int, charge_id: int) -> HttpResponse:
    """GET: what removing the offence does; POST: remove (already removed: nothing to do)."""
    agent = request.agent
    procedure = _correctable(request, procedure_id)
    error = None
    if request.method == "POST":
        try:
            removed = corrections.remove_charge(
                agent=agent, procedure=procedure, charge_id=charge_id
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                "Infraction supprimée de la procédure."
                if removed
                else "Cette infraction a déjà été supprimée de la procédure.",
            )
            return redirect("procedure_detail", procedure.pk)
    charge = access_charge(agent, procedure, charge_id)
    who = f" reprochée à {_name(charge.party)}" if charge.party else ""
    return _page(
        request,
        procedure,
        {
            "title": "Supprimer cette infraction de la procédure ?",
            "consequences": [
                f"L’infraction {corrections.charge_label(charge)}{who} ne sera plus poursuivie "
                "dans cette procédure ; l’historique garde ce qu’elle contenait.",
                "Les orientations sont vérifiées à nouveau : si l’une d’elles n’était plus "
                "permise sans cette infraction, la suppression serait refusée.",
            ],
            "error": error,
            "submit": "Supprimer l’infraction",
        },
    )
