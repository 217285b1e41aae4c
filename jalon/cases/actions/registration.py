"""Registration at the bureau d'ordre of a TJ's parquet, then completion of the procedure.

The minimum to register (CAS-11: Cassiopée was heavy because it demanded everything up front):
the numéro de parquet, the origin and the date of receipt. The receipt date is kept mandatory
because every later check (facts after receipt, limitation) and the bureau d'ordre's own
registers are dated by it. Everything else (facts dates, summary, persons, offences) is added
later, each addition checked on its own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jalon.access.models import Agent, Jurisdiction
from jalon.cases import checks
from jalon.cases.actions.acknowledgements import record_acknowledgements
from jalon.cases.models import Charge, Offence, Party, Procedure, Stage, minor_on
from jalon.core.parquet import format_parquet_number, parse_parquet_number
from jalon.history.actions import record
from jalon.people.actions import DuplicatePersonError, Identity, register_person
from jalon.people.duplicates import find_duplicates
from jalon.people.models import Person

REGISTERED = "procedure.registered"
UPDATED = "procedure.updated"
PARTY_ADDED = "procedure.party_added"
CHARGE_ADDED = "procedure.charge_added"
# A second identical submission within this delay is the same click, not a new procedure.
REPEAT_WINDOW = timedelta(minutes=5)


@dataclass
class ProcedureData:
    parquet_number: str
    origin: str
    received_on: date
    origin_unit: str = ""
    origin_reference: str = ""
    facts_from: date | None = None
    facts_until: date | None = None
    summary: str = ""


def _canonical(text: str) -> str:
    try:
        return parse_parquet_number(text)
    except ValueError as error:
        raise ValidationError({"parquet_number": str(error)}) from None


def _procedure_findings(data: ProcedureData, today: date) -> list[checks.Finding]:
    findings = checks.check_facts_dates(
        data.facts_from, data.facts_until, received_on=data.received_on, today=today
    )
    if data.received_on > today:
        findings.append(
            checks.Finding(
                "received_in_future",
                checks.BLOCK,
                f"La date de réception ({data.received_on:%d/%m/%Y}) ne peut pas être "
                f"postérieure à aujourd’hui ({today:%d/%m/%Y}).",
                "received_on",
            )
        )
    return findings


@transaction.atomic
def register_procedure(
    *,
    agent: Agent,
    tribunal: Jurisdiction,
    data: ProcedureData,
    acknowledged: Collection[str] = (),
) -> Procedure:
    """Register a procedure under its numéro de parquet (unique within the tribunal).

    The same agent submitting the same procedure again within a few minutes (a double click,
    a reload) gets the procedure already registered, not an error nor a second one.
    """
    number = _canonical(data.parquet_number)
    today = timezone.localdate()
    warnings = checks.enforce(_procedure_findings(data, today), acknowledged)
    existing = (
        Procedure.objects.select_related("tribunal")
        .filter(tribunal=tribunal, parquet_number=number)
        .first()
    )
    if existing is not None:
        if (
            existing.registered_by_id == agent.pk
            and existing.origin == data.origin
            and existing.received_on == data.received_on
            and timezone.now() - existing.registered_at < REPEAT_WINDOW
        ):
            return existing
        raise ValidationError(
            {
                "parquet_number": (
                    f"Le numéro de parquet {format_parquet_number(number)} est déjà enregistré "
                    f"au {tribunal.name} (procédure reçue le {existing.received_on:%d/%m/%Y})."
                )
            }
        )
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    values["parquet_number"] = number
    procedure = Procedure(
        tribunal=tribunal,
        registered_at=timezone.now(),
        registered_by=agent,
        stage=Stage.REGISTERED,
        **values,
    )
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError:
        # Registered by someone else between our lookup and our insert.
        raise ValidationError(
            {
                "parquet_number": (
                    f"Le numéro de parquet {format_parquet_number(number)} vient d’être "
                    f"enregistré au {tribunal.name} par un autre agent."
                )
            }
        ) from None
    record(
        REGISTERED,
        actor=agent,
        target=procedure,
        details={"parquet_number": number, "tribunal": tribunal.name, "origin": data.origin},
    )
    record_acknowledgements(agent=agent, procedure=procedure, warnings=warnings)
    return procedure


EDITABLE = (
    "origin",
    "origin_unit",
    "origin_reference",
    "received_on",
    "facts_from",
    "facts_until",
    "summary",
)


@transaction.atomic
def update_procedure(
    *,
    agent: Agent,
    procedure: Procedure,
    data: ProcedureData,
    acknowledged: Collection[str] = (),
) -> list[str]:
    """Complete or correct the procedure's details; the numéro de parquet does not change.

    A receipt date earlier than a charge's facts is refused like facts after the receipt.
    Returns the names of the fields that changed (the history lists them, not their values).
    """
    procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    today = timezone.localdate()
    findings = _procedure_findings(data, today)
    latest = procedure.charges.order_by("-facts_from").values_list("facts_from", flat=True).first()
    if latest is not None and latest > data.received_on:
        findings.append(
            checks.Finding(
                checks.FACTS_AFTER_RECEIPT,
                checks.BLOCK,
                f"La procédure ne peut pas avoir été reçue le {data.received_on:%d/%m/%Y} : "
                f"une infraction poursuivie date du {latest:%d/%m/%Y}.",
                "received_on",
            )
        )
    warnings = checks.enforce(findings, acknowledged)
    changed = [name for name in EDITABLE if getattr(procedure, name) != getattr(data, name)]
    if not changed:
        return []
    for name in changed:
        setattr(procedure, name, getattr(data, name))
    procedure.save(update_fields=[*changed, "updated_at"])
    if {"facts_from"} & set(changed):
        refresh_minority(procedure)
    record(UPDATED, actor=agent, target=procedure, details={"fields": changed})
    record_acknowledgements(agent=agent, procedure=procedure, warnings=warnings)
    return changed


def facts_day_of(procedure: Procedure, party: Party | None = None) -> date | None:
    """The first day of the facts for ``party``: their charges' earliest, else the procedure's."""
    charges = procedure.charges.all()
    if party is not None:
        charges = charges.filter(party=party)
    first = charges.order_by("facts_from").values_list("facts_from", flat=True).first()
    return first or procedure.facts_from


def refresh_minority(procedure: Procedure) -> None:
    """Recompute ``minor_at_facts`` of every party from birth dates and facts dates."""
    for party in procedure.parties.select_related("person"):
        minor = minor_on(party.person.birth_date, facts_day_of(procedure, party))
        if minor != party.minor_at_facts:
            party.minor_at_facts = minor
            party.save(update_fields=["minor_at_facts"])


def _attach(
    agent: Agent, procedure: Procedure, person: Person, role: str, details: dict[str, Any]
) -> Party:
    party, created = Party.objects.get_or_create(
        procedure=procedure,
        person=person,
        role=role,
        defaults={
            "added_by": agent,
            "minor_at_facts": minor_on(person.birth_date, facts_day_of(procedure)),
        },
    )
    if created:
        # No ``Follow`` here (MSJ-41, as for a SISPoPP MEC): linking a person found by the
        # national duplicate check opens none of their convocation data to this ressort; the
        # procedure shows the identity it needs. A person typed here is registered by
        # ``register_person``, which makes the parquet's service follow them.
        record(
            PARTY_ADDED,
            actor=agent,
            target=procedure,
            details={
                "party": party.pk,
                "person": person.pk,
                "role": role,
                "label": f"{person} ({party.get_role_display()})",
                **details,
            },
        )
    return party


@transaction.atomic
def add_new_person(
    *,
    agent: Agent,
    procedure: Procedure,
    role: str,
    identity: Identity,
    confirm_probable: bool = False,
) -> Party:
    """Register a person through the national duplicate check, then make them a party.

    ``DuplicatePersonError`` (from ``people``) when the person is, or may be, registered: the
    screen then offers to use the existing record (``add_existing_person``).
    """
    procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    person = register_person(agent=agent, identity=identity, confirm_probable=confirm_probable)
    return _attach(agent, procedure, person, role, {"new_person": True})


@transaction.atomic
def add_existing_person(*, agent: Agent, procedure: Procedure, role: str, person: Person) -> Party:
    """Make an already registered person (found by the duplicate check or the search) a party.

    Adding the same person with the same role twice changes nothing (double click).
    """
    procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    return _attach(agent, procedure, person, role, {"new_person": False})


@dataclass
class ChargeData:
    natinf: int
    facts_from: date
    facts_until: date | None = None
    place: str = ""
    party: Party | None = None


def offence_for(number: int, facts_on: date) -> Offence:
    """The NATINF offence ``number``; ``ValidationError`` if unknown or not in force that day."""
    offence = Offence.objects.filter(number=number).first()
    if offence is None:
        raise ValidationError(
            {
                "natinf": (
                    f"Le numéro NATINF {number} n’existe pas dans la liste des infractions : "
                    "vérifiez-le ou cherchez l’infraction par les mots de sa qualification."
                )
            }
        )
    checks.enforce(checks.check_offence_in_force(offence, facts_on))
    return offence


@transaction.atomic
def add_charge(
    *,
    agent: Agent,
    procedure: Procedure,
    data: ChargeData,
    acknowledged: Collection[str] = (),
) -> Charge:
    """Prosecute an offence: NATINF number in force on the facts date, dates checked.

    The qualification is frozen as worded on the day of registration.
    """
    procedure = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
    if data.party is not None and (
        data.party.procedure_id != procedure.pk or not data.party.is_suspect
    ):
        raise ValidationError({"party": "Choisissez un mis en cause de cette procédure."})
    today = timezone.localdate()
    checks.enforce(
        checks.check_facts_dates(
            data.facts_from, data.facts_until, received_on=procedure.received_on, today=today
        )
    )
    offence = offence_for(data.natinf, data.facts_from)
    warnings = checks.enforce(
        checks.check_limitation(
            offence.kind,
            data.facts_until or data.facts_from,
            on=procedure.received_on,
            natinf=offence.number,
        ),
        acknowledged,
    )
    duplicate = (
        procedure.charges.filter(
            party=data.party,
            offence=offence,
            facts_from=data.facts_from,
            facts_until=data.facts_until,
            place=data.place,
            added_by=agent,
            added_at__gte=timezone.now() - REPEAT_WINDOW,
        )
        .order_by("-id")
        .first()
    )
    if duplicate is not None:
        return duplicate
    charge = Charge.objects.create(
        procedure=procedure,
        party=data.party,
        offence=offence,
        qualification_text=offence.qualification,
        facts_from=data.facts_from,
        facts_until=data.facts_until,
        place=data.place,
        added_by=agent,
    )
    refresh_minority(procedure)
    record(
        CHARGE_ADDED,
        actor=agent,
        target=procedure,
        details={
            "charge": charge.pk,
            "natinf": offence.number,
            "label": f"NATINF {offence.number} — {offence.qualification}"[:300],
            "party": data.party.pk if data.party else None,
        },
    )
    record_acknowledgements(agent=agent, procedure=procedure, warnings=warnings, charge=charge)
    return charge


def duplicate_candidates(identity: Identity) -> set[int]:
    """Ids of the persons the national duplicate check finds for ``identity`` (certain or
    probable): those the agent may make a party even if their ressort does not see them."""
    report = find_duplicates(
        last_name=identity.last_name,
        first_names=identity.first_names,
        birth_date=identity.birth_date,
        appi_number=identity.appi_number,
        phone=identity.phone,
    )
    return {person.pk for person, _ in report.certain} | {person.pk for person in report.probable}


# --- Registration from another software (the API) --------------------------------------------


@dataclass
class ExternalParty:
    role: str
    identity: Identity
    person: Person | None = None  # an existing record, resolved through the access layer
    confirm_probable: bool = False


@dataclass
class ExternalCharge:
    natinf: int
    facts_from: date
    facts_until: date | None = None
    place: str = ""
    party: int | None = None  # the index of a mis en cause in the parties


class PartyDuplicate(Exception):
    """Party number ``index`` is, or may be, registered already (``report``)."""

    def __init__(self, index: int, report: Any) -> None:
        super().__init__(f"parties[{index}]")
        self.index, self.report = index, report


def _prefixed(prefix: str, error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return ValidationError({prefix: error.messages})
    return ValidationError(
        {
            prefix if field == "__all__" else f"{prefix}.{field}": messages
            for field, messages in error.message_dict.items()
        }
    )


@transaction.atomic
def register_external(
    *,
    agent: Agent,
    tribunal: Jurisdiction,
    data: ProcedureData,
    parties: list[ExternalParty],
    charges: list[ExternalCharge],
    acknowledged: Collection[str] = (),
) -> Procedure:
    """A procedure registered by another software with its persons and offences, all or
    nothing: each step is the screens' own action, with its checks and history.

    Errors name their place (``parties[1].birth_date``, ``charges[0].natinf``); a person who
    is or may be registered already raises ``PartyDuplicate`` with the party's index.
    """
    procedure = register_procedure(
        agent=agent, tribunal=tribunal, data=data, acknowledged=acknowledged
    )
    made: list[Party] = []
    for index, party in enumerate(parties):
        try:
            if party.person is not None:
                made.append(
                    add_existing_person(
                        agent=agent, procedure=procedure, role=party.role, person=party.person
                    )
                )
            else:
                made.append(
                    add_new_person(
                        agent=agent,
                        procedure=procedure,
                        role=party.role,
                        identity=party.identity,
                        confirm_probable=party.confirm_probable,
                    )
                )
        except DuplicatePersonError as duplicate:
            raise PartyDuplicate(index, duplicate.report) from None
        except ValidationError as error:
            raise _prefixed(f"parties[{index}]", error) from None
    for index, charge in enumerate(charges):
        target = None
        if charge.party is not None:
            if not 0 <= charge.party < len(made) or not made[charge.party].is_suspect:
                raise ValidationError(
                    {
                        f"charges[{index}].party": "Indiquez le rang d’un mis en cause de « parties »."
                    }
                )
            target = made[charge.party]
        try:
            add_charge(
                agent=agent,
                procedure=procedure,
                data=ChargeData(
                    natinf=charge.natinf,
                    facts_from=charge.facts_from,
                    facts_until=charge.facts_until,
                    place=charge.place,
                    party=target,
                ),
                acknowledged=acknowledged,
            )
        except ValidationError as error:
            raise _prefixed(f"charges[{index}]", error) from None
    return procedure
