"""The generation run: phases in order, each timed, in one transaction.

Extension point: another part adds its own rows (e.g. the 200,000 situations of
``jalon.dataset.situations``, registered by the app config) with ``register_phase``; it runs
after persons and convocations exist, inside the same transaction, with the run's
``Context`` (seed, scale, organisation, id ranges), foreign-key triggers off and the plain
indexes of the bulk tables and of its own ``tables`` dropped until every phase is done.
``--reset`` empties its ``tables`` too, and their id sequences are moved past the rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.appointments.models import Agenda, Appointment, AppointmentType, Place, Slot, SlotPattern
from jalon.dataset.calendar import Calendar
from jalon.dataset.models import IdentityPair
from jalon.dataset.organisation import Organisation, create_organisation
from jalon.dataset.people import FUTURE_DAYS, HISTORY_YEARS, PeopleGenerator, Sizes
from jalon.dataset.slots import plan_slots
from jalon.dataset.writer import (
    indexes_deferred,
    next_id,
    restart_sequence,
    sync_sequence,
    with_triggers,
    without_triggers,
)
from jalon.history.models import Event
from jalon.people.models import Follow, Person
from jalon.sms.models import Message
from jalon.stats import maintained, maintained_refusals

SCALES = {
    "small": Sizes(persons=5_000, appointments=25_000, pairs=250, situations=1_000),
    "national": Sizes(persons=1_000_000, appointments=5_000_000, pairs=5_000, situations=200_000),
}
SLOT_DAYS = 60  # slots exist from 60 days before the anchor to 60 days after
CHUNK = 20_000
# Tables of persons and what hangs from them: emptied with TRUNCATE … CASCADE by --reset.
BULK_MODELS: list[type[models.Model]] = [
    IdentityPair,
    Message,
    Event,
    Appointment,
    Slot,
    Follow,
    Person,
]
# Organisation tables: emptied through the ORM (seeded references such as SMS templates or
# national penal policies point at agents or may point at jurisdictions and must survive).
ORGANISATION_MODELS: list[type[models.Model]] = [SlotPattern, Agenda, Place, Agent, Service]


class NotEmpty(RuntimeError):
    pass


@dataclass
class Context:
    seed: int
    scale: str
    anchor: datetime
    sizes: Sizes
    organisation: Organisation | None = None
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


Phase = Callable[[Context], dict[str, int]]


@dataclass(frozen=True)
class ExtraPhase:
    name: str
    run: Phase
    # Tables the phase writes with COPY: truncated by --reset, indexes deferred, ids synced.
    tables: tuple[type[models.Model], ...] = ()
    # Deletes what else the phase created (e.g. reference rows), after the truncation.
    reset: Callable[[], None] | None = None


_EXTRA_PHASES: list[ExtraPhase] = []


def register_phase(
    name: str,
    phase: Phase,
    *,
    tables: Sequence[type[models.Model]] = (),
    reset: Callable[[], None] | None = None,
) -> None:
    """Add a phase run after the built-in ones (returns counts of the rows it wrote)."""
    if name not in [registered.name for registered in _EXTRA_PHASES]:
        _EXTRA_PHASES.append(ExtraPhase(name, phase, tuple(tables), reset))


def bulk_models() -> list[type[models.Model]]:
    """Every table written with COPY: the built-in ones and those of the registered phases."""
    extra = [model for phase in _EXTRA_PHASES for model in phase.tables]
    return [*extra, *(model for model in BULK_MODELS if model not in extra)]


def existing_rows() -> list[str]:
    """What makes the database non-empty for the generator."""
    found = []
    for model in (Jurisdiction, Service, Agent, Person):
        if model.objects.exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def reset() -> None:
    """Delete every row the generator writes (and what depends on them), restart the ids."""
    tables = ", ".join(f'"{model._meta.db_table}"' for model in bulk_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    for phase in _EXTRA_PHASES:
        if phase.reset is not None:
            phase.reset()
    for model in ORGANISATION_MODELS:
        if model is Service:
            Service.objects.filter(parent__isnull=False).delete()  # antennas first
        model._default_manager.all().delete()
    Jurisdiction.objects.filter(court_of_appeal__isnull=False).delete()
    Jurisdiction.objects.all().delete()
    emptied: list[type[models.Model]] = [*ORGANISATION_MODELS, Jurisdiction]
    for model in emptied:
        if not model._default_manager.exists():
            restart_sequence(model)


def anchor_datetime(day: date) -> datetime:
    return datetime.combine(day, clock(12), tzinfo=UTC)


def generate(
    *,
    scale: str,
    seed: int,
    anchor: date,
    sizes: Sizes | None = None,
    do_reset: bool = False,
    analyze: bool = True,
    log: Callable[[str], None] = lambda _: None,
) -> Context:
    context = Context(seed, scale, anchor_datetime(anchor), sizes or SCALES[scale])
    started = time.monotonic()

    def timed(name: str, since: float) -> float:
        now = time.monotonic()
        context.timings.append((name, now - since))
        log(f"{name}: {now - since:.1f} s")
        return now

    with transaction.atomic():
        if do_reset:
            reset()
        elif found := existing_rows():
            raise NotEmpty(", ".join(found))
        mark = timed("reset" if do_reset else "check", started)
        rng = random.Random(f"{seed}:organisation")  # noqa: S311 - synthetic data
        organisation = create_organisation(
            scale, rng, context.sizes.persons, context.anchor - timedelta(days=3 * 365)
        )
        context.organisation = organisation
        context.counts |= {
            "jurisdictions": Jurisdiction.objects.count(),
            "services": Service.objects.count(),
            "agents": organisation.agent_count,
            "agendas": Agenda.objects.count(),
        }
        mark = timed("organisation", mark)
        calendar = Calendar(
            anchor - timedelta(days=HISTORY_YEARS * 365 + 2), anchor + timedelta(days=FUTURE_DAYS)
        )
        types = {
            kind.code: (kind.pk, kind.default_duration_minutes, kind.label)
            for kind in AppointmentType.objects.all()
        }
        book = plan_slots(
            organisation,
            calendar,
            types,
            anchor - timedelta(days=SLOT_DAYS),
            anchor + timedelta(days=SLOT_DAYS),
            next_id(Slot),
            context.anchor - timedelta(days=SLOT_DAYS + 7),
        )
        mark = timed("slots planned", mark)
        ids = {
            "person": next_id(Person),
            "follow": next_id(Follow),
            "appointment": next_id(Appointment),
            "event": next_id(Event),
            "message": next_id(Message),
            "pair": next_id(IdentityPair),
        }
        content_types = {
            "person": ContentType.objects.get_for_model(Person).pk,
            "appointment": ContentType.objects.get_for_model(Appointment).pk,
        }
        generator = PeopleGenerator(
            seed=seed,
            organisation=organisation,
            calendar=calendar,
            slots=book,
            types=types,
            anchor=context.anchor,
            sizes=context.sizes,
            first_ids=ids,
            content_types=content_types,
        )
        with connection.cursor() as cursor:
            fast = without_triggers(cursor)
            tables = [model._meta.db_table for model in bulk_models()]
            try:
                with indexes_deferred(cursor, tables):
                    mark = timed("indexes dropped", mark)
                    context.counts |= generator.run(cursor, CHUNK, log)
                    mark = timed("persons, follows, convocations, SMS, history", mark)
                    context.counts["slots"] = book.write(cursor)
                    mark = timed("slots written", mark)
                    for phase in _EXTRA_PHASES:
                        context.counts |= phase.run(context)
                        mark = timed(phase.name, mark)
                mark = timed("indexes rebuilt", mark)
            finally:
                if fast:
                    with_triggers(cursor)
        for model in bulk_models():
            sync_sequence(model)
        # The rows went in with the triggers off: the dashboards' kept counts from them.
        maintained.rebuild()
        maintained_refusals.rebuild()
        mark = timed("dashboard counts", mark)
    if analyze:
        # VACUUM also sets the visibility maps, as autovacuum does on a live database, so
        # that index-only scans (the scope checks on follows, for instance) behave as in
        # production instead of fetching every heap page. It cannot run in a transaction.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        mark = timed("vacuum and analyze", mark)
    context.timings.append(("total", time.monotonic() - started))
    return context
