"""An import's steps: upload, column mapping, dry run, decisions, run (docs/imports.md).

The dry run (``check``) and the run (``run``) are the bodies of the two jobs
(``imports/tasks.py``); both go through the rows in batches of ``BATCH_SIZE``, one
transaction each, and store their progress on the ``Import`` in that transaction, so a job
that dies starts again after the last committed batch. The dry run writes only the
import's own rows (``Row``): no person, convocation, SMS or history; it looks up each
batch's persons at once (``lookup_many``). The run writes each batch through the bulk path
(``bulk.run_batch``: the same rows as the screens' actions ``register_person`` and
``book_appointment``, history with the agent as actor, SMS); ``run(bulk=False)`` takes each
row through those actions in its own savepoint, the reference the tests compare with. A
refused row is reported, the others are imported. A job that fails for good:
``recovery.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jalon.access.models import Agent
from jalon.appointments.actions import book_appointment
from jalon.appointments.models import Appointment
from jalon.history.actions import record
from jalon.imports import bulk as bulk_path
from jalon.imports import columns, reading
from jalon.imports.models import ColumnMemory, Import, Row
from jalon.imports.reading import ImportFileError
from jalon.imports.rows import Context, Parsed, RowError, mapped, parse
from jalon.people.actions import DuplicatePersonError, follow, register_person
from jalon.people.duplicates import DuplicateReport, IdentityQuery, find_duplicates_many
from jalon.people.models import Follow, Person

BATCH_SIZE = 1_000
Status = Import.Status
Verdict, Result = Row.Verdict, Row.Result

ALREADY_RUNNING = (
    "Ce fichier est déjà en cours d’import dans votre service : attendez la fin de l’import "
    "en cours avant de le déposer de nouveau."
)


class ImportRefused(Exception):
    """A step refused as a whole; the message is French."""


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _active_twin(service_id: int, digest: str, exclude: int | None = None) -> bool:
    twins = Import.objects.filter(service_id=service_id, file_hash=digest, status__in=Import.ACTIVE)
    if exclude is not None:
        twins = twins.exclude(pk=exclude)
    return twins.exists()


@transaction.atomic
def upload(*, agent: Agent, content: bytes, file_name: str) -> Import:
    """Read the file and keep it with guessed columns; refuses (``ImportFileError``) a file
    that cannot be read, before anything is written."""
    table = reading.read(content, file_name)
    digest = file_hash(content)
    if _active_twin(agent.service_id, digest):
        raise ImportFileError(ALREADY_RUNNING)
    remembered = dict(
        ColumnMemory.objects.filter(service=agent.service_id).values_list("header_key", "field")
    )
    batch = Import.objects.create(
        service=agent.service,
        agent=agent,
        file_name=file_name[:255],
        file_hash=digest,
        kind=table.kind,
        encoding=table.encoding,
        separator=table.separator,
        content=content,
        headers=table.headers,
        mapping=columns.guess(table.headers, remembered),
        total=len(table.rows),
    )
    record(
        "import.uploaded",
        actor=agent,
        target=batch,
        details={"file": batch.file_name, "rows": batch.total, "format": table.description},
    )
    return batch


@transaction.atomic
def confirm_mapping(*, agent: Agent, batch: Import, mapping: dict[str, str]) -> None:
    """Keep the agent's columns, remember them for the service, and queue the dry run."""
    from jalon.imports import tasks

    mapping = {name: header for name, header in mapping.items() if header in batch.headers}
    missing = columns.missing_required(mapping)
    if missing:
        raise ValidationError(
            "Colonne(s) obligatoire(s) non associée(s) : " + ", ".join(missing) + "."
        )
    locked = Import.objects.select_for_update().get(pk=batch.pk)
    if locked.status != Status.MAPPING:
        return  # a second click: the dry run is already queued
    if _active_twin(locked.service_id, locked.file_hash, exclude=locked.pk):
        raise ImportRefused(ALREADY_RUNNING)
    for name, header in mapping.items():
        ColumnMemory.objects.update_or_create(
            service_id=locked.service_id,
            header_key=columns.header_key(header),
            defaults={"field": name},
        )
    locked.mapping, locked.status = mapping, Status.CHECKING
    try:
        with transaction.atomic():
            locked.save(update_fields=["mapping", "status"])
    except IntegrityError:
        raise ImportRefused(ALREADY_RUNNING) from None
    batch.mapping, batch.status = mapping, Status.CHECKING
    tasks.defer_check(locked.pk)


