"""SMS templates and the outbox: each SMS is a row written with the business change.

A ``Message`` is created in the same transaction as the booking (or cancellation …) that
causes it, and its sending job is deferred in that transaction too: no booking without its
reminder, no reminder for a booking rolled back. The job claims the row
(``pending → sending``) before calling the provider, so a message is handed over at most
once; a periodic task settles rows left ``sending`` by a crash from receipts or the
provider's status API, never by sending again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReminderHours(models.IntegerChoices):
    """The reminder delays a convocation type or a service may choose: their one home
    (``appointments.AppointmentType.ReminderDelay`` is this class)."""

    DAY = 24, "24 heures avant"
    TWO_DAYS = 48, "48 heures avant"


class MessageKind(models.TextChoices):
    CONVOCATION = "convocation", "Convocation"
    REMINDER = "reminder", "Rappel"
    RESCHEDULE = "reschedule", "Replanification"
    CANCELLATION = "cancellation", "Annulation"
    MISSED = "missed", "Convocation non honorée"


class AccountKind(models.TextChoices):
    """SMS of the person's space (``jalon/space``), about no convocation: their text is
    written by the space app at send time (``content.register_account_text``), not by a
    template the services edit."""

    INVITATION = "space_invitation", "Invitation à l’espace personnel"
    CODE = "space_code", "Code de l’espace personnel"


class SmsTemplate(models.Model):
    """The text of one kind of SMS: national default per type, or a service's override (MSJ-46)."""

    kind = models.CharField("type de SMS", max_length=20, choices=MessageKind.choices)
    appointment_type = models.ForeignKey(
        "appointments.AppointmentType",
        verbose_name="type de convocation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide : tous les types de convocation.",
    )
    service = models.ForeignKey(
        "access.Service",
        verbose_name="service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_templates",
        help_text="Vide : modèle national.",
    )
    text = models.TextField("texte")
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "modèle de SMS"
        verbose_name_plural = "modèles de SMS"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "appointment_type", "service"],
                name="sms_template_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.appointment_type or 'tous types'}"


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "À envoyer"
        SENDING = "sending", "En cours d’envoi"
        SENT = "sent", "Parti vers l’opérateur"
        DELIVERED = "delivered", "Reçu"
        UNDELIVERED = "undelivered", "Non reçu"
        FAILED = "failed", "En échec"
        CANCELLED = "cancelled", "Annulé"

    class Undelivered(models.TextChoices):
        """Why the phone did not get it, from the provider's result code."""

        TEMPORARY = "temporary", "Téléphone éteint ou hors réseau (non reçu pour l’instant)"
        PERMANENT = "permanent", "Numéro inexistant ou refusé par l’opérateur (définitif)"

    FINAL = frozenset({Status.DELIVERED, Status.UNDELIVERED, Status.FAILED, Status.CANCELLED})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        "type", max_length=20, choices=[*MessageKind.choices, *AccountKind.choices]
    )
    # Empty only for the person's space messages (``AccountKind``).
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="messages")
    service = models.ForeignKey("access.Service", on_delete=models.PROTECT, related_name="+")
    phone = models.CharField("numéro", max_length=20)
    text = models.TextField("texte envoyé", blank=True)
    send_after = models.DateTimeField("à envoyer à partir de")
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    provider = models.CharField("opérateur", max_length=30, blank=True)
    provider_reference = models.CharField("référence opérateur", max_length=100, blank=True)
    error = models.CharField("motif d’échec", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField("parti le", null=True, blank=True)
    delivered_at = models.DateTimeField("reçu le", null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A claim belongs to one batch (``claim_owner``) until ``lease_until``; a batch checks
    # it still owns a row before each provider call. For a row left ``sending`` without an
    # owner (answer lost), ``lease_until`` is when to ask the provider again.
    claim_owner = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Set just before the provider is called: a ``sending`` row whose claim never got this
    # far never left, and goes back to ``pending`` without asking anyone.
    handed_at = models.DateTimeField(null=True, blank=True)
    # A database default too: bulk writers (the synthetic dataset's COPY) name their columns.
    undelivered = models.CharField(
        "non reçu", max_length=10, choices=Undelivered.choices, blank=True, db_default=""
    )

    class Meta:
        verbose_name = "SMS"
        verbose_name_plural = "SMS"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                # A failed reminder may be sent again ("renvoyer"); two live ones, never.
                condition=Q(kind="reminder") & ~Q(status__in=["cancelled", "failed"]),
                name="one_live_reminder_per_appointment",
                violation_error_message="Cette convocation a déjà un rappel.",
            )
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="message_due"),
            models.Index(fields=["service", "status"], name="message_service_status"),
            # Statistics of a wide area: the period's SMS by planned sending, index only.
            models.Index(
                fields=["send_after"],
                include=["service", "kind", "status"],
                name="message_send_after",
            ),
            models.Index(
                fields=["lease_until"],
                condition=Q(status="sending"),
                name="message_sending_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class MessageEvent(models.Model):
    """The status timeline of one SMS, shown on the convocation (MSJ-52, MSJ-53)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Message.Status.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.at:%d/%m/%Y %H:%M}"


class ReminderDelay(models.Model):
    """A service's own reminder delay for one convocation type (default: the type's)."""

    service = models.ForeignKey(
        "access.Service", verbose_name="service", on_delete=models.CASCADE, related_name="+"
    )
    appointment_type = models.ForeignKey(
        "appointments.AppointmentType",
        verbose_name="type de convocation",
        on_delete=models.CASCADE,
        related_name="+",
    )
    delay_hours = models.PositiveSmallIntegerField("rappel", choices=ReminderHours.choices)

    class Meta:
        verbose_name = "délai de rappel d’un service"
        verbose_name_plural = "délais de rappel des services"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "appointment_type"], name="reminder_delay_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.appointment_type} : {self.delay_hours} h"

    @classmethod
    def for_appointment(cls, appointment: Any) -> int:
        override = (
            cls.objects.filter(
                service_id=appointment.service_id,
                appointment_type_id=appointment.appointment_type_id,
            )
            .values_list("delay_hours", flat=True)
            .first()
        )
        return override or appointment.appointment_type.reminder_delay_hours
