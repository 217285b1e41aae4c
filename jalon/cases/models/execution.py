"""The execution side of a judgment: its legal calendar, the BEX queue and the measures.

``Execution`` is one row per recorded judgment, written by ``jalon.cases.actions.judgments``:
when the appeal delay starts and ends (``jalon.cases.delays``, with the rule values valid on the
judgment's date), the art. 474 convocation deadlines, and since when the decision may be
executed (final, or provisional execution ordered). An executable decision is in the BEX's queue
until an agent of the BEX takes it in hand. ``Measure`` links a sentence to the SAP or SPIP that
executes it, with the numéro de parquet through the procedure: the services follow the person
(``people.Follow``), the measure says why.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from jalon.cases.models.judgments import Judgment, Sentence


class ExecutionQuerySet(models.QuerySet["Execution"]):
    def in_bex_queue(self) -> ExecutionQuerySet:
        """Executable decisions no BEX agent took in hand yet, oldest first."""
        return self.filter(executable_on__isnull=False, taken_at__isnull=True).order_by(
            "executable_on", "id"
        )

    def awaiting_finality(self) -> ExecutionQuerySet:
        """Decisions whose appeal delay is known and that are neither final nor replaced."""
        return self.filter(
            final_on__isnull=False,
            judgment__final_on__isnull=True,
            judgment__replaced_by__isnull=True,
        )


class Execution(models.Model):
    """One judgment's calendar and place in the execution chain."""

    class Reason(models.TextChoices):
        FINAL = "final", "Décision définitive"
        PROVISIONAL = "provisional", "Exécution provisoire"

    judgment = models.OneToOneField(Judgment, on_delete=models.CASCADE, related_name="execution")
    # The TJ whose BEX executes (the first-instance tribunal, also after an appeal decision).
    tribunal = models.ForeignKey("access.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    appeal_starts_on = models.DateField("délai d’appel à compter du", null=True, blank=True)
    appeal_last_day = models.DateField("dernier jour pour faire appel", null=True, blank=True)
    # The day the judgment becomes final if nobody appeals (the judgment's own final_on is set
    # when that day has come and no appeal was lodged).
    final_on = models.DateField("définitif à partir du", null=True, blank=True)
    spip_by = models.DateField("convocation SPIP au plus tard le", null=True, blank=True)
    jap_by = models.DateField("convocation JAP au plus tard le", null=True, blank=True)
    executable_on = models.DateField("exécutoire depuis le", null=True, blank=True)
    reason = models.CharField("exécutoire par", max_length=12, choices=Reason.choices, blank=True)
    taken_at = models.DateTimeField("prise en charge par le BEX le", null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ExecutionQuerySet.as_manager()

    class Meta:
        verbose_name = "exécution d’un jugement"
        verbose_name_plural = "exécutions des jugements"
        indexes = [
            # Statistics (``stats/chain.py``): decisions taken in hand by a BEX over a period.
            models.Index(fields=["tribunal", "taken_at"], name="execution_tj_taken"),
            models.Index(fields=["taken_at"], name="execution_taken"),
            models.Index(
                fields=["tribunal", "executable_on"],
                name="execution_bex_queue",
                condition=models.Q(executable_on__isnull=False, taken_at__isnull=True),
            ),
            models.Index(
                fields=["final_on"],
                name="execution_pending_final",
                condition=models.Q(final_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Exécution — {self.judgment}"

    def convoke_before_leaving(self, today: date) -> bool:
        """Art. 474: the person, present at a judgment delivered today, must be given a SPIP
        or JAP date before leaving the court (the deadlines are set only when present)."""
        return bool(self.spip_by or self.jap_by) and self.judgment.delivered_on == today


class MeasureQuerySet(models.QuerySet["Measure"]):
    def running(self) -> MeasureQuerySet:
        return self.filter(ended_on__isnull=True)


class Measure(models.Model):
    """A sentence executed by a SAP or a SPIP: what the follow-up of that service is for.

    It runs until its service records its end (``jalon.cases.actions.measures.end_measure``):
    the day and why (executed to its term, revoked, replaced by another decision, other).
    """

    class End(models.TextChoices):
        COMPLETED = "completed", "Mesure exécutée jusqu’à son terme"
        REVOKED = "revoked", "Révocation (sursis ou aménagement révoqué)"
        REPLACED = "replaced", "Remplacée par une autre décision"
        OTHER = "other", "Autre fin (à préciser)"

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="measures")
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="measures")
    service = models.ForeignKey(
        "access.Service", verbose_name="service", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="penal_measures"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    ended_on = models.DateField("terminée le", null=True, blank=True)
    end_reason = models.CharField(
        "motif de fin", max_length=12, choices=End.choices, blank=True, db_default=""
    )
    end_comment = models.TextField("précisions sur la fin", blank=True, db_default="")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "mesure à suivre"
        verbose_name_plural = "mesures à suivre"
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "service"], name="measure_once_per_service"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, end_reason="")
                | (models.Q(ended_on__isnull=False) & ~models.Q(end_reason="")),
                name="measure_end_has_day_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["service", "person"], name="measure_service_person")]

    def __str__(self) -> str:
        return f"{self.sentence} — {self.service}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None
