"""Transfer of a person's follow-up from the services following them to another (MSJ-36).

A service asks (``Transfer``); every service following the person at that moment answers
(``TransferAnswer``). One refusal refuses the request; when every answer is an acceptance
(given or automatic) the follow moves: the requesting service follows the person and the
asked services no longer do.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class TransferQuerySet(models.QuerySet["Transfer"]):
    def pending(self) -> TransferQuerySet:
        return self.filter(status=Transfer.Status.PENDING)

    def for_list(self) -> TransferQuerySet:
        return self.select_related("person", "requesting_service", "requested_by").prefetch_related(
            models.Prefetch(
                "answers",
                queryset=TransferAnswer.objects.select_related("service", "answered_by").order_by(
                    "service__name", "pk"
                ),
            )
        )


class Transfer(models.Model):
    """A request by ``requesting_service`` to take over the follow-up of ``person``."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de réponse"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"
        AUTO_ACCEPTED = "auto_accepted", "Acceptée automatiquement"
        CANCELLED = "cancelled", "Annulée par le demandeur"

    class AutoReason(models.TextChoices):
        NONE = "", "—"
        ARCHIVED = "archived", "personne archivée"
        DORMANT = "dormant", "aucune convocation depuis 6 mois dans les services sollicités"
        NOBODY = "nobody", "aucun service ne suivait la personne"
        NO_ANSWER = "no_answer", "pas de réponse dans les 10 jours"

    person = models.ForeignKey(
        "people.Person", verbose_name="personne", on_delete=models.CASCADE, related_name="transfers"
    )
    requesting_service = models.ForeignKey(
        "access.Service",
        verbose_name="service demandeur",
        on_delete=models.PROTECT,
        related_name="requested_transfers",
    )
    requested_by = models.ForeignKey(
        "access.Agent",
        verbose_name="demandé par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField("motif de la demande")
    notify_person = models.BooleanField(
        "prévenir la personne par SMS de l’annulation de ses convocations à venir", default=True
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    status = models.CharField("état", max_length=15, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    auto_reason = models.CharField(
        "motif d’acceptation automatique",
        max_length=10,
        choices=AutoReason.choices,
        default=AutoReason.NONE,
        blank=True,
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = "transfert de suivi"
        verbose_name_plural = "transferts de suivi"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "requesting_service"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_service",
                violation_error_message=(
                    "Votre service a déjà une demande de transfert en cours pour cette personne."
                ),
            ),
            models.CheckConstraint(
                name="transfer_decided_iff_closed",
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="transfer_status_created"),
            models.Index(fields=["requesting_service", "status"], name="transfer_requester"),
        ]

    def __str__(self) -> str:
        return f"Transfert du suivi de {self.person} vers {self.requesting_service}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class TransferAnswer(models.Model):
    """The answer of one service following the person."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"
        AUTO_ACCEPTED = "auto_accepted", "Acceptée automatiquement"
        VOID = "void", "Sans objet"

    ACCEPTING = (Status.ACCEPTED, Status.AUTO_ACCEPTED)

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="answers")
    service = models.ForeignKey(
        "access.Service",
        verbose_name="service sollicité",
        on_delete=models.PROTECT,
        related_name="transfer_answers",
    )
    status = models.CharField(
        "réponse", max_length=15, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField("motif", blank=True)
    answered_by = models.ForeignKey(
        "access.Agent",
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField("le", null=True, blank=True)
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)

    class Meta:
        verbose_name = "réponse à un transfert"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "service"], name="transfer_answer_unique"),
            models.CheckConstraint(
                name="transfer_refusal_has_reason",
                condition=~Q(status="refused") | ~Q(reason=""),
                violation_error_message="Un refus doit être motivé.",
            ),
        ]
        indexes = [models.Index(fields=["service", "status"], name="transfer_answer_service")]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
