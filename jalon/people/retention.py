"""Retention (MSJ-39): archive inactive persons, delete archives six months old.

Two idempotent functions, called by the nightly jobs (``people/tasks.py``) and by
``manage.py retention [--dry-run]``:

- ``archive_inactive_persons``: a person without any activity for 12 months is archived
  (``person.archived`` event marked ``automatic``, no actor).
- ``delete_expired_archives``: a person archived for 6 months is deleted with everything
  personal attached (follows, convocations, SMS and their status timeline); the history
  events about them lose what identified the person; convocations and SMS are first added
  to the anonymous daily counts of ``stats`` so that statistics stay true. The contact
  details (landline, e-mail, postal address, lawyer) are columns of the person's row and go
  with it; history never held their values (``person.updated`` lists the changed fields'
  names only).
- ``delete_expired_situations``: a SISPoPP situation closed for 6 years is deleted with its
  parts (victims, procedures, measures, JAF part, events, reviews, documents and their
  files, follows, notifications); it runs before the deletion of persons, so that a MEC
  whose last situation goes can be deleted the same night (docs/decisions/0004).

**Activity** (see ``has_activity_after``) is computed by a set-based query rather than a
maintained ``last_activity_at`` column: activity comes from four apps (people, appointments,
sms, situations) whose actions would all have to maintain the column, and a missed update
would delete a followed person. A run finds its candidates in one pass (one ``NOT EXISTS``
per source, which PostgreSQL runs as hash anti-joins: 2.3 s for 300k persons, 1.5M
convocations and 600k events on a development machine), then handles them by batches of
``JALON_RETENTION_BATCH_SIZE``, checking each batch again by index probes (40 ms for 500).

**Concurrency.** Each batch locks its persons with ``FOR UPDATE SKIP LOCKED``: two runs at
once share the work and never wait for each other; a booking in progress (it locks the
person's row) makes the run skip that person until the next night. The conditions are checked
again once the rows are locked (a fresh snapshot), so a convocation booked just before the
lock keeps the person; a booking after the lock waits and then finds the person archived.
Each batch is one transaction: a person is processed completely or not at all.

This module sits in ``people`` (MSJ-39 is about the person's record) but reads and deletes
rows of the apps above it; nothing imports it back except its job and its command (the same
exception as ``access/rules``, see docs/architecture.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from jalon.access.models import Service
from jalon.appointments.models import Appointment, Slot
from jalon.core.env import Environment
from jalon.history.actions import erase_targets, record, record_many
from jalon.history.models import Event
from jalon.people.models import Follow, Person, PersonQuerySet
from jalon.situations import documents as situation_documents
from jalon.situations.models import Document, Review, Situation, SituationQuerySet
from jalon.sms.models import Message, MessageEvent
from jalon.stats.models import (
    AppointmentCount,
    ExitConvocationCount,
    MessageCount,
    SituationCount,
    TransferCount,
)

logger = logging.getLogger(__name__)

ARCHIVE_AFTER = relativedelta(months=12)
DELETE_AFTER = relativedelta(months=6)  # MSJ-39
# No source gives SISPoPP's duration: the délit prescription period (6 years, art. 8 CPP)
# after the follow-up ends; docs/decisions/0004-situation-retention.md says why.
SITUATION_DELETE_AFTER = relativedelta(years=6)
BATCH_SIZE = Environment().get_int("JALON_RETENTION_BATCH_SIZE", default=500)

# Reading a file is not activity: an agent who only looks does not keep the record alive.
PASSIVE_ACTIONS = ("person.viewed",)
AUTOMATIC = {"automatic": True}


def archive_cutoff(now: datetime) -> datetime:
    """Persons whose latest activity is at or before this moment are archived."""
    return now - ARCHIVE_AFTER


def deletion_cutoff(now: datetime) -> datetime:
    """Persons archived at or before this moment are deleted."""
    return now - DELETE_AFTER


def situation_deletion_cutoff(now: datetime) -> date:
    """Situations closed on or before this day are deleted (a closing date is a local day)."""
    return timezone.localdate(now) - SITUATION_DELETE_AFTER


# --- Named reads ---------------------------------------------------------------------------


def activity_after(cutoff: datetime) -> list[Exists]:
    """The sources of a person's activity after ``cutoff``, besides the record's creation.

    Activity is: the record's creation; any history event on the person other than reads
    (edits, unarchiving, bookings, outcomes, cancellations, SMS refusal … all write one on the
    person); a service starting to follow them; a convocation that starts, was made or got
    its outcome after the cutoff (a future convocation is always activity); an SMS created,
    due or sent after it; an open SISPoPP situation or one changed after it.
    """
    person_events = Event.objects.filter(
        target_type=ContentType.objects.get_for_model(Person),
        target_id=Cast(OuterRef("pk"), output_field=models.CharField()),
        created_at__gt=cutoff,
    ).exclude(action__in=PASSIVE_ACTIONS)
    follows = Follow.objects.filter(person=OuterRef("pk"), since__gt=cutoff)
    appointments = Appointment.objects.filter(person=OuterRef("pk")).filter(
        Q(starts_at__gt=cutoff) | Q(created_at__gt=cutoff) | Q(outcome_at__gt=cutoff)
    )
    messages = Message.objects.filter(person=OuterRef("pk")).filter(
        Q(created_at__gt=cutoff) | Q(send_after__gt=cutoff) | Q(sent_at__gt=cutoff)
    )
    situations = Situation.objects.filter(mec=OuterRef("pk")).filter(
        Q(closed_on__isnull=True) | Q(updated_at__gt=cutoff)
    )
    return [Exists(query) for query in (person_events, follows, appointments, messages, situations)]


def inactive_persons(now: datetime) -> PersonQuerySet:
    """Persons not archived and without activity for 12 months: to archive.

    One ``NOT EXISTS`` per source, so that PostgreSQL turns each into an anti-join: hashed
    over the whole table for the run's single pass, an index probe per person for a batch.
    """
    cutoff = archive_cutoff(now)
    persons = Person.objects.filter(archived_at__isnull=True, created_at__lte=cutoff)
    for source in activity_after(cutoff):
        persons = persons.filter(~source)
    return persons


def _protected_relations() -> Iterator[tuple[type[models.Model], str]]:
    """Rows that forbid deleting a person (``PROTECT``/``RESTRICT``), e.g. SISPoPP situations."""
    for relation in Person._meta.related_objects:
        if getattr(relation, "on_delete", None) in (models.PROTECT, models.RESTRICT):
            yield relation.related_model, relation.field.name


def _deletion_blockers() -> Q:
    blockers = Q(
        Exists(Message.objects.filter(person=OuterRef("pk"), status=Message.Status.SENDING))
    )
    for model, name in _protected_relations():
        blockers |= Q(Exists(model._base_manager.filter(**{name: OuterRef("pk")})))
    return blockers


def expired_archives(now: datetime) -> PersonQuerySet:
    """Persons archived for 6 months (MSJ-39), deletable or not."""
    return Person.objects.filter(archived_at__lte=deletion_cutoff(now))


def deletable_persons(now: datetime) -> PersonQuerySet:
    """Expired archives that can be deleted now.

    Kept for a later night: a person still linked to a SISPoPP situation (its own retention
    rules, SIS-12; the foreign key protects it), or with an SMS being handed to the provider
    at this moment (the sending job would write its outcome on a deleted row).
    """
    return expired_archives(now).exclude(_deletion_blockers())


# --- Batches -------------------------------------------------------------------------------


def _in_batches(
    candidates: Callable[[], PersonQuerySet], size: int, apply: Callable[[list[int]], None]
) -> None:
    """Find the candidates in one set-based pass, then ``apply`` to them batch by batch.

    One transaction per batch: its persons are locked ``FOR UPDATE SKIP LOCKED`` (a row
    another run or a booking holds is left for the next night), then the condition is checked
    again on them (a fresh snapshot once the rows are ours: what committed meanwhile counts).
    """
    ids = list(candidates().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        with transaction.atomic():
            locked = list(
                Person.objects.filter(pk__in=ids[start : start + size])
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)
            )
            still = list(
                candidates().filter(pk__in=locked).order_by("pk").values_list("pk", flat=True)
            )
            if still:
                apply(still)


def archive_inactive_persons(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> list[int]:
    """Archive every person without activity for 12 months; return their ids (idempotent)."""
    now = now or timezone.now()
    archived: list[int] = []

    def apply(ids: list[int]) -> None:
        _archive(ids, now)
        archived.extend(ids)

    _in_batches(lambda: inactive_persons(now), batch_size, apply)
    if archived:
        logger.info("persons archived", extra={"persons_archived": len(archived)})
    return archived


def _archive(ids: list[int], now: datetime) -> None:
    Person.objects.filter(pk__in=ids).update(archived_at=now)
    record_many(
        "person.archived", targets=list(Person.objects.filter(pk__in=ids)), details=AUTOMATIC
    )
    # No SMS to an archived person (the sending job would cancel them too, later).
    pending = list(
        Message.objects.select_for_update()
        .filter(person_id__in=ids, status=Message.Status.PENDING)
        .values_list("pk", flat=True)
    )
    if pending:
        Message.objects.filter(pk__in=pending).update(status=Message.Status.CANCELLED)
        MessageEvent.objects.bulk_create(
            MessageEvent(
                message_id=pk,
                at=now,
                status=Message.Status.CANCELLED,
                detail="Fiche archivée automatiquement (12 mois sans activité).",
            )
            for pk in pending
        )


@dataclass
class Deleted:
    """What a deletion run removed (counts only: nothing personal)."""

    persons: int = 0
    appointments: int = 0
    messages: int = 0
    events_erased: int = 0
    ids: list[int] = field(default_factory=list)

    def add(self, other: Deleted) -> None:
        self.persons += other.persons
        self.appointments += other.appointments
        self.messages += other.messages
        self.events_erased += other.events_erased
        self.ids.extend(other.ids)

    def as_details(self) -> dict[str, int]:
        return {
            "persons": self.persons,
            "appointments": self.appointments,
            "messages": self.messages,
            "events_erased": self.events_erased,
        }


def delete_expired_archives(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> Deleted:
    """Delete the persons archived for 6 months and everything personal (idempotent).

    Each batch writes one ``persons.deleted`` event with its counts, in its own transaction
    (history stays true even if the run stops half-way); a nightly run is one batch in practice.
    """
    now = now or timezone.now()
    total = Deleted()

    def apply(ids: list[int]) -> None:
        done = _delete(ids, now)
        record("persons.deleted", actor=None, details={**done.as_details(), **AUTOMATIC})
        total.add(done)

    _in_batches(lambda: deletable_persons(now), batch_size, apply)
    if total.persons:
        logger.info("archived persons deleted", extra=total.as_details())
    return total


# The day is the service's local day of the convocation (or of the SMS's planned sending),
# the grain of ``stats`` indicators; a convocation also keeps whether a reminder reached the
# person, for the "absenteeism with and without reminder" indicator.
COUNT_APPOINTMENTS_SQL = """
INSERT INTO {counts} (day, service_id, appointment_type_id, status, reminder_delivered, count)
SELECT (a.starts_at AT TIME ZONE s.time_zone)::date,
       a.service_id, a.appointment_type_id, a.status,
       EXISTS (SELECT 1 FROM {messages} r
               WHERE r.appointment_id = a.id AND r.kind = 'reminder' AND r.status = 'delivered'),
       count(*)