# --- Finding the person of a row ------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """Who the row's identity is among the registered persons."""

    verdict: str  # Verdict.CREATE, MATCH, PROBABLE or ERROR
    person: Person | None = None
    reason: str = ""


def _same_identity(person: Person, probe: Person) -> bool:
    names = {person.last_name_key + "|" + person.first_names_key}
    return (
        person.birth_date == probe.birth_date
        and probe.last_name_key + "|" + probe.first_names_key in names
        and not (
            person.appi_number and probe.appi_number and person.appi_number != probe.appi_number
        )
    )


def lookup(parsed: Parsed) -> Lookup:
    """Exact identity (same names and birth date, no other APPI number) → that person; the
    same APPI number or phone as someone else → error; a probable duplicate → to confirm."""
    return lookup_many([parsed])[0]


def lookup_many(parsed: list[Parsed]) -> list[Lookup]:
    """``lookup`` for a batch of rows, in two queries (``find_duplicates_many``)."""
    return _lookup_probes([_probe(one) for one in parsed])


def _probe(parsed: Parsed) -> Person:
    """The row's identity as ``register_person`` would store it (not saved)."""
    probe = Person(**parsed.identity.values())
    probe.normalize()
    return probe


def _lookup_probes(probes: list[Person]) -> list[Lookup]:
    reports = find_duplicates_many(
        [
            IdentityQuery(
                probe.last_name,
                probe.first_names,
                probe.birth_date,
                probe.appi_number,
                probe.phone,
            )
            for probe in probes
        ]
    )
    return [_verdict(probe, report) for probe, report in zip(probes, reports, strict=True)]


def _verdict(probe: Person, report: DuplicateReport) -> Lookup:
    everyone = [person for person, _ in report.certain] + report.probable
    for person in everyone:
        if _same_identity(person, probe):
            return Lookup(Verdict.MATCH, person)
    if report.certain:
        person, why = report.certain[0]
        return Lookup(
            Verdict.ERROR,
            person,
            f"Une autre personne a {why} : {person} (née le {person.birth_date:%d/%m/%Y}).",
        )
    if report.probable:
        person = report.probable[0]
        return Lookup(
            Verdict.PROBABLE,
            person,
            f"Ressemble à {person} (née le {person.birth_date:%d/%m/%Y}).",
        )
    return Lookup(Verdict.CREATE)


def _convocation_exists(person: Person, parsed: Parsed) -> bool:
    """The convocation's natural key: the same person, type, agenda and start, not cancelled."""
    booking = parsed.booking
    return booking is not None and (
        Appointment.objects.active()
        .filter(
            person=person,
            appointment_type=booking.appointment_type,
            agenda=booking.agenda,
            starts_at=booking.starts_at,
        )
        .exists()
    )


def _identity_key(probe: Person) -> str:
    return f"{probe.last_name_key}|{probe.first_names_key}|{probe.birth_date.isoformat()}"


# --- Dry run ---------------------------------------------------------------------------------


def _rows_of(batch: Import) -> list[list[str]]:
    return reading.read(bytes(batch.content), batch.file_name).rows


