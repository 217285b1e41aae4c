"""Communes and the TJ and SPIP whose ressort they belong to (an SRJ-like mapping, MSJ-22)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models

from jalon.core.text import name_key


class CommuneQuerySet(models.QuerySet["Commune"]):
    def matching(self, text: str) -> CommuneQuerySet:
        """Communes matching what an agent typed: an INSEE code, a postal code or a name."""
        text = " ".join(text.split())
        if not text:
            return self.none()
        upper = text.upper()
        if len(upper) == 5 and upper.isalnum() and any(char.isdigit() for char in upper):
            return self.filter(
                models.Q(insee_code=upper) | models.Q(postal_codes__contains=[upper])
            )
        return self.filter(name_key=name_key(text))


class Commune(models.Model):
    """A commune (by its INSEE code), with the tribunal judiciaire and SPIP serving it."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    postal_codes = ArrayField(
        models.CharField(max_length=5), verbose_name="codes postaux", default=list, blank=True
    )
    tribunal = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="tribunal judiciaire",
        on_delete=models.PROTECT,
        related_name="communes",
        limit_choices_to={"kind": "tj"},
    )
    spip = models.ForeignKey(
        "access.Service",
        verbose_name="SPIP",
        on_delete=models.PROTECT,
        related_name="communes",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "insee_code"]

    def __str__(self) -> str:
        postal = f" ({', '.join(self.postal_codes)})" if self.postal_codes else ""
        return f"{self.name}{postal}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