FROM {appointments} a JOIN {services} s ON s.id = a.service_id
WHERE a.person_id = ANY(%s)
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (day, service_id, appointment_type_id, status, reminder_delivered)
DO UPDATE SET count = {counts}.count + EXCLUDED.count
"""

COUNT_MESSAGES_SQL = """
INSERT INTO {counts} (day, service_id, kind, status, count)
SELECT (m.send_after AT TIME ZONE s.time_zone)::date,
       m.service_id, m.kind, m.status, count(*)
FROM {messages} m JOIN {services} s ON s.id = m.service_id
WHERE m.person_id = ANY(%s)
GROUP BY 1, 2, 3, 4
ON CONFLICT (day, service_id, kind, status)
DO UPDATE SET count = {counts}.count + EXCLUDED.count
"""


# Transfers, sortie d'audience convocations and situations, as ``stats/flows_*.py`` count them
# (tables named literally: ``transfers`` and ``cases`` sit above this layer). A transfer: the
# requesting service's local day of the request, its state, the days to its decision. A sortie
# d'audience convocation: only the first not cancelled per judgment and kind (SPIP or JAP),
# with its delay and the legal delay valid on the judgment's day.
COUNT_TRANSFERS_SQL = """
INSERT INTO {counts} (day, service_id, status, delay_days, count)
SELECT (t.created_at AT TIME ZONE s.time_zone)::date, t.requesting_service_id, t.status,
       CASE WHEN t.status IN ('accepted', 'refused', 'auto_accepted')
            THEN (t.decided_at AT TIME ZONE s.time_zone)::date
                 - (t.created_at AT TIME ZONE s.time_zone)::date END,
       count(*)