def check(import_id: int) -> None:
    """The dry run, resumable: classify every row, in batches; nothing but ``Row`` written."""
    batch = Import.objects.select_related("agent__service", "agent__profile").get(pk=import_id)
    if batch.status != Status.CHECKING:
        return
    try:
        cells = _rows_of(batch)
    except ImportFileError as error:
        Import.objects.filter(pk=batch.pk).update(status=Status.FAILED, failure=str(error))
        return
    context = Context.of(batch.agent, timezone.now())
    seen: dict[str, int] = dict(
        _seen_identities(batch, context)
    )  # identities of the earlier rows of this file
    for start in range(batch.checked, len(cells), BATCH_SIZE):
        with transaction.atomic():
            rows = _classify(batch, start, cells[start : start + BATCH_SIZE], context, seen)
            _mark_already(batch, rows)
            Row.objects.bulk_create(rows)
            Import.objects.filter(pk=batch.pk).update(checked=start + len(rows))
    Import.objects.filter(pk=batch.pk, status=Status.CHECKING).update(status=Status.CHECKED)


def _seen_identities(batch: Import, context: Context) -> list[tuple[str, int]]:
    """After a crash of the dry run: the identities of the rows already classified."""
    seen = []
    for line, values in batch.rows.order_by("line").values_list("line", "values"):
        try:
            seen.append((_identity_key(_probe(parse(values, context))), line))
        except RowError:
            continue
    return seen


def _row_key(batch: Import, line: int) -> str:
    return f"{batch.service_id}:{batch.file_hash}:{line}"


def _classify(
    batch: Import, start: int, chunk: list[list[str]], context: Context, seen: dict[str, int]
) -> list[Row]:
    """The verdicts of a batch of lines, set-based: the rows are read one by one, then their
    persons looked up together (``lookup_many``), then the convocations and follows of the
    persons found, in one query each."""
    rows: list[Row] = []
    todo: list[tuple[Row, Parsed]] = []
    probes: list[Person] = []
    for offset, cells in enumerate(chunk):
        row, parsed, probe = _read(batch, start + offset + 2, cells, context, seen)
        rows.append(row)
        if parsed is not None and probe is not None:
            todo.append((row, parsed))
            probes.append(probe)
    found = _lookup_probes(probes)
    matched = [
        (row, parsed, one.person)
        for (row, parsed), one in zip(todo, found, strict=True)
        if one.verdict == Verdict.MATCH and one.person is not None
    ]
    booked, followed = _already_there(batch, matched)
    for (row, _), one in zip(todo, found, strict=True):
        row.verdict, row.candidate, row.reason = one.verdict, one.person, one.reason
    for row, parsed, person in matched:
        booking = parsed.booking
        if (
            booking is not None
            and (person.pk, booking.appointment_type.pk, booking.agenda.pk, booking.starts_at)
            in booked
        ) or (booking is None and person.pk in followed):
            row.verdict, row.reason = Verdict.ALREADY, "Déjà enregistrée."
    return rows


def _already_there(
    batch: Import, matched: list[tuple[Row, Parsed, Person]]
) -> tuple[set[tuple[Any, ...]], set[int]]:
    """The convocations (natural key, not cancelled) of the matched persons at the rows'
    starts, and the matched persons the service follows."""
    with_booking = [(parsed.booking, person) for _, parsed, person in matched if parsed.booking]
    without = [person.pk for _, parsed, person in matched if parsed.booking is None]
    booked: set[tuple[Any, ...]] = set()
    if with_booking:
        booked = set(
            Appointment.objects.active()
            .filter(
                person_id__in={person.pk for _, person in with_booking},
                starts_at__in={booking.starts_at for booking, _ in with_booking if booking},
            )
            .values_list("person_id", "appointment_type_id", "agenda_id", "starts_at")
        )
    followed: set[int] = set()
    if without:
        followed = set(
            Follow.objects.filter(person_id__in=without, service=batch.service_id).values_list(
                "person_id", flat=True
            )
        )
    return booked, followed


