"""Import of an edition of the NATINF list: added, changed, retired and rejected rows.

Rules (docs/cases.md): a number absent from the new edition is no longer in force from the
edition's date and is never deleted (old procedures keep it); a new number is in force from
that date; a changed wording closes the current version and opens a new one. A row rejected
for a readable number leaves that number as it was (a typo in a row must not retire an
offence). Re-importing the same file changes nothing. One transaction: a file-level error
saves nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, models, transaction

from jalon.cases.models import NatinfEdition, Offence, OffenceVersion, OffenceWord
from jalon.cases.natinf import NatinfFileError, NatinfRow, RejectedRow, kind_of, parse, search_words
from jalon.history.actions import record

if TYPE_CHECKING:
    from jalon.access.models import Agent

# Serialises imports: two editions imported at once would each retire the other's numbers.
_IMPORT_LOCK = 0x4E4154  # "NAT"

_OFFENCE_COLUMNS = (
    "number",
    "number_key",
    "nature",
    "kind",
    "contravention_class",
    "qualification",
    "defined_by",
    "punished_by",
    "in_force_from",
    "first_edition_id",
    "last_edition_id",
)
_VERSION_COLUMNS = (
    "offence_id",
    "edition_id",
    "nature",
    "qualification",
    "defined_by",
    "punished_by",
    "valid_from",
)

ADDED, CHANGED, RETIRED, REINSTATED = "added", "changed", "retired", "reinstated"
STATUS_LABELS = {
    ADDED: "ajoutée",
    CHANGED: "modifiée",
    RETIRED: "plus en vigueur",
    REINSTATED: "de nouveau en vigueur",
}
_FIELD_LABELS = {
    "nature": "nature",
    "qualification": "qualification",
    "defined_by": "définie par",
    "punished_by": "réprimée par",
}


@dataclass(frozen=True)
class Outcome:
    """What the import did to one number; ``line`` is ``None`` for a retired number."""

    line: int | None
    number: int
    status: str
    detail: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class NatinfReport:
    edition: str
    in_force_from: datetime.date
    outcomes: list[Outcome] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def added(self) -> int:
        return self.count(ADDED)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)

    @property
    def retired(self) -> int:
        return self.count(RETIRED)

    @property
    def reinstated(self) -> int:
        return self.count(REINSTATED)

    def summary(self) -> str:
        prefix = "Vérification (rien n’est enregistré) : " if self.dry_run else ""
        return (
            f"{prefix}édition {self.edition} (en vigueur le {self.in_force_from:%d/%m/%Y}) : "
            f"{self.added} infraction(s) ajoutée(s), {self.changed} modifiée(s), "
            f"{self.retired} plus en vigueur, {self.reinstated} de nouveau en vigueur, "
            f"{self.unchanged} inchangée(s), {len(self.rejected)} ligne(s) rejetée(s)."
        )


def _changed_fields(offence: Offence, row: NatinfRow) -> list[str]:
    return [name for name in _FIELD_LABELS if getattr(offence, name) != getattr(row, name)]


def _edition(name: str, in_force_from: datetime.date, agent: Agent | None, file_name: str):
    """The edition to import into; refuses an edition older than the latest one."""
    existing = NatinfEdition.objects.filter(name=name).first()
    latest = NatinfEdition.objects.order_by("-in_force_from", "-pk").first()
    if existing is not None:
        if existing.in_force_from != in_force_from:
            raise NatinfFileError(
                f"L’édition {name} est déjà importée, en vigueur le "
                f"{existing.in_force_from:%d/%m/%Y} : même date attendue."
            )
        if latest is not None and latest.pk != existing.pk:
            raise NatinfFileError(
                f"L’édition {name} a été remplacée par l’édition {latest.name} : seule la "
                "dernière édition peut être importée à nouveau."
            )
        return existing
    if latest is not None and in_force_from < latest.in_force_from:
        raise NatinfFileError(
            f"L’édition {latest.name}, en vigueur le {latest.in_force_from:%d/%m/%Y}, est plus "
            "récente : une édition antérieure ne peut plus être importée."
        )
    return NatinfEdition.objects.create(
        name=name, in_force_from=in_force_from, imported_by=agent, file_name=file_name[:255]
    )


def import_natinf(
    content: bytes,
    *,
    edition: str,
    in_force_from: datetime.date,
    agent: Agent | None,
    file_name: str = "",
    dry_run: bool = False,
) -> NatinfReport:
    """Apply one edition of the official file; ``dry_run`` checks and reports, saves nothing."""
    edition = " ".join(edition.split())
    if not edition or len(edition) > 40:
        raise NatinfFileError("Nom d’édition manquant ou trop long (40 caractères au plus).")
    good, rejected = parse(content)
    if not good:
        raise NatinfFileError("Aucune ligne valide : rien n’est importé.")
    report = NatinfReport(edition, in_force_from, rejected=rejected, dry_run=dry_run)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
        saved_edition = _edition(edition, in_force_from, agent, file_name)
        _apply(saved_edition, good, rejected, report)
        if dry_run:
            transaction.set_rollback(True)
            return report
        # Added up over the imports of this edition: importing the same file again adds 0.
        saved_edition.added += report.added + report.reinstated
        saved_edition.changed += report.changed
        saved_edition.retired += report.retired
        saved_edition.rejected = len(rejected)
        saved_edition.save(update_fields=["added", "changed", "retired", "rejected"])
        record(
            "natinf.imported",
            actor=agent,
            target=saved_edition,
            details={
                "file": file_name,
                "edition": edition,
                "in_force_from": in_force_from.isoformat(),
                "added": report.added,
                "changed": report.changed,
                "retired": report.retired,
                "reinstated": report.reinstated,
                "unchanged": report.unchanged,
                "rejected": len(rejected),
                "rejected_lines": [row.line for row in rejected][:200],
            },
        )
    return report


def _apply(
    edition: NatinfEdition,
    good: list[NatinfRow],
    rejected: list[RejectedRow],
    report: NatinfReport,
) -> None:
    day = edition.in_force_from
    existing = {offence.number: offence for offence in Offence.objects.all()}
    new_rows: list[NatinfRow] = []
    reworded: list[tuple[Offence, NatinfRow]] = []
    updated: list[Offence] = []
    for row in good:
        offence = existing.get(row.number)
        if offence is None:
            new_rows.append(row)
            report.outcomes.append(Outcome(row.line, row.number, ADDED))
            continue
        changed = _changed_fields(offence, row)
        if offence.retired_from is not None:
            offence.retired_from = None
            updated.append(offence)
            detail = "modifiée : " + ", ".join(_FIELD_LABELS[n] for n in changed) if changed else ""
            report.outcomes.append(Outcome(row.line, row.number, REINSTATED, detail))
        elif changed:
            updated.append(offence)
            detail = "modifiée : " + ", ".join(_FIELD_LABELS[name] for name in changed)
            report.outcomes.append(Outcome(row.line, row.number, CHANGED, detail))
        else:
            report.unchanged += 1
        if changed:
            reworded.append((offence, row))
    listed = {row.number for row in good} | {row.number for row in rejected if row.number}
    retiring = [
        offence
        for number, offence in existing.items()
        if number not in listed and offence.retired_from is None
    ]
    for offence in retiring:
        offence.retired_from = day
        report.outcomes.append(
            Outcome(None, offence.number, RETIRED, f"absente de l’édition {edition.name}")
        )
    report.outcomes.sort(
        key=lambda outcome: (outcome.line is None, outcome.line or 0, outcome.number)
    )

    created = _create(edition, new_rows)
    _reword(edition, reworded)
    Offence.objects.bulk_update(
        updated + retiring,
        [
            "retired_from",
            "nature",
            "kind",
            "contravention_class",
            "qualification",
            "defined_by",
            "punished_by",
        ],
        batch_size=1000,
    )
    # One statement rather than 17,000 updates: which numbers this edition lists.
    Offence.objects.filter(number__in=[row.number for row in good]).exclude(
        last_edition=edition
    ).update(last_edition=edition)
    _index_words(created + [offence for offence, _ in reworded])


def _fill(offence: Offence, row: NatinfRow) -> Offence:
    kind, klass = kind_of(row.nature)
    offence.nature, offence.kind, offence.contravention_class = row.nature, kind, klass
    offence.qualification, offence.defined_by, offence.punished_by = (
        row.qualification,
        row.defined_by,
        row.punished_by,
    )
    return offence


def _version(offence: Offence, edition: NatinfEdition) -> OffenceVersion:
    return OffenceVersion(
        offence=offence,
        edition=edition,
        nature=offence.nature,
        qualification=offence.qualification,
        defined_by=offence.defined_by,
        punished_by=offence.punished_by,
        valid_from=edition.in_force_from,
    )


def _create(edition: NatinfEdition, rows: list[NatinfRow]) -> list[Offence]:
    """The new offences and their first wordings, written with COPY: a full edition adds
    some 17,000 of each, and row-by-row INSERTs would spend the 10 s budget alone."""
    if not rows:
        return []
    offences = [
        _fill(
            Offence(
                number=row.number,
                number_key=str(row.number),
                in_force_from=edition.in_force_from,
                first_edition=edition,
                last_edition=edition,
            ),
            row,
        )
        for row in rows
    ]
    _copy(Offence, _OFFENCE_COLUMNS, _values(offences, _OFFENCE_COLUMNS))
    ids = dict(Offence.objects.filter(first_edition=edition).values_list("number", "pk").iterator())
    for offence in offences:
        offence.pk = ids[offence.number]
    versions = [_version(offence, edition) for offence in offences]
    _copy(OffenceVersion, _VERSION_COLUMNS, _values(versions, _VERSION_COLUMNS))
    return offences


def _values(instances: Iterable[object], columns: tuple[str, ...]) -> Iterator[tuple[object, ...]]:
    for instance in instances:
        yield tuple(getattr(instance, column) for column in columns)


def _copy(
    model: type[models.Model], columns: tuple[str, ...], rows: Iterable[tuple[object, ...]]
) -> None:
    """Write ``rows`` (values in the order of ``columns``) into ``model``'s table with COPY."""
    names = ", ".join(f'"{column}"' for column in columns)
    statement = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reword(edition: NatinfEdition, reworded: list[tuple[Offence, NatinfRow]]) -> None:
    """Close each current wording at the edition's date (excluded) and open the new one; a
    wording opened by this same edition (a corrected file imported again) is replaced."""
    if not reworded:
        return
    day = edition.in_force_from
    ids = [offence.pk for offence, _ in reworded]
    current = OffenceVersion.objects.filter(offence_id__in=ids, valid_until__isnull=True)
    current.filter(valid_from__gte=day).delete()
    current.filter(valid_from__lt=day).update(valid_until=day)
    for offence, row in reworded:
        _fill(offence, row)
    OffenceVersion.objects.bulk_create([_version(offence, edition) for offence, _ in reworded])


def _index_words(offences: Iterable[Offence]) -> None:
    offences = list(offences)
    if not offences:
        return
    OffenceWord.objects.filter(offence_id__in=[offence.pk for offence in offences]).delete()
    # COPY: the full list has some 200,000 words, too many for INSERTs within 10 s.
    words = (
        (offence.pk, word) for offence in offences for word in search_words(offence.qualification)
    )
    _copy(OffenceWord, ("offence_id", "word"), words)