FROM transfers_transfer t JOIN {services} s ON s.id = t.requesting_service_id
WHERE t.person_id = ANY(%s)
GROUP BY 1, 2, 3, 4
"""

COUNT_EXITS_SQL = """
INSERT INTO {counts} (day, service_id, booked_by_id, kind, delay_days, limit_days, count)
SELECT day, service_id, booked_by_id, kind, delay_days,
       (SELECT (r.value)::integer FROM cases_legalrule r
        WHERE r.key = CASE kind WHEN 'spip' THEN 'delay.spip_after_judgment.days'
                                ELSE 'delay.jap_after_judgment.days' END
          AND r.valid_from <= day AND (r.valid_until IS NULL OR r.valid_until >= day)
        ORDER BY r.valid_from LIMIT 1),
       count(*)
FROM (
    SELECT DISTINCT ON (a.judgment_id, 4)
           j.delivered_on AS day, a.service_id, a.created_by_service_id AS booked_by_id,
           CASE WHEN s.kind IN ('spip', 'spip_antenna') THEN 'spip' ELSE 'jap' END AS kind,
           (a.starts_at AT TIME ZONE s.time_zone)::date - j.delivered_on AS delay_days
    FROM {appointments} a
    JOIN {services} s ON s.id = a.service_id
    JOIN cases_judgment j ON j.id = a.judgment_id
    WHERE a.person_id = ANY(%s) AND a.status <> 'cancelled' AND j.delivered_on IS NOT NULL
      AND s.kind IN ('spip', 'spip_antenna', 'sap')
    ORDER BY a.judgment_id, 4, a.starts_at, a.id
) first_ones
GROUP BY 1, 2, 3, 4, 5
"""

COUNT_SITUATIONS_SQL = """
INSERT INTO {counts} (day, jurisdiction_id, policy_id, event, count)
SELECT day, jurisdiction_id, policy_id, event, count(*) FROM (
    SELECT (created_at AT TIME ZONE %s)::date AS day, jurisdiction_id, policy_id,
           'opened' AS event
    FROM {situations} WHERE id = ANY(%s)
    UNION ALL
    SELECT closed_on, jurisdiction_id, policy_id, 'closed'
    FROM {situations} WHERE id = ANY(%s) AND closed_on IS NOT NULL
    UNION ALL
    SELECT r.held_on, s.jurisdiction_id, s.policy_id, 'review'
    FROM {reviews} r JOIN {situations} s ON s.id = r.situation_id WHERE s.id = ANY(%s)
) facts
GROUP BY 1, 2, 3, 4
"""


def _count_anonymously(ids: list[int]) -> None:
    """Add the persons' convocations and SMS to the daily counts (service local day)."""
    services = Service._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            COUNT_APPOINTMENTS_SQL.format(
                counts=AppointmentCount._meta.db_table,
                appointments=Appointment._meta.db_table,
                messages=Message._meta.db_table,
                services=services,
            ),
            [ids],
        )
        cursor.execute(
            COUNT_MESSAGES_SQL.format(
                counts=MessageCount._meta.db_table,
                messages=Message._meta.db_table,
                services=services,
            ),
            [ids],
        )
        cursor.execute(
            COUNT_TRANSFERS_SQL.format(counts=TransferCount._meta.db_table, services=services),
            [ids],
        )
        cursor.execute(
            COUNT_EXITS_SQL.format(
                counts=ExitConvocationCount._meta.db_table,
                appointments=Appointment._meta.db_table,
                services=services,
            ),
            [ids],
        )