def _read(
    batch: Import, line: int, cells: list[str], context: Context, seen: dict[str, int]
) -> tuple[Row, Parsed | None, Person | None]:
    """The row of a line, with what it says and its identity when its person is still to
    look up."""
    values = mapped(cells, batch.headers, batch.mapping)
    row = Row(batch=batch, line=line, key=_row_key(batch, line), values=values)
    if not values:
        row.verdict, row.reason = Verdict.ERROR, "Ligne vide."
        return row, None, None
    try:
        parsed = parse(values, context)
    except RowError as error:
        row.verdict, row.reason = Verdict.ERROR, str(error)
        return row, None, None
    probe = _probe(parsed)
    identity = _identity_key(probe)
    if identity in seen:
        row.verdict = Verdict.MATCH
        row.reason = f"Même personne que la ligne {seen[identity]}."
        return row, None, None
    seen[identity] = line
    return row, parsed, probe


def _mark_already(batch: Import, rows: list[Row]) -> None:
    """Rows of the same file already imported by the service: "déjà importée"."""
    done = set(
        Row.objects.filter(key__in=[row.key for row in rows], result__in=Row.IMPORTED)
        .exclude(batch=batch)
        .values_list("key", flat=True)
    )
    for row in rows:
        if row.key in done:
            row.verdict, row.reason = (
                Verdict.ALREADY,
                "Ligne déjà importée par un import précédent.",
            )


# --- Decisions and start -----------------------------------------------------------------------


@transaction.atomic
def decide(*, agent: Agent, batch: Import, decisions: dict[int, str]) -> int:
    """The agent's answer for probable duplicates: same person, or a new one."""
    if batch.status != Status.CHECKED:
        raise ImportRefused("Cet import n’attend plus de confirmation.")
    changed = 0
    for decision in (Row.Decision.SAME, Row.Decision.NEW):
        ids = [pk for pk, value in decisions.items() if value == decision]
        changed += Row.objects.filter(batch=batch, pk__in=ids, verdict=Verdict.PROBABLE).update(
            decision=decision
        )
    return changed


@transaction.atomic
def start(*, agent: Agent, batch: Import) -> bool:
    """Queue the run once: a second click finds it queued and changes nothing."""
    from jalon.imports import tasks

    updated = Import.objects.filter(pk=batch.pk, status=Status.CHECKED).update(status=Status.QUEUED)
    if not updated:
        return False
    batch.status = Status.QUEUED
    record("import.started", actor=agent, target=batch, details={"rows": batch.total})
    tasks.defer_run(batch.pk)
    return True


# --- Run -------------------------------------------------------------------------------------

# Tests set it to simulate a crash in the middle of a run (called before each batch commits).
before_commit: Callable[[int], None] | None = None


def run(import_id: int, *, bulk: bool = True) -> None:
    """The import itself, resumable and idempotent: the rows still to do, in batches.

    Each batch is written in set-based statements (``bulk.run_batch``); ``bulk=False`` takes
    every row through the screens' actions instead, one savepoint each (the reference the
    tests compare the bulk path with)."""
    updated = Import.objects.filter(pk=import_id, status__in=[Status.QUEUED, Status.RUNNING])
    if not updated.update(status=Status.RUNNING, started_at=timezone.now()):
        return
    batch = Import.objects.select_related("agent__service", "agent__profile").get(pk=import_id)
    agent = batch.agent
    context = Context.of(agent, timezone.now())
    number, last_line = 0, 0
    processed = batch.rows.exclude(result=Result.PENDING).count()
    while True:
        with transaction.atomic():
            # From the last line done (the rows are done in line order): the index on
            # (batch, line) is not walked again through the rows already done.
            rows = list(
                batch.rows.filter(result=Result.PENDING, line__gt=last_line)
                .select_related("candidate")
                .order_by("line")[:BATCH_SIZE]
            )
            if not rows:
                break
            last_line = rows[-1].line
            done = set(
                Row.objects.filter(key__in=[row.key for row in rows], result__in=Row.IMPORTED)
                .exclude(batch=batch)
                .values_list("key", flat=True)
            )
            if bulk:
                bulk_path.run_batch(rows, agent, context, done)
            else:
                for row in rows:
                    _run_row(row, agent, context, already=row.key in done)
            _save_results(rows)
            number += 1
            if before_commit is not None:
                before_commit(number)
            processed += len(rows)
            Import.objects.filter(pk=batch.pk).update(processed=processed)
    _finish(batch, agent)


