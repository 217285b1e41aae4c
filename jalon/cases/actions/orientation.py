"""Orientation by the parquet (issue 14, point 5): the penal response chosen per mis en cause.

What may be chosen follows the legal rules valid on the decision date
(``jalon.cases.checks.allowed_orientations``); the screen offers only those, and this action
checks again, so a forged or stale form is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jalon.access.models import Agent
from jalon.cases import checks
from jalon.cases.models import ORIENTABLE_STAGES, Orientation, Party, Procedure, Stage
from jalon.history.actions import record

ORIENTED = "procedure.oriented"


@dataclass
class OrientationData:
    kind: str
    decided_on: date
    party: Party | None = None
    reason: str = ""
    alternative_kind: str = ""
    comment: str = ""


def offence_kinds(procedure: Procedure, party: Party | None) -> list[str]:
    """Kinds of the offences an orientation of ``party`` covers: theirs and the unassigned."""
    charges = procedure.charges.all()
    if party is not None:
        charges = charges.filter(Q(party=party) | Q(party__isnull=True))
    return list(charges.values_list("offence__kind", flat=True))


def choices_for(procedure: Procedure, party: Party | None, on: date) -> list[str]:
    """What the form offers: the orientations allowed on ``on`` for this person's offences."""
    return checks.allowed_orientations(
        offence_kinds(procedure, party),
        minor=party.minor_at_facts if party else None,
        on=on,
    )


def _required_details(data: OrientationData) -> None:
    errors: dict[str, str] = {}
    if data.kind not in Orientation.Kind.values:
        errors["kind"] = "Choisissez une orientation dans la liste."
    if data.kind == Orientation.Kind.DISMISSAL and not data.reason:
        errors["reason"] = "Indiquez le motif du classement sans suite."
    if data.kind == Orientation.Kind.ALTERNATIVE and not data.alternative_kind:
        errors["alternative_kind"] = "Indiquez la mesure alternative aux poursuites."
    if errors:
        raise ValidationError(errors)


def refresh_stage(procedure: Procedure) -> None:
    """The stage that the current orientations give a procedure still at the parquet."""
    current = list(procedure.orientations.current().values_list("party_id", "kind"))
    suspects = set(procedure.parties.filter(role=Party.Role.SUSPECT).values_list("pk", flat=True))
    oriented = {party_id for party_id, _ in current}
    if (
        current
        and all(kind == Orientation.Kind.DISMISSAL for _, kind in current)
        and (suspects <= oriented)
    ):
        stage = Stage.DISMISSED
    elif current:
        stage = Stage.ORIENTED
    else:
        stage = Stage.REGISTERED
    if stage != procedure.stage:
        procedure.stage = stage
        procedure.save(update_fields=["stage", "updated_at"])


@transaction.atomic
def orient(*, agent: Agent, procedure: Procedure, data: OrientationData) -> Orientation:
    """Record the parquet's decision for one mis en cause (or the procedure without one).

    A new orientation replaces the person's current one (kept, dated ``superseded_on``).
    The same decision submitted twice (double click) is recorded once.
    """
    procedure = (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("tribunal")
        .get(pk=procedure.pk)
    )
    if procedure.stage not in ORIENTABLE_STAGES:
        raise ValidationError(
            f"La procédure est à l’étape « {procedure.get_stage_display()} » : elle ne peut plus "
            "être orientée."
        )
    party = data.party
    if party is not None:
        party = Party.objects.select_related("person").get(pk=party.pk)
        if party.procedure_id != procedure.pk or not party.is_suspect:
            raise ValidationError({"party": "Choisissez un mis en cause de cette procédure."})
    elif procedure.parties.filter(role=Party.Role.SUSPECT).exists():
        raise ValidationError({"party": "Choisissez le mis en cause concerné par l’orientation."})
    _required_details(data)
    today = timezone.localdate()
    if data.decided_on > today:
        raise ValidationError(
            {"decided_on": f"La décision ne peut pas dater d’après aujourd’hui ({today:%d/%m/%Y})."}
        )
    if data.decided_on < procedure.received_on:
        raise ValidationError(
            {
                "decided_on": (
                    f"La décision ne peut pas précéder la réception de la procédure "
                    f"({procedure.received_on:%d/%m/%Y})."
                )
            }
        )
    minor = party.minor_at_facts if party else None
    checks.enforce(
        checks.check_orientation(
            data.kind,
            kinds=offence_kinds(procedure, party),
            minor=minor,
            on=data.decided_on,
            alternative_kind=data.alternative_kind,
        )
    )
    reason = data.reason if data.kind == Orientation.Kind.DISMISSAL else ""
    alternative = data.alternative_kind if data.kind == Orientation.Kind.ALTERNATIVE else ""
    current = (
        procedure.orientations.current().select_for_update(of=("self",)).filter(party=party).first()
    )
    if current is not None:
        if (
            current.kind == data.kind
            and current.reason == reason
            and current.alternative_kind == alternative
            and current.decided_on == data.decided_on
            and current.decided_by_id == agent.pk
        ):
            return current
        current.superseded_on = data.decided_on
        current.save(update_fields=["superseded_on"])
    orientation = Orientation.objects.create(
        procedure=procedure,
        party=party,
        kind=data.kind,
        reason=reason,
        alternative_kind=alternative,
        court=checks.court_for(
            data.kind, minor=minor, on=data.decided_on, tribunal_name=procedure.tribunal.name
        ),
        comment=data.comment,
        decided_on=data.decided_on,
        decided_by=agent,
    )
    refresh_stage(procedure)
    label = orientation.get_kind_display()
    if reason:
        label += f" — {orientation.get_reason_display()}"
    if alternative:
        label += f" — {orientation.get_alternative_kind_display()}"
    record(
        ORIENTED,
        actor=agent,
        target=procedure,
        details={
            "orientation": orientation.pk,
            "kind": data.kind,
            "party": party.pk if party else None,
            "person": f"{party.person.last_name} {party.person.first_names}" if party else None,
            "label": label,
            "replaces": current.pk if current else None,
        },
    )
    return orientation


def explain_choices(procedure: Procedure, party: Party | None) -> str:
    """Why these orientations are offered, in French, for the orientation screen."""
    kind = checks.governing_kind(offence_kinds(procedure, party))
    if kind is None:
        text = "Aucune infraction n’est poursuivie : seul un classement sans suite est possible."
    elif kind == "crime":
        text = (
            "La procédure comporte un crime : classement sans suite ou ouverture d’une "
            "information judiciaire."
        )
    elif kind == "contravention":
        text = "La procédure ne comporte que des contraventions : elles relèvent du tribunal de police."
    else:
        text = "L’infraction la plus grave est un délit."
    if party is not None and party.minor_at_facts:
        text += (
            " La personne était mineure au moment des faits : ni CRPC, ni ordonnance pénale, "
            "ni comparution immédiate."
        )
    return text
