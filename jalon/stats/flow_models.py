"""Anonymous counts of deleted transfers, sortie d'audience convocations and situations.

As ``AppointmentCount`` and ``MessageCount`` (``stats.models``): the retention job
(``people/retention.py``) adds what it deletes to these rows in the same transaction, and the
families of ``flows.py`` add them to what the operational tables still hold. No person, no id
of a deleted row: a day, a service or a jurisdiction, a state, a delay, a number. Rows are
inserted per deletion batch (the same key may appear on several rows; figures sum them).
"""

from __future__ import annotations

from django.db import models


class TransferCount(models.Model):
    """Transfers of deleted persons: day requested × requesting service × state × delay."""

    day = models.DateField("jour de la demande", help_text="Heure locale du service demandeur.")
    service = models.ForeignKey(
        "access.Service",
        verbose_name="service demandeur",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("état", max_length=15)
    delay_days = models.IntegerField(
        "délai de décision (jours)", null=True, blank=True, help_text="Vide : pas décidée."
    )
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "transferts supprimés (décompte anonyme)"
        verbose_name_plural = "transferts supprimés (décomptes anonymes)"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.status} : {self.count}"


class ExitConvocationCount(models.Model):
    """Sortie d'audience convocations of deleted persons (the first one per judgment and
    kind): judgment day × receiving service × booking service × kind × delay × legal delay."""

    day = models.DateField("jour du jugement")
    service = models.ForeignKey(
        "access.Service", verbose_name="service qui reçoit", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    booked_by = models.ForeignKey(
        "access.Service", verbose_name="service qui convoque", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField("convocation", max_length=4)  # "spip" or "jap"
    delay_days = models.IntegerField("délai (jours)")
    limit_days = models.IntegerField("délai légal (jours)", null=True, blank=True)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "convocations de sortie d’audience supprimées (décompte anonyme)"
        verbose_name_plural = "convocations de sortie d’audience supprimées (décomptes anonymes)"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.kind} {self.delay_days} j : {self.count}"


class SituationCount(models.Model):
    """Deleted situations' dated facts: day × jurisdiction × policy × what happened."""

    class Event(models.TextChoices):
        OPENED = "opened", "créée"
        CLOSED = "closed", "clôturée"
        REVIEW = "review", "revue tenue"

    day = models.DateField("jour")
    jurisdiction = models.ForeignKey(
        "access.Jurisdiction", verbose_name="juridiction", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    policy = models.ForeignKey(
        "situations.Policy", verbose_name="politique pénale", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    event = models.CharField("fait", max_length=10, choices=Event.choices)
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "situations supprimées (décompte anonyme)"
        verbose_name_plural = "situations supprimées (décomptes anonymes)"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.event} : {self.count}"