def _save_results(rows: list[Row]) -> None:
    """What the run did with each row, in one statement (``bulk_update`` builds a ``CASE``
    per field and row, seconds for a batch)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE imports_row AS row SET result = given.result, "
            "result_reason = given.reason, person_id = given.person, "
            "appointment_id = given.appointment "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::bigint[]) "
            "AS given (id, result, reason, person, appointment) WHERE row.id = given.id",
            [
                [row.pk for row in rows],
                [row.result for row in rows],
                [row.result_reason for row in rows],
                [row.person.pk if row.person is not None else None for row in rows],
                [row.appointment.pk if row.appointment is not None else None for row in rows],
            ],
        )


def _finish(batch: Import, agent: Agent) -> None:
    with transaction.atomic():
        finished = Import.objects.filter(pk=batch.pk, status=Status.RUNNING).update(
            status=Status.DONE, finished_at=timezone.now(), processed=batch.total, content=b""
        )
        if finished:
            record("import.finished", actor=agent, target=batch, details=counts(batch))


def _run_row(row: Row, agent: Agent, context: Context, *, already: bool) -> None:
    if already:
        row.result, row.result_reason = (
            Result.ALREADY,
            "Ligne déjà importée par un import précédent.",
        )
        return
    try:
        with transaction.atomic():
            _import_row(row, agent, context)
    except RowError as error:
        row.result, row.result_reason = Result.ERROR, str(error)
        row.person = row.appointment = None
    except ValidationError as error:
        row.result, row.result_reason = Result.ERROR, " ".join(error.messages)
        row.person = row.appointment = None


def _import_row(row: Row, agent: Agent, context: Context) -> None:
    parsed = parse(row.values, context)
    person, created = _person_for(row, parsed, agent)
    row.person = person
    if parsed.booking is None:
        if created:
            row.result = Result.CREATED
        elif person.follows.filter(service=agent.service).exists():
            row.result, row.result_reason = Result.ALREADY, "Déjà enregistrée."
        else:
            follow(person, agent.service)
            row.result = Result.MATCHED
        return
    if not created and _convocation_exists(person, parsed):
        row.result, row.result_reason = Result.ALREADY, "Convocation déjà enregistrée."
        return
    booking = parsed.booking
    row.appointment = book_appointment(
        agent=agent,
        person=person,
        appointment_type=booking.appointment_type,
        agenda=booking.agenda,
        starts_at=booking.starts_at,
        prosecution_number=booking.prosecution_number,
    )
    row.result = Result.CREATED if created else Result.MATCHED


def _person_for(row: Row, parsed: Parsed, agent: Agent) -> tuple[Person, bool]:
    found = lookup(parsed)
    if found.verdict == Verdict.MATCH and found.person is not None:
        return found.person, False
    if found.verdict == Verdict.ERROR:
        raise RowError(found.reason)
    confirm = False
    if found.verdict == Verdict.PROBABLE:
        if row.decision == Row.Decision.SAME and row.candidate is not None:
            return row.candidate, False
        if row.decision != Row.Decision.NEW:
            raise RowError(f"Doublon probable non confirmé : {found.reason}")
        confirm = True
    try:
        person = register_person(agent=agent, identity=parsed.identity, confirm_probable=confirm)
    except DuplicatePersonError as error:
        raise RowError("Personne peut-être déjà enregistrée : vérifiez la ligne.") from error
    return person, True


# --- Reading the outcome ---------------------------------------------------------------------


def counts(batch: Import) -> dict[str, Any]:
    """Rows by verdict (dry run) and by result (run), in one query each."""
    from django.db.models import Count

    rows = batch.rows.order_by()
    verdicts = dict(rows.values("verdict").annotate(n=Count("pk")).values_list("verdict", "n"))
    results = dict(rows.values("result").annotate(n=Count("pk")).values_list("result", "n"))
    return {"verdicts": verdicts, "results": results}
