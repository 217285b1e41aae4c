"""Ground truth of the identity measurements: the near-duplicate pairs the generator injected."""

from __future__ import annotations

from django.db import models


class IdentityPair(models.Model):
    """Two generated persons: ``variant`` is ``original`` registered again, slightly altered.

    ``is_duplicate`` is the truth: True when both rows are the same human being (a typo,
    swapped names, lost accents, a hyphen typed as a space), False for the negative
    controls (same names born another day, a twin with another first name).
    """

    class Kind(models.TextChoices):
        TYPO_LAST_NAME = "typo_last_name", "Faute de frappe dans le nom"
        TYPO_FIRST_NAMES = "typo_first_names", "Faute de frappe dans le prénom"
        SWAPPED = "swapped", "Nom et prénom inversés"
        ACCENTS_LOST = "accents_lost", "Accents perdus"
        HYPHEN_SPACE = "hyphen_space", "Trait d’union ou espace"
        OTHER_BIRTH_DATE = "other_birth_date", "Même nom, autre date de naissance"
        TWIN = "twin", "Même nom et date de naissance, autre prénom"

    POSITIVE = frozenset(
        {
            Kind.TYPO_LAST_NAME,
            Kind.TYPO_FIRST_NAMES,
            Kind.SWAPPED,
            Kind.ACCENTS_LOST,
            Kind.HYPHEN_SPACE,
        }
    )

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    original = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    is_duplicate = models.BooleanField("même personne")

    class Meta:
        verbose_name = "paire d’identités injectée"
        verbose_name_plural = "paires d’identités injectées"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.original_id} / {self.variant_id}"
