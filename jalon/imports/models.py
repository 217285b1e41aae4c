"""An import of persons and convocations from a file, its rows and the remembered columns.

``Import`` keeps the uploaded file (at most 20 MB) until it is done, the column mapping, its
status and progress. ``Row`` is one line of the file: what the dry run found (``verdict``),
the agent's decision for a probable duplicate, and what the run did (``result``), with the
person and convocation it created or matched. The partial unique constraints make the run
idempotent: a row key (service, file hash, line) is imported at most once, and a file is
never imported twice at the same time by one service.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Import(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", "colonnes à associer"
        CHECKING = "checking", "vérification en cours"
        CHECKED = "checked", "vérifié, à lancer"
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        DONE = "done", "terminé"
        FAILED = "failed", "interrompu"
        ABANDONED = "abandoned", "abandonné"

    ACTIVE = (Status.CHECKING, Status.QUEUED, Status.RUNNING)

    service = models.ForeignKey("access.Service", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("access.Agent", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=4)
    encoding = models.CharField(max_length=20, blank=True)
    separator = models.CharField(max_length=1, blank=True)
    content = models.BinaryField()
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    total = models.PositiveIntegerField(default=0)
    # Rows checked by the dry run, then rows handled by the run, in committed batches.
    checked = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    # The step a failed job stopped in ("checking" or "running"), to resume it; empty when
    # the failure cannot be resumed (an unreadable file).
    failed_during = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "file_hash"],
                condition=Q(status__in=["checking", "queued", "running"]),
                name="import_one_active_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"Import {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        done = (
            self.processed
            if self.status in (self.Status.RUNNING, self.Status.DONE)
            else self.checked
        )
        return min(100, done * 100 // self.total)


class Row(models.Model):
    class Verdict(models.TextChoices):
        CREATE = "create", "sera créée"
        MATCH = "match", "correspond à une personne existante"
        PROBABLE = "probable", "doublon probable à confirmer"
        ALREADY = "already", "déjà importée"
        ERROR = "error", "erreur"

    class Decision(models.TextChoices):
        NONE = "", "à confirmer"
        SAME = "same", "même personne"
        NEW = "new", "nouvelle personne"

    class Result(models.TextChoices):
        PENDING = "", "à traiter"
        CREATED = "created", "créée"
        MATCHED = "matched", "personne existante"
        ALREADY = "already", "déjà importée"
        ERROR = "error", "erreur"

    IMPORTED = (Result.CREATED, Result.MATCHED)

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    key = models.CharField(max_length=100)
    values = models.JSONField(default=dict)
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.TextField(blank=True)
    candidate = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=4, choices=Decision.choices, blank=True, default="")
    result = models.CharField(max_length=10, choices=Result.choices, blank=True, default="")
    result_reason = models.TextField(blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "appointments.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="import_row_line_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(result__in=["created", "matched"]),
                name="import_row_imported_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Ligne {self.line}"


class ColumnMemory(models.Model):
    """A header a service mapped to one of our fields: guessed again for its next files."""

    service = models.ForeignKey("access.Service", on_delete=models.CASCADE, related_name="+")
    header_key = models.CharField(max_length=200)
    field = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "header_key"], name="column_memory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.header_key} → {self.field}"
