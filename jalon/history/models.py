"""History: who did what to which object, when and from where.

Events are append-only through the application: there is no view that edits them and
the Django admin shows them read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from jalon.history.registry import label_for, summary_for


class EventQuerySet(models.QuerySet["Event"]):
    def for_object(self, obj: models.Model) -> EventQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )

    def timeline(self) -> EventQuerySet:
        return self.select_related("actor").order_by("-created_at", "-id")

    def recent_targets(self, model: type[models.Model], limit: int) -> list[str]:
        """Ids of the ``model`` rows these events are about, most recent first, each once
        (one query: the events grouped by target)."""
        return list(
            self.filter(target_type=ContentType.objects.get_for_model(model))
            .values("target_id")
            .annotate(last=models.Max("created_at"))
            .order_by("-last", "-target_id")
            .values_list("target_id", flat=True)[:limit]
        )


class Event(models.Model):
    created_at = models.DateTimeField("date", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField("auteur (au moment des faits)", max_length=300, blank=True)
    action = models.CharField("action", max_length=80)
    target_type = models.ForeignKey(
        ContentType, verbose_name="type d’objet", on_delete=models.PROTECT, null=True, blank=True
    )
    target_id = models.CharField("identifiant de l’objet", max_length=64, blank=True)
    target_label = models.CharField("objet (au moment des faits)", max_length=300, blank=True)
    client_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    request_id = models.CharField("requête", max_length=64, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "-created_at"], name="event_target_idx"
            ),
            models.Index(fields=["actor", "-created_at"], name="event_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="event_action_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
        )

    @property
    def label(self) -> str:
        return label_for(self.action)

    @property
    def summary(self) -> str:
        return summary_for(self.action, self.details)