def _count_situations(ids: list[int]) -> None:
    """Add the situations' creation, closing and reviews to their anonymous daily counts."""
    with connection.cursor() as cursor:
        cursor.execute(
            COUNT_SITUATIONS_SQL.format(
                counts=SituationCount._meta.db_table,
                situations=Situation._meta.db_table,
                reviews=Review._meta.db_table,
            ),
            [settings.TIME_ZONE, ids, ids, ids],
        )


def _free_slot_places(ids: list[int], now: datetime) -> None:
    """Give back the places the persons' future planned convocations held in slots."""
    held = (
        Appointment.objects.filter(
            person_id__in=ids,
            status=Appointment.Status.BOOKED,
            starts_at__gt=now,
            slot__isnull=False,
        )
        .values("slot_id")
        .annotate(places=models.Count("pk"))
    )
    for row in held:
        Slot.objects.filter(pk=row["slot_id"]).update(
            booked_count=models.functions.Greatest(
                models.F("booked_count") - row["places"], models.Value(0)
            )
        )


def _delete(ids: list[int], now: datetime) -> Deleted:
    appointment_ids = list(
        Appointment.objects.filter(person_id__in=ids).values_list("pk", flat=True)
    )
    message_ids = list(Message.objects.filter(person_id__in=ids).values_list("pk", flat=True))
    _count_anonymously(ids)
    _free_slot_places(ids, now)
    erased = (
        erase_targets(Person, ids)
        + erase_targets(Appointment, appointment_ids)
        + erase_targets(Message, message_ids)
    )
    Person.objects.filter(pk__in=ids).delete()
    return Deleted(
        persons=len(ids),
        appointments=len(appointment_ids),
        messages=len(message_ids),
        events_erased=erased,
        ids=list(ids),
    )


