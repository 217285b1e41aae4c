"""Public pages (a page per service, general information) and the state of the personal
convocation links sent by SMS (checks, confirmation, move requests)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ServicePage(models.Model):
    """What a service tells the public (MSJ-72); edited by its local admin.

    ``version`` grows on each edit: the cached rendering is keyed by it, so an edit shows at
    once in every process.
    """

    service = models.OneToOneField(
        "access.Service", on_delete=models.CASCADE, related_name="public_page", primary_key=True
    )
    address = models.TextField("adresse", blank=True)
    opening_hours = models.TextField("horaires d’ouverture", blank=True)
    access = models.TextField("accès et accessibilité", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    organisations = models.TextField(
        "structures locales d’accompagnement",
        blank=True,
        help_text="Une structure par ligne : nom, ce qu’elle propose, comment la joindre.",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    updated_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "page publique de service"
        verbose_name_plural = "pages publiques de service"

    def __str__(self) -> str:
        return f"Page publique — {self.service_id}"


class InfoPage(models.Model):
    """A general information page (MSJ-73), written in Markdown by national admins.

    ``body_html`` is the Markdown rendered then sanitised (``core/markdown.py``) when saved.
    """

    slug = models.SlugField("adresse", max_length=60, unique=True)
    title = models.CharField("titre", max_length=150)
    summary = models.CharField("résumé", max_length=300, blank=True)
    body_markdown = models.TextField("contenu (Markdown)")
    body_html = models.TextField(editable=False, default="")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    updated_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "page d’information"
        verbose_name_plural = "pages d’information"
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class LinkState(models.Model):
    """The personal link of one convocation: failed birth-date checks, lock, confirmation."""

    MAX_FAILURES = 5

    appointment = models.OneToOneField(
        "appointments.Appointment",
        on_delete=models.CASCADE,
        related_name="link_state",
        primary_key=True,
    )
    failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField("présence confirmée le", null=True, blank=True)

    class Meta:
        verbose_name = "lien personnel de convocation"
        verbose_name_plural = "liens personnels de convocation"

    def __str__(self) -> str:
        return f"Lien de la convocation {self.appointment_id}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MoveRequest(models.Model):
    """A person asks, through their link, to move a convocation; an agent accepts or refuses.

    Nothing changes on the convocation until then; once accepted, the agent reschedules it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.CASCADE, related_name="move_requests"
    )
    reason = models.TextField("motif")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField("réponse à la personne", blank=True)

    class Meta:
        verbose_name = "demande de report"
        verbose_name_plural = "demandes de report"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status="pending"),
                name="move_request_one_pending",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="move_request_status")]

    def __str__(self) -> str:
        return f"Demande de report — convocation {self.appointment_id}"
