"""Recording events. Call ``record`` inside the transaction of the change it describes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import post_save
from django.utils import timezone
from psycopg.types.json import Jsonb

from jalon.core import request_context as context
from jalon.history.models import Event


def record(
    action: str,
    *,
    actor: Any | None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    """Write one history event (who, what, on which object, from where)."""
    event = unsaved_event(action, actor=actor, target=target, details=details)
    event.save(force_insert=True)
    return event


def record_events(*events: Event) -> list[Event]:
    """Write events made by ``unsaved_event`` in one insert; the receivers of each event's
    creation (webhooks) are told as ``record`` would."""
    Event.objects.bulk_create(events)
    for event in events:
        post_save.send(
            sender=Event,
            instance=event,
            created=True,
            update_fields=None,
            raw=False,
            using=Event.objects.db,
        )
    return list(events)


def unsaved_event(
    action: str,
    *,
    actor: Any | None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    """The event ``record`` writes, not saved: for a caller writing many in one insert."""
    request_context = context.current()
    actor_label = ""
    if actor is not None and getattr(actor, "pk", None) is not None:
        actor_label = f"{actor} <{getattr(actor, 'email', '')}>"
    else:
        actor = None
    return Event(
        actor=actor,
        actor_label=actor_label[:300],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        client_ip=request_context.client_ip if request_context else None,
        request_id=request_context.request_id if request_context else "",
        details=details or {},
    )


PERSON_READ = "person.viewed"


def record_person_read(
    read: str,
    *,
    actor: Any,
    persons: models.Model | Iterable[models.Model],
    details: dict[str, Any] | None = None,
) -> int:
    """Record that ``actor`` opened the file of each of ``persons``; return how many events.

    Every screen or document showing a person's data (page, edit form, convocation, letter,
    ICS, day list, SISPoPP document, SMS list) writes the same ``person.viewed`` event on the
    person, ``read`` telling which one (``{"read": "convocation_letter"}``): one question, "who
    opened this person's file", has one answer. Retention does not count these reads as
    activity (``people/retention.py::PASSIVE_ACTIONS``). A document listing many persons (a
    day's list) writes one event per person, in one insert.
    """
    if isinstance(persons, models.Model):
        persons = [persons]
    unique = list({person.pk: person for person in persons if person is not None}.values())
    if not unique:
        return 0
    event_details = {"read": read, **(details or {})}
    if len(unique) == 1:
        record(PERSON_READ, actor=actor, target=unique[0], details=event_details)
        return 1
    request_context = context.current()
    actor_label = f"{actor} <{getattr(actor, 'email', '')}>"[:300] if actor is not None else ""
    target_type = ContentType.objects.get_for_model(unique[0])
    Event.objects.bulk_create(
        Event(
            actor=actor,
            actor_label=actor_label,
            action=PERSON_READ,
            target_type=target_type,
            target_id=str(person.pk),
            target_label=str(person)[:300],
            client_ip=request_context.client_ip if request_context else None,
            request_id=request_context.request_id if request_context else "",
            details=event_details,
        )
        for person in unique
    )
    return len(unique)


def copy_events(
    entries: Iterable[tuple[str, models.Model, dict[str, Any]]], *, actor: Any | None
) -> int:
    """``record`` for many (action, target, details) of one actor, in one ``COPY``: the same
    rows as ``unsaved_event`` builds (an import's run writes about three per row)."""
    request_context = context.current()
    actor_id, actor_label = None, ""
    if actor is not None and getattr(actor, "pk", None) is not None:
        actor_id = actor.pk
        actor_label = f"{actor} <{getattr(actor, 'email', '')}>"[:300]
    client_ip = request_context.client_ip if request_context else None
    request_id = request_context.request_id if request_context else ""
    types: dict[type, int] = {}
    now = timezone.now()
    rows = []
    for action, target, details in entries:  # before the copy: no query during it
        kind = type(target)
        if kind not in types:
            types[kind] = ContentType.objects.get_for_model(target).pk
        rows.append(
            (
                now,
                actor_id,
                actor_label,
                action,
                types[kind],
                str(target.pk),
                str(target)[:300],
                client_ip,
                request_id,
                Jsonb(details or {}),
            )
        )
    if rows:
        with connection.cursor() as cursor, cursor.cursor.copy(_COPY_EVENTS) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


_COPY_EVENTS = (
    "COPY history_event (created_at, actor_id, actor_label, action, target_type_id, target_id, "
    "target_label, client_ip, request_id, details) FROM STDIN"
)


def record_many(action: str, *, targets: list[Any], details: dict[str, Any] | None = None) -> int:
    """One event per target, without an actor, in one insert (periodic jobs on many rows)."""
    if not targets:
        return 0
    target_type = ContentType.objects.get_for_model(targets[0])
    Event.objects.bulk_create(
        Event(
            action=action,
            target_type=target_type,
            target_id=str(target.pk),
            target_label=str(target)[:300],
            details=details or {},
        )
        for target in targets
    )
    return len(targets)


def erase_targets(model: type[models.Model], ids: list[int]) -> int:
    """Blank what identifies the deleted objects ``ids`` in their events; return how many.

    The skeleton stays (action, date, actor, address, request, object type): history still
    says that an agent did this at that time, but no longer to whom. Used by the retention
    job (MSJ-39) in the transaction that deletes the objects.
    """
    if not ids:
        return 0
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(model),
        target_id__in=[str(pk) for pk in ids],
    ).update(target_id="", target_label="", details={})