# --- Dry run -------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a run would change now, without changing anything."""

    to_archive: list[Person]
    to_delete: list[Person]
    kept: list[Person]  # archived for 6 months but blocked (situation, SMS being sent)
    appointments: int
    messages: int
    events: int
    situations: list[Situation] = field(default_factory=list)


def plan(now: datetime | None = None) -> Plan:
    """What a run would do; persons whose only blocker is a situation deleted first are not
    yet counted as deletable (the real run deletes them the same night)."""
    now = now or timezone.now()
    to_delete = list(deletable_persons(now).order_by("pk"))
    ids = [person.pk for person in to_delete]
    appointment_ids = list(
        Appointment.objects.filter(person_id__in=ids).values_list("pk", flat=True)
    )
    message_ids = list(Message.objects.filter(person_id__in=ids).values_list("pk", flat=True))
    events = 0
    for model, pks in ((Person, ids), (Appointment, appointment_ids), (Message, message_ids)):
        events += Event.objects.filter(
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=[str(pk) for pk in pks],
        ).count()
    return Plan(
        to_archive=list(inactive_persons(now).order_by("pk")),
        to_delete=to_delete,
        kept=list(expired_archives(now).filter(_deletion_blockers()).order_by("pk")),
        appointments=len(appointment_ids),
        messages=len(message_ids),
        events=events,
        situations=list(
            expired_situations(now).select_related("jurisdiction", "policy").order_by("pk")
        ),
    )


