"""Changes to situations: each in one transaction, with its history event (SIS-03, SIS-08)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from jalon.access.models import Agent, Jurisdiction
from jalon.access.rules import situations as rules
from jalon.history.actions import record
from jalon.people.actions import Identity, register_person
from jalon.people.duplicates import find_duplicates
from jalon.people.models import Person
from jalon.situations.models import (
    JafSection,
    ListEntry,
    Measure,
    Notification,
    Policy,
    Procedure,
    Review,
    Situation,
    SituationEvent,
    SituationFollow,
)
from jalon.situations.reviews import default_next_review, validate_next_review


@dataclass
class SituationData:
    """What the general part of the record holds (the MEC aside)."""

    policy: Policy
    mec_procedure_jaf: bool = False
    appeal: bool = False
    summary: str = ""
    cabinet_je: ListEntry | None = None
    cabinet_jap: ListEntry | None = None
    cabinet_ji: ListEntry | None = None
    instances: list[ListEntry] = field(default_factory=list)
    next_review_on: date | None = None


GENERAL_FIELDS = (
    "policy",
    "mec_procedure_jaf",
    "summary",
    "cabinet_je",
    "cabinet_jap",
    "cabinet_ji",
)


def _check_lists(jurisdiction: Jurisdiction, data: SituationData) -> None:
    for entry in [data.cabinet_je, data.cabinet_jap, data.cabinet_ji, *data.instances]:
        if entry is not None and entry.jurisdiction_id != jurisdiction.pk:
            raise ValidationError("Choisissez un cabinet ou une instance de votre juridiction.")


def _touch(situation: Situation) -> None:
    situation.updated_at = timezone.now()
    situation.save(update_fields=["updated_at"])


@transaction.atomic
def create_situation(
    *,
    agent: Agent,
    data: SituationData,
    mec: Person | None = None,
    identity: Identity | None = None,
    confirm_probable: bool = False,
    today: date,
) -> Situation:
    """Create a situation of the agent's jurisdiction, with its MEC (SIS-04, SIS-10).

    The MEC is an existing person (one the duplicate check found) or a new one, registered
    through the people app's duplicate check so that nobody is typed twice. The next review
    is the policy's default interval from today unless a date is chosen (SIS-03).
    """
    jurisdiction = rules.home_jurisdiction(agent)
    if jurisdiction is None or not rules.can_create_situation(agent):
        raise ValidationError("Vous ne pouvez pas créer de situation.")
    if mec is None and identity is None:
        raise ValidationError(
            {"mec": "Une situation a toujours un mis en cause : saisissez son identité."}
        )
    if data.appeal and jurisdiction.is_court_of_appeal:
        raise ValidationError({"appeal": "Seul un tribunal judiciaire coche la case « appel »."})
    _check_lists(jurisdiction, data)
    manual = data.next_review_on is not None
    next_review_on = data.next_review_on or default_next_review(today, data.policy)
    validate_next_review(next_review_on, today=today)
    if mec is None:
        assert identity is not None
        mec = register_person(agent=agent, identity=identity, confirm_probable=confirm_probable)
    # An existing MEC is linked, never followed: a Follow is the MSJ share of a person with a
    # whole ressort (its convocations and SMS), and the national duplicate check offers
    # persons of every ressort. The situation record shows the MEC's identity; the person
    # page stays for the services that follow them (MSJ-41, docs/access.md).
    situation = Situation.objects.create(
        jurisdiction=jurisdiction,
        policy=data.policy,
        mec=mec,
        mec_procedure_jaf=data.mec_procedure_jaf,
        appeal=data.appeal,
        summary=data.summary,
        cabinet_je=data.cabinet_je,
        cabinet_jap=data.cabinet_jap,
        cabinet_ji=data.cabinet_ji,
        next_review_on=next_review_on,
        review_date_is_manual=manual,
        created_by=agent,
    )
    situation.instances.set(data.instances)
    record(
        "situation.created",
        actor=agent,
        target=situation,
        details={"policy": data.policy.code, "mec": mec.pk, "appeal": data.appeal},
    )
    return situation


def mec_candidates(identity: Identity) -> list[Person]:
    """Persons already registered that the typed MEC may be (certain first)."""
    report = find_duplicates(
        last_name=identity.last_name,
        first_names=identity.first_names,
        birth_date=identity.birth_date,
        appi_number=identity.appi_number,
        phone=identity.phone,
    )
    return [person for person, _ in report.certain] + report.probable


@transaction.atomic
def update_situation(
    *, agent: Agent, situation: Situation, data: SituationData, today: date
) -> list[str]:
    """Save the general part; the appeal box only when the agent may change it."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation.pk)
    _check_lists(situation.jurisdiction, data)
    changed = [name for name in GENERAL_FIELDS if getattr(situation, name) != getattr(data, name)]
    for name in changed:
        setattr(situation, name, getattr(data, name))
    if data.next_review_on is not None and data.next_review_on != situation.next_review_on:
        validate_next_review(data.next_review_on, today=today)
        situation.next_review_on = data.next_review_on
        situation.review_date_is_manual = True
        changed += ["next_review_on", "review_date_is_manual"]
    instances = sorted(entry.pk for entry in data.instances)
    if sorted(situation.instances.values_list("pk", flat=True)) != instances:
        situation.instances.set(data.instances)
        changed.append("instances")
    if data.appeal != situation.appeal and rules.can_change_appeal(agent, situation):
        situation.appeal = data.appeal
        changed.append("appeal")
        record(
            "situation.appeal_changed",
            actor=agent,
            target=situation,
            details={"appeal": data.appeal},
        )
    if not changed:
        return []
    situation.updated_at = timezone.now()
    situation.save(update_fields=[n for n in changed if n != "instances"] + ["updated_at"])
    record("situation.updated", actor=agent, target=situation, details={"fields": changed})
    return changed


