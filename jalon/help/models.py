"""Problems agents report from any page ("Signaler un problème")."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ProblemReportQuerySet(models.QuerySet["ProblemReport"]):
    def open(self) -> ProblemReportQuerySet:
        return self.filter(handled_at__isnull=True)


class ProblemReport(models.Model):
    """What an agent saw, with what support needs to find it in the logs: the page, the
    time and the request id of the page (``X-Request-ID``, in the JSON logs)."""

    agent = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="problem_reports"
    )
    service = models.ForeignKey(
        "access.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField("description")
    page_url = models.CharField("page", max_length=2000, blank=True)
    request_id = models.CharField("référence de la page", max_length=64, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    created_at = models.DateTimeField("signalé le", default=timezone.now)
    handled_at = models.DateTimeField("traité le", null=True, blank=True)
    handled_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=["-created_at"],
                name="help_report_open_idx",
                condition=models.Q(handled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Signalement n° {self.pk}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