# --- SISPoPP situations ----------------------------------------------------------------------


def expired_situations(now: datetime) -> SituationQuerySet:
    """Situations closed for 6 years (``SITUATION_DELETE_AFTER``); open ones are never."""
    return Situation.objects.filter(closed_on__lte=situation_deletion_cutoff(now))


@dataclass
class DeletedSituations:
    """What a run removed: counts by policy and closing year only, nothing personal."""

    situations: int = 0
    documents: int = 0
    events_erased: int = 0
    by_policy: dict[str, int] = field(default_factory=dict)
    by_closing_year: dict[str, int] = field(default_factory=dict)

    def as_details(self) -> dict[str, object]:
        return {
            "situations": self.situations,
            "documents": self.documents,
            "events_erased": self.events_erased,
            "by_policy": dict(sorted(self.by_policy.items())),
            "by_closing_year": dict(sorted(self.by_closing_year.items())),
        }


def delete_expired_situations(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> DeletedSituations:
    """Delete the situations closed for 6 years with all their parts (idempotent).

    Batches as for persons: the situations are locked ``FOR UPDATE SKIP LOCKED`` (one being
    reopened or edited is left for the next night) and checked again once locked (a reopened
    one is kept). What identified the situation is erased from its history events, its
    documents' files are removed once the transaction commits, and one ``situations.deleted``
    event per batch keeps the counts by policy and closing year; their creation, closing and
    reviews are added to ``stats.SituationCount`` first, so no statistic changes.
    """
    now = now or timezone.now()
    total = DeletedSituations()
    ids = list(expired_situations(now).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            locked = list(
                Situation.objects.filter(pk__in=ids[start : start + batch_size])
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)
            )
            still = list(
                expired_situations(now)
                .filter(pk__in=locked)
                .select_related("policy")
                .order_by("pk")
            )
            if still:
                done = _delete_situations(still)
                record("situations.deleted", actor=None, details={**done.as_details(), **AUTOMATIC})
                total.situations += done.situations
                total.documents += done.documents
                total.events_erased += done.events_erased
                for key, count in done.by_policy.items():
                    total.by_policy[key] = total.by_policy.get(key, 0) + count
                for key, count in done.by_closing_year.items():
                    total.by_closing_year[key] = total.by_closing_year.get(key, 0) + count
    if total.situations:
        logger.info("closed situations deleted", extra=total.as_details())
    return total


def _delete_situations(situations: list[Situation]) -> DeletedSituations:
    ids = [situation.pk for situation in situations]
    done = DeletedSituations(situations=len(ids))
    for situation in situations:
        code = situation.policy.code
        done.by_policy[code] = done.by_policy.get(code, 0) + 1
        year = str(situation.closed_on.year) if situation.closed_on else ""
        done.by_closing_year[year] = done.by_closing_year.get(year, 0) + 1
    stored = list(
        Document.objects.filter(situation_id__in=ids).values_list("stored_name", flat=True)
    )
    done.documents = len(stored)
    done.events_erased = erase_targets(Situation, ids)
    _count_situations(ids)
    # Parts, documents' rows, follows, notifications and meeting items go by cascade.
    Situation.objects.filter(pk__in=ids).delete()

    def remove_files() -> None:
        store = situation_documents.storage()
        for name in stored:
            store.delete(name)

    transaction.on_commit(remove_files)
    return done
