"""The NATINF referential: offences, their editions and wordings."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jalon.cases.natinf import Kind


class NatinfEdition(models.Model):
    """One imported edition of the official list (DACG publishes one a quarter)."""

    name = models.CharField("édition", max_length=40, unique=True)
    in_force_from = models.DateField("en vigueur à partir du")
    file_name = models.CharField("fichier", max_length=255, blank=True)
    imported_at = models.DateTimeField("importée le", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-in_force_from"]
        verbose_name = "édition NATINF"
        verbose_name_plural = "éditions NATINF"

    def __str__(self) -> str:
        return f"NATINF {self.name}"


class OffenceQuerySet(models.QuerySet["Offence"]):
    def in_force_on(self, day: object) -> OffenceQuerySet:
        return self.filter(in_force_from__lte=day).filter(
            models.Q(retired_from__isnull=True) | models.Q(retired_from__gt=day)
        )


class Offence(models.Model):
    """A NATINF number with its current wording. Never deleted: old procedures keep it."""

    class KindChoices(models.TextChoices):
        CRIME = Kind.CRIME, "Crime"
        DELIT = Kind.DELIT, "Délit"
        CONTRAVENTION = Kind.CONTRAVENTION, "Contravention"
        OTHER = Kind.OTHER, "Autre"

    number = models.PositiveIntegerField("numéro NATINF", unique=True)
    # The digits as text, for the picker's prefix search on a text_pattern_ops index.
    number_key = models.TextField()
    nature = models.CharField("nature", max_length=100)
    kind = models.CharField(max_length=20, choices=KindChoices.choices)
    contravention_class = models.PositiveSmallIntegerField(null=True, blank=True)
    qualification = models.TextField("qualification")
    defined_by = models.TextField("définie par", blank=True)
    punished_by = models.TextField("réprimée par", blank=True)
    in_force_from = models.DateField("en vigueur à partir du")
    retired_from = models.DateField("plus en vigueur à partir du", null=True, blank=True)
    first_edition = models.ForeignKey(NatinfEdition, on_delete=models.PROTECT, related_name="+")
    last_edition = models.ForeignKey(NatinfEdition, on_delete=models.PROTECT, related_name="+")

    objects = OffenceQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = "infraction NATINF"
        verbose_name_plural = "infractions NATINF"
        indexes = [
            models.Index(
                fields=["number_key"], opclasses=["text_pattern_ops"], name="offence_number_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.qualification}"

    @property
    def in_force(self) -> bool:
        return self.retired_from is None


class OffenceVersion(models.Model):
    """One wording of an offence and the dates it was valid (``valid_until`` excluded)."""

    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, related_name="versions")
    edition = models.ForeignKey(NatinfEdition, on_delete=models.PROTECT, related_name="+")
    nature = models.CharField(max_length=100)
    qualification = models.TextField()
    defined_by = models.TextField(blank=True)
    punished_by = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["offence", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["offence"],
                condition=models.Q(valid_until__isnull=True),
                name="offence_one_current_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offence_id} depuis {self.valid_from}"


class OffenceWord(models.Model):
    """One normalised word of an offence's current qualification: the picker's word index.

    No ``pg_trgm``/``unaccent`` on the embedded database, so words are normalised in Python
    (``jalon.core.text``) and found by prefix (``LIKE 'word%'``) on a text_pattern_ops index.
    """

    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, related_name="+")
    word = models.TextField()

    class Meta:
        indexes = [
            models.Index(
                fields=["word"], opclasses=["text_pattern_ops"], name="offence_word_prefix"
            ),
        ]

    def __str__(self) -> str:
        return self.word
