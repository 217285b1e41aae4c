"""Ground truth of the identity measurements: the near-duplicate pairs the generator injected."""

from __future__ import annotations

from django.db import models


class IdentityPair(models.Model):
    """Two generated persons: ``variant`` is ``original`` registered again, slightly altered.

    ``is_duplicate`` is the truth: True when both rows are the same human being registered
    with the errors real files contain (``POSITIVE``), False for the negative controls (a
    namesake born another day, a twin with another first name). The errors are drawn by
    ``dataset/identity.py`` independently of the matcher.
    """

    class Kind(models.TextChoices):
        TYPO = "typo", "Faute de frappe dans le nom ou le prénom"
        TRANSPOSITION = "transposition", "Deux lettres interverties dans le nom"
        SWAPPED = "swapped", "Nom et prénom inversés"
        ACCENT_HYPHEN = "accent_hyphen", "Accent ou trait d’union différent"
        BIRTH_DIGIT = "birth_digit", "Un chiffre de la date de naissance erroné"
        DAY_MONTH_SWAPPED = "day_month_swapped", "Jour et mois de naissance inversés"
        FIRST_NAME_ADDED = "first_name_added", "Second prénom ajouté"
        FIRST_NAME_DROPPED = "first_name_dropped", "Second prénom omis"
        USAGE_NAME = "usage_name", "Nom d’usage (nom marital)"
        PHONE_CHANGED = "phone_changed", "Autre numéro de téléphone"
        OTHER_BIRTH_DATE = "other_birth_date", "Même nom, autre date de naissance"
        TWIN = "twin", "Même nom et date de naissance, autre prénom"

    POSITIVE = frozenset(
        {
            Kind.TYPO,
            Kind.TRANSPOSITION,
            Kind.SWAPPED,
            Kind.ACCENT_HYPHEN,
            Kind.BIRTH_DIGIT,
            Kind.DAY_MONTH_SWAPPED,
            Kind.FIRST_NAME_ADDED,
            Kind.FIRST_NAME_DROPPED,
            Kind.USAGE_NAME,
            Kind.PHONE_CHANGED,
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
