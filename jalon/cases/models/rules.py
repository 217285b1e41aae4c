"""Legal rules as data, with dates of validity (issue 14, point 9).

Delays, limitation periods, allowed orientations and court names change with the law (the
code de procédure pénale is recodified on 1 January 2029): they are rows, read through
``jalon.cases.law.rule(key, on=day)``, never constants in code. A key has at most one row
valid on a given day; ``valid_until`` is the last day of validity (included) or NULL.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class LegalRuleQuerySet(models.QuerySet["LegalRule"]):
    def valid_on(self, day: object) -> LegalRuleQuerySet:
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class LegalRule(models.Model):
    """One value of one legal rule over a period, e.g. ``limitation.years.delit`` = 6."""

    key = models.CharField("clé", max_length=120, db_index=True)
    value = models.JSONField("valeur")
    valid_from = models.DateField("valable à partir du")
    valid_until = models.DateField("valable jusqu’au (inclus)", null=True, blank=True)
    source = models.CharField("source (article, loi)", max_length=300, blank=True)
    label = models.CharField("libellé", max_length=300)

    objects = LegalRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "règle de droit"
        verbose_name_plural = "règles de droit"
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="legal_rule_key_from"),
            models.CheckConstraint(
                name="legal_rule_period_ordered",
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                violation_error_message="La fin de validité précède son début.",
            ),
        ]

    def __str__(self) -> str:
        until = f" au {self.valid_until:%d/%m/%Y}" if self.valid_until else ""
        return f"{self.key} (du {self.valid_from:%d/%m/%Y}{until})"

    def clean(self) -> None:
        # No btree_gist on the embedded database: overlaps are refused here (admin) and the
        # accessor refuses to choose between two rows valid on the same day.
        if not self.key or not self.valid_from:
            return
        others = LegalRule.objects.filter(key=self.key).exclude(pk=self.pk)
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        others = others.filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=self.valid_from)
        )
        clash = others.first()
        if clash is not None:
            raise ValidationError(
                f"Cette période chevauche celle d’une autre valeur de la même règle ({clash})."
            )
