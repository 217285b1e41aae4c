"""Anonymous counts kept when personal data is deleted (MSJ-39).

The retention job deletes a person six months after archiving, with their convocations and
SMS. Before deleting, it adds what those rows were to these daily counts (no person, no
convocation id, no phone or text), in the same transaction. A statistic over a period is
then: what the operational tables still hold + what these tables counted for the deleted
persons, so figures stay true after deletion (CAS-14); ``stats/indicators`` reads both.

The grain is the service's local day (not the month) so that indicators cut by day or week
stay exact after deletion; counts written before that change (migration 0002) carry the
first day of their month. A convocation count also says whether the convocation had a
delivered reminder, which the "absenteeism with and without reminder" indicator needs.
"""

from __future__ import annotations

from django.db import models


class AppointmentCount(models.Model):
    """Convocations of deleted persons: one row per day × service × type × status × reminder."""

    day = models.DateField("jour", help_text="Jour de la convocation, heure locale du service.")
    service = models.ForeignKey(
        "access.Service",
        verbose_name="service qui reçoit",
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment_type = models.ForeignKey(
        "appointments.AppointmentType",
        verbose_name="type",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("statut", max_length=10)
    reminder_delivered = models.BooleanField("rappel reçu", default=False)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "convocations supprimées (décompte anonyme)"
        verbose_name_plural = "convocations supprimées (décomptes anonymes)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "appointment_type", "status", "reminder_delivered"],
                name="appointment_count_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.status} : {self.count}"


class MessageCount(models.Model):
    """SMS of deleted persons: one row per day (of ``send_after``) × service × kind × status."""

    day = models.DateField("jour", help_text="Jour d’envoi prévu, heure locale du service.")
    service = models.ForeignKey(
        "access.Service", verbose_name="service", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type de SMS", max_length=20)
    status = models.CharField("statut", max_length=12)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "SMS supprimés (décompte anonyme)"
        verbose_name_plural = "SMS supprimés (décomptes anonymes)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "kind", "status"], name="message_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.kind} {self.status} : {self.count}"


class MonthlyExport(models.Model):
    """The anonymised national export of one calendar month (``stats/infocentre.py``).

    One row per month: asking again while it is queued or running changes nothing, and a
    finished export is offered as it is unless regenerated on purpose. The zip is kept in the
    row (a few hundred kilobytes: aggregate tables only), so that every application server
    and worker reads the same file without shared storage.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "En échec"

    month = models.DateField("mois", unique=True, help_text="Premier jour du mois.")
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        "access.Agent",
        verbose_name="demandé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField("demandé le")
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    content = models.BinaryField("fichier zip", null=True, blank=True, editable=False)
    row_counts = models.JSONField("lignes par tableau", default=dict, blank=True)
    hidden_cells = models.PositiveIntegerField("cases masquées", default=0)
    error = models.TextField("erreur", blank=True, default="")

    class Meta:
        verbose_name = "export mensuel anonymisé"
        verbose_name_plural = "exports mensuels anonymisés"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Export {self.month:%m/%Y}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# The counts the database keeps up to date for the dashboards (``maintained.py``), and those
# of the deleted transfers, sortie d'audience convocations and situations (``flows.py``).
from jalon.stats.day_models import (  # noqa: E402
    AppointmentDay,
    AppointmentDayChange,
    MessageDay,
    MessageDayChange,
    RefusalChange,
    RefusalCount,
)
from jalon.stats.flow_models import ExitConvocationCount, SituationCount, TransferCount  # noqa: E402

__all__ = [
    "AppointmentCount",
    "AppointmentDay",
    "AppointmentDayChange",
    "ExitConvocationCount",
    "MessageCount",
    "MessageDay",
    "MessageDayChange",
    "MonthlyExport",
    "RefusalChange",
    "RefusalCount",
    "SituationCount",
    "TransferCount",
]