@transaction.atomic
def add_part(*, agent: Agent, situation: Situation, part: Model, action: str) -> Model:
    """Add a victim, a procedure or a measure (a model instance not saved yet)."""
    part.situation = situation  # type: ignore[attr-defined]
    part.full_clean()
    part.save()
    _touch(situation)
    record(action, actor=agent, target=situation, details={"id": part.pk, "label": str(part)})
    return part


@transaction.atomic
def save_part(*, agent: Agent, situation: Situation, part: Model, fields: list[str]) -> None:
    """Save the changed fields of a victim (the "OP" box changes who sees the situation)."""
    part.full_clean()
    part.save(update_fields=fields)
    _touch(situation)
    record(
        "situation.updated",
        actor=agent,
        target=situation,
        details={"part": part._meta.model_name, "id": part.pk, "fields": fields},
    )


@transaction.atomic
def add_event(
    *, agent: Agent, situation: Situation, occurred_on: date, text: str
) -> SituationEvent:
    """A new fact: shown at once on the record; followers who still see it are notified."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Décrivez l’évènement."})
    event = SituationEvent.objects.create(
        situation=situation, occurred_on=occurred_on, text=text, created_by=agent
    )
    followers = list(
        SituationFollow.objects.filter(situation=situation)
        .exclude(agent=agent)
        .values_list("agent_id", flat=True)
    )
    Notification.objects.bulk_create(
        Notification(agent=follower, situation=situation, event=event)
        for follower in rules.notified_agents(situation, followers)
    )
    _touch(situation)
    record("situation.event_added", actor=agent, target=situation, details={"event": event.pk})
    return event


@transaction.atomic
def save_jaf_section(*, agent: Agent, situation: Situation, values: dict[str, Any]) -> JafSection:
    """The JAF part (SIS-23)."""
    section, _ = JafSection.objects.select_for_update().get_or_create(situation=situation)
    changed = [name for name, value in values.items() if getattr(section, name) != value]
    for name in changed:
        setattr(section, name, values[name])
    if changed:
        section.updated_at = timezone.now()
        section.updated_by = agent
        section.save()
        _touch(situation)
        record("situation.jaf_updated", actor=agent, target=situation, details={"fields": changed})
    return section


@transaction.atomic
def record_review(
    *,
    agent: Agent,
    situation: Situation,
    held_on: date,
    participants: str,
    decisions: str,
    next_review_on: date | None,
    today: date,
) -> Review:
    """Record a review and set the next one: chosen, or the policy's interval from this one."""
    situation = (
        Situation.objects.select_for_update(of=("self",))
        .select_related("policy")
        .get(pk=situation.pk)
    )
    if situation.closed_on is not None:
        raise ValidationError(
            f"Cette situation est clôturée depuis le {situation.closed_on:%d/%m/%Y} : "
            "rouvrez-la pour enregistrer une revue."
        )
    if held_on > today:
        raise ValidationError({"held_on": "Une revue s’enregistre une fois tenue : date future."})
    manual = next_review_on is not None
    next_day = next_review_on or default_next_review(held_on, situation.policy)
    if next_day <= held_on:
        raise ValidationError(
            {"next_review_on": "La prochaine revue doit suivre la date de cette revue."}
        )
    validate_next_review(next_day, today=today)
    review = Review.objects.create(
        situation=situation,
        held_on=held_on,
        participants=participants.strip(),
        decisions=decisions.strip(),
        next_review_on=next_day,
        created_by=agent,
    )
    situation.next_review_on = next_day
    situation.review_date_is_manual = manual
    situation.updated_at = timezone.now()
    situation.save(update_fields=["next_review_on", "review_date_is_manual", "updated_at"])
    record(
        "situation.review_recorded",
        actor=agent,
        target=situation,
        details={"held_on": held_on.isoformat(), "next_review_on": next_day.isoformat()},
    )
    return review


