"""Corrections by the parquet: a party's role, a party or a charge added by mistake, a
charge's facts (dates, place).

Allowed while the procedure is at the registration or orientation stages only: once a hearing
is scheduled or a judgment recorded, the court is seized of these persons and offences (a
judgment decides on each charge), and every correction is refused with its reason.

Each correction re-runs the consistency checks it may affect (facts dates, offence in force,
limitation, and the current orientations against the offences and ages that remain) and is
recorded in history with what it removed or changed (old → new), in the same transaction.
Each is idempotent: the same request sent twice (a double click) changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent
from jalon.cases import checks
from jalon.cases.actions.acknowledgements import record_acknowledgements
from jalon.cases.actions.orientation import offence_kinds, refresh_stage
from jalon.cases.actions.registration import refresh_minority
from jalon.cases.models import ORIENTABLE_STAGES, Charge, Party, Procedure
from jalon.history.actions import record

PARTY_ROLE_CHANGED = "procedure.party_role_changed"
PARTY_REMOVED = "procedure.party_removed"
CHARGE_UPDATED = "procedure.charge_updated"
CHARGE_REMOVED = "procedure.charge_removed"


def _record(action: str, agent: Agent, procedure: Procedure, details: dict[str, Any]) -> None:
    record(action, actor=agent, target=procedure, details=details)


def correction_refusal(procedure: Procedure) -> str | None:
    """Why the persons and offences of ``procedure`` can no longer be corrected (French), or
    None while they can."""
    if procedure.judgments.exists():
        return (
            "Un jugement a été rendu dans cette procédure : il porte sur ses personnes et ses "
            "infractions, qui ne peuvent plus être modifiées ni supprimées."
        )
    if procedure.hearings.exists():
        return (
            "La procédure est audiencée : le tribunal est saisi de ses personnes et de ses "
            "infractions, qui ne peuvent plus être modifiées ni supprimées."
        )
    if procedure.stage not in ORIENTABLE_STAGES:
        return (
            f"La procédure est à l’étape « {procedure.get_stage_display()} » : ses personnes "
            "et ses infractions ne peuvent plus être modifiées ni supprimées."
        )
    return None


def _lock(procedure: Procedure) -> Procedure:
    locked = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    refusal = correction_refusal(locked)
    if refusal is not None:
        raise ValidationError(refusal)
    return locked


def _recheck_orientations(procedure: Procedure) -> None:
    """Block a correction after which a current orientation would no longer be allowed (the
    offences or the person's age at the facts changed); the transaction is rolled back."""
    for orientation in procedure.orientations.current().select_related("party__person"):
        party = orientation.party
        findings = checks.check_orientation(
            orientation.kind,
            kinds=offence_kinds(procedure, party),
            minor=party.minor_at_facts if party else None,
            on=orientation.decided_on,
            alternative_kind=orientation.alternative_kind,
        )
        if findings:
            who = f" de {party.person.last_name} {party.person.first_names}" if party else ""
            raise ValidationError(
                f"Cette correction rendrait impossible l’orientation actuelle{who} "
                f"(« {orientation.get_kind_display()} ») : "
                + " ".join(finding.message for finding in findings)
                + " Modifiez d’abord l’orientation."
            )


def _person_label(party: Party) -> str:
    return f"{party.person.last_name} {party.person.first_names}"


# --- Parties ---------------------------------------------------------------------------------


@transaction.atomic
def change_party_role(*, agent: Agent, party: Party, role: str) -> Party:
    """Correct a party's role (mis en cause, victim, civil party).

    A mis en cause with offences or an orientation keeps that role: remove the offences first
    (an orientation is a decision on a mis en cause). The same role again changes nothing.
    """
    procedure = _lock(party.procedure)
    party = Party.objects.select_related("person").get(pk=party.pk, procedure=procedure)
    if role not in Party.Role.values:
        raise ValidationError({"role": "Choisissez une qualité dans la liste."})
    if party.role == role:
        return party
    name = _person_label(party)
    if party.is_suspect:
        charges = party.charges.count()
        if charges:
            raise ValidationError(
                {
                    "role": f"{name} est mis(e) en cause pour {charges} infraction(s) : "
                    "supprimez-les d’abord, puis changez sa qualité."
                }
            )
        if party.orientations.exists():
            raise ValidationError(
                {
                    "role": f"Une orientation a été décidée pour {name} en tant que mis(e) en "
                    "cause : sa qualité ne peut plus changer."
                }
            )
    if Party.objects.filter(procedure=procedure, person=party.person, role=role).exists():
        raise ValidationError(
            {"role": f"{name} a déjà la qualité « {Party.Role(role).label} » dans la procédure."}
        )
    before, before_label = party.role, party.get_role_display()
    party.role = role
    party.save(update_fields=["role"])
    refresh_stage(procedure)
    _record(
        PARTY_ROLE_CHANGED,
        agent,
        procedure,
        {
            "party": party.pk,
            "person": party.person_id,
            "before": {"role": before},
            "after": {"role": role},
            "label": f"{name} : {before_label} → {party.get_role_display()}",
        },
    )
    return party


@transaction.atomic
def remove_party(*, agent: Agent, procedure: Procedure, party_id: int) -> bool:
    """Remove a person added by mistake; their orientations go with them (history keeps them).

    A mis en cause with offences is refused: remove or correct the offences first. Returns
    False when the party is already gone (the same request sent twice).
    """
    procedure = _lock(procedure)
    party = Party.objects.select_related("person").filter(pk=party_id, procedure=procedure).first()
    if party is None:
        return False
    name = _person_label(party)
    charges = party.charges.count()
    if charges:
        raise ValidationError(
            f"{name} est mis(e) en cause pour {charges} infraction(s) : supprimez-les d’abord, "
            "puis retirez la personne."
        )
    orientations = [
        {"orientation": o.pk, "kind": o.kind, "label": o.get_kind_display()}
        for o in party.orientations.all()
    ]
    details = {
        "party": party.pk,
        "person": party.person_id,
        "role": party.role,
        "orientations": orientations,
        "label": f"{name} ({party.get_role_display()})",
    }
    party.orientations.all().delete()
    party.delete()
    refresh_stage(procedure)
    _record(PARTY_REMOVED, agent, procedure, details)
    return True


# --- Charges ---------------------------------------------------------------------------------


@dataclass
class ChargeFacts:
    facts_from: date
    facts_until: date | None = None
    place: str = ""


FACTS_FIELDS = ("facts_from", "facts_until", "place")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def charge_label(charge: Charge) -> str:
    return f"NATINF {charge.offence.number} — {charge.qualification_text}"[:300]


def charge_changes(charge: Charge, data: ChargeFacts) -> dict[str, tuple[object, object]]:
    """The facts fields that ``data`` changes: name → (old, new)."""
    return {
        name: (getattr(charge, name), getattr(data, name))
        for name in FACTS_FIELDS
        if getattr(charge, name) != getattr(data, name)
    }


@transaction.atomic
def update_charge(
    *,
    agent: Agent,
    charge: Charge,
    data: ChargeFacts,
    acknowledged: Collection[str] = (),
) -> list[str]:
    """Correct the facts of a charge (dates, place); the NATINF number does not change (remove
    the charge and add the right one). Checked as an addition is: dates, offence in force on
    the new date, limitation (a warning to acknowledge), then the current orientations.

    Returns the names of the fields changed; none when nothing changes (a double click).
    """
    procedure = _lock(charge.procedure)
    charge = Charge.objects.select_related("offence").get(pk=charge.pk, procedure=procedure)
    changes = charge_changes(charge, data)
    if not changes:
        return []
    today = timezone.localdate()
    checks.enforce(
        checks.check_facts_dates(
            data.facts_from, data.facts_until, received_on=procedure.received_on, today=today
        )
    )
    checks.enforce(
        checks.check_offence_in_force(charge.offence, data.facts_from, field="facts_from")
    )
    warnings = checks.enforce(
        checks.check_limitation(
            charge.offence.kind,
            data.facts_until or data.facts_from,
            on=procedure.received_on,
            natinf=charge.offence.number,
        ),
        acknowledged,
    )
    for name, (_, new) in changes.items():
        setattr(charge, name, new)
    charge.save(update_fields=list(changes))
    refresh_minority(procedure)
    _recheck_orientations(procedure)
    _record(
        CHARGE_UPDATED,
        agent,
        procedure,
        {
            "charge": charge.pk,
            "natinf": charge.offence.number,
            "label": charge_label(charge),
            "before": {name: _plain(old) for name, (old, _) in changes.items()},
            "after": {name: _plain(new) for name, (_, new) in changes.items()},
        },
    )
    record_acknowledgements(agent=agent, procedure=procedure, warnings=warnings, charge=charge)
    return list(changes)


@transaction.atomic
def remove_charge(*, agent: Agent, procedure: Procedure, charge_id: int) -> bool:
    """Remove an offence added by mistake. Refused when a current orientation would no longer
    be allowed without it. Returns False when it is already gone (the same request twice)."""
    procedure = _lock(procedure)
    charge = (
        Charge.objects.select_related("offence", "party__person")
        .filter(pk=charge_id, procedure=procedure)
        .first()
    )
    if charge is None:
        return False
    details = {
        "charge": charge.pk,
        "natinf": charge.offence.number,
        "label": charge_label(charge),
        "party": charge.party_id,
        "facts_from": _plain(charge.facts_from),
        "facts_until": _plain(charge.facts_until),
        "place": charge.place,
    }
    charge.delete()
    refresh_minority(procedure)
    _recheck_orientations(procedure)
    _record(CHARGE_REMOVED, agent, procedure, details)
    return True