# --- Closing (clôture) and reopening ------------------------------------------------------


def opened_on(situation: Situation, time_zone: str) -> date:
    """The day the situation was opened (its creation), in the agent's time zone."""
    return situation.created_at.astimezone(ZoneInfo(time_zone)).date()


@transaction.atomic
def close_situation(
    *, agent: Agent, situation: Situation, closed_on: date, reason: str, today: date
) -> SituationEvent:
    """Close the follow-up: out of the open table, the steering counts and the overdue list.

    The day is neither in the future nor before the situation was opened; the reason goes
    on the timeline (seen by everyone who opens the record, followers notified) and in
    history. Nothing is deleted: a closed situation stays readable (SIS-05).
    """
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation.pk)
    if not rules.can_close_situation(agent, situation):
        raise ValidationError("Vous ne pouvez pas clôturer cette situation.")
    if situation.closed_on is not None:
        raise ValidationError(
            f"Cette situation est déjà clôturée depuis le {situation.closed_on:%d/%m/%Y}."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la clôture."})
    if closed_on > today:
        raise ValidationError({"closed_on": "La date de clôture ne peut pas être dans le futur."})
    opened = opened_on(situation, agent.service.time_zone)
    if closed_on < opened:
        raise ValidationError(
            {
                "closed_on": (
                    "La date de clôture ne peut pas précéder l’ouverture de la situation, "
                    f"le {opened:%d/%m/%Y}."
                )
            }
        )
    situation.closed_on = closed_on
    situation.updated_at = timezone.now()
    situation.save(update_fields=["closed_on", "updated_at"])
    event = add_event(
        agent=agent,
        situation=situation,
        occurred_on=closed_on,
        text=f"Situation clôturée : {reason}",
    )
    record(
        "situation.closed",
        actor=agent,
        target=situation,
        details={"closed_on": closed_on.isoformat(), "reason": reason, "event": event.pk},
    )
    return event


@transaction.atomic
def reopen_situation(
    *, agent: Agent, situation: Situation, reason: str, today: date
) -> SituationEvent:
    """Reopen a closed situation: back in the table; its next review date is kept as it was
    (overdue if it has passed, so that a review is planned at once)."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation.pk)
    if not rules.can_close_situation(agent, situation):
        raise ValidationError("Vous ne pouvez pas rouvrir cette situation.")
    if situation.closed_on is None:
        raise ValidationError("Cette situation n’est pas clôturée.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la réouverture."})
    was_closed_on = situation.closed_on
    situation.closed_on = None
    situation.updated_at = timezone.now()
    situation.save(update_fields=["closed_on", "updated_at"])
    event = add_event(
        agent=agent, situation=situation, occurred_on=today, text=f"Situation rouverte : {reason}"
    )
    record(
        "situation.reopened",
        actor=agent,
        target=situation,
        details={"closed_on": was_closed_on.isoformat(), "reason": reason, "event": event.pk},
    )
    return event


# --- Editing and deleting procedures and measures ---------------------------------------


def _plain(value: Any) -> Any:
    """A value as history stores it (JSON): dates in ISO form."""
    return value.isoformat() if isinstance(value, date) else value


EDITABLE_PARTS: dict[type[Model], tuple[str, ...]] = {
    Procedure: ("nature", "reference", "court", "stage", "decisions"),
    Measure: ("label", "starts_on", "ends_on", "details"),
}


@transaction.atomic
def update_part(
    *, agent: Agent, situation: Situation, part: Procedure | Measure, values: dict[str, Any]
) -> list[str]:
    """Correct a procedure or a measure; history keeps each changed field before and after."""
    model = type(part)
    fields = EDITABLE_PARTS[model]
    part = model.objects.select_for_update().get(pk=part.pk, situation=situation)
    changes = {
        name: [_plain(getattr(part, name)), _plain(values[name])]
        for name in fields
        if name in values and getattr(part, name) != values[name]
    }
    if not changes:
        return []
    for name in changes:
        setattr(part, name, values[name])
    part.full_clean()
    part.save(update_fields=list(changes))
    _touch(situation)
    record(
        f"situation.{model._meta.model_name}_updated",
        actor=agent,
        target=situation,
        details={"id": part.pk, "label": str(part), "changes": changes},
    )
    return list(changes)


@transaction.atomic
def delete_part(*, agent: Agent, situation: Situation, part: Procedure | Measure) -> None:
    """Delete a procedure or a measure; history keeps what it held."""
    model = type(part)
    part = model.objects.select_for_update().get(pk=part.pk, situation=situation)
    before = {name: _plain(getattr(part, name)) for name in EDITABLE_PARTS[model]}
    part_id = part.pk
    label = str(part)
    part.delete()
    _touch(situation)
    record(
        f"situation.{model._meta.model_name}_deleted",
        actor=agent,
        target=situation,
        details={"id": part_id, "label": label, "before": before},
    )


@transaction.atomic
def set_following(*, agent: Agent, situation: Situation, following: bool) -> None:
    if following:
        _, created = SituationFollow.objects.get_or_create(situation=situation, agent=agent)
        if created:
            record("situation.followed", actor=agent, target=situation)
    elif SituationFollow.objects.filter(situation=situation, agent=agent).delete()[0]:
        Notification.objects.filter(agent=agent, situation=situation).delete()
        record("situation.unfollowed", actor=agent, target=situation)


def mark_read(*, agent: Agent, situation: Situation) -> int:
    """Opening the record reads its notifications (no history: the opening is recorded)."""
    return Notification.objects.filter(
        agent=agent, situation=situation, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- Adjustable lists (SIS-18, SIS-22) ---------------------------------------------------


@transaction.atomic
def add_list_entry(*, agent: Agent, kind: str, name: str) -> ListEntry:
    """Add a cabinet or an instance to the agent's jurisdiction's list."""
    jurisdiction = rules.home_jurisdiction(agent)
    if jurisdiction is None or not rules.can_edit_list(agent, kind):
        raise ValidationError("Vous ne pouvez pas modifier cette liste.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Saisissez un libellé."})
    if ListEntry.objects.filter(jurisdiction=jurisdiction, kind=kind, name__iexact=name).exists():
        raise ValidationError({"name": "Cette entrée existe déjà dans la liste."})
    entry = ListEntry.objects.create(jurisdiction=jurisdiction, kind=kind, name=name)
    record("situation_list.entry_added", actor=agent, target=entry, details={"kind": kind})
    return entry


@transaction.atomic
def set_list_entry_active(*, agent: Agent, entry: ListEntry, active: bool) -> None:
    """Withdraw an entry from the choices (situations keep it) or bring it back."""
    if entry.is_active == active:
        return
    entry.is_active = active
    entry.save(update_fields=["is_active"])
    record("situation_list.entry_changed", actor=agent, target=entry, details={"active": active})
