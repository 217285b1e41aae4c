"""Hearings, judgments, sentences, appeals; and acknowledged warnings.

These tables exist from the start so that the later steps (hearing, judgment, appeal,
execution) add behaviour without reshaping them; most fields are nullable because the step
that fills them comes later. Rows are written only by ``jalon.cases.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jalon.cases.models.procedures import (
    Charge,
    Orientation,
    Party,
    Procedure,
    tribunal_copy_field,
)


class CourtKind(models.TextChoices):
    CORRECTIONAL = "correctional", "Tribunal correctionnel"
    POLICE = "police", "Tribunal de police"
    JUVENILE = "juvenile", "Tribunal pour enfants"
    JUVENILE_JUDGE = "juvenile_judge", "Juge des enfants"
    CRIMINAL = "criminal", "Cour criminelle départementale"
    ASSIZE = "assize", "Cour d’assises"
    APPEAL = "appeal", "Chambre des appels correctionnels"


class Hearing(models.Model):
    """A hearing of a procedure before a chamber, on a date."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="hearings")
    court_kind = models.CharField(
        "juridiction", max_length=20, choices=CourtKind.choices, default=CourtKind.CORRECTIONAL
    )
    court = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="siège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chamber = models.CharField("chambre", max_length=200, blank=True)
    starts_at = models.DateTimeField("date et heure", null=True, blank=True)
    scheduled_at = models.DateTimeField("audiencée le", null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "audience"
        ordering = ["procedure", "starts_at", "id"]
        indexes = [models.Index(fields=["court", "starts_at"], name="hearing_court_starts")]

    def __str__(self) -> str:
        when = f" du {self.starts_at:%d/%m/%Y}" if self.starts_at else ""
        return f"Audience{when} — {self.chamber or self.get_court_kind_display()}"


class Judgment(models.Model):
    """A decision on one defendant of a procedure; an appeal decision ``replaces`` the first."""

    class DeliveryMode(models.TextChoices):
        ADVERSARIAL = "contradictoire", "Contradictoire"
        BY_DEFAULT = "par_defaut", "Par défaut"
        ADVERSARIAL_TO_SERVE = "contradictoire_a_signifier", "Contradictoire à signifier"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="judgments")
    party = models.ForeignKey(
        Party,
        verbose_name="prévenu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judgments",
    )
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="judgments"
    )
    court = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="juridiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    court_kind = models.CharField("formation", max_length=20, choices=CourtKind.choices, blank=True)
    delivered_on = models.DateField("rendu le", null=True, blank=True)
    delivery_mode = models.CharField(
        "caractère", max_length=30, choices=DeliveryMode.choices, blank=True
    )
    served_on = models.DateField("signifié le", null=True, blank=True)
    final_on = models.DateField("définitif le", null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name="remplace la décision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    recorded_at = models.DateTimeField("enregistré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The procedure's tribunal (also for an appeal decision), copied by the database on every
    # write (``cases.copies``): statistics count a tribunal's judgments from one index.
    tribunal = tribunal_copy_field()

    class Meta:
        verbose_name = "jugement"
        ordering = ["procedure", "delivered_on", "id"]
        # Statistics (``stats/chain.py``): judgments delivered over a period.
        indexes = [
            models.Index(fields=["delivered_on"], name="judgment_delivered"),
            models.Index(fields=["tribunal", "delivered_on"], name="judgment_tj_delivered"),
        ]

    def __str__(self) -> str:
        when = f" du {self.delivered_on:%d/%m/%Y}" if self.delivered_on else ""
        return f"Jugement{when}"


class ChargeDecision(models.Model):
    """The verdict on one charge in one judgment."""

    class Verdict(models.TextChoices):
        GUILTY = "guilty", "Coupable"
        ACQUITTED = "relaxe", "Relaxe"

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="decisions")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField("décision", max_length=10, choices=Verdict.choices)

    class Meta:
        verbose_name = "décision sur une infraction"
        verbose_name_plural = "décisions sur les infractions"
        constraints = [
            models.UniqueConstraint(fields=["judgment", "charge"], name="charge_decision_once")
        ]

    def __str__(self) -> str:
        return self.get_verdict_display()


class Sentence(models.Model):
    """One penalty or measure pronounced by a judgment."""

    class Kind(models.TextChoices):
        PRISON = "prison", "Emprisonnement ferme"
        SUSPENDED = "suspended", "Emprisonnement avec sursis simple"
        PROBATION = "probation", "Sursis probatoire"
        COMMUNITY_SERVICE = "tig", "Travail d’intérêt général (TIG)"
        FINE = "fine", "Amende"
        LICENCE_SUSPENSION = "licence", "Suspension du permis de conduire"
        PROHIBITION = "prohibition", "Interdiction"
        ELECTRONIC_HOME_DETENTION = "ddse", "Détention à domicile sous surveillance électronique"
        OTHER_ADJUSTMENT = "adjustment", "Autre aménagement de peine ab initio"

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="sentences")
    kind = models.CharField("peine", max_length=20, choices=Kind.choices)
    months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    suspended_months = models.PositiveSmallIntegerField("dont sursis (mois)", null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(
        "délai d’épreuve (mois)", null=True, blank=True
    )
    hours = models.PositiveSmallIntegerField("heures", null=True, blank=True)
    amount_euros = models.DecimalField(
        "montant (euros)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    obligations = models.JSONField("obligations et interdictions", default=list, blank=True)
    provisional_execution = models.BooleanField("exécution provisoire", default=False)
    details = models.TextField("précisions", blank=True)

    class Meta:
        verbose_name = "peine"
        ordering = ["judgment", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Appeal(models.Model):
    """An appeal lodged against a judgment."""

    class By(models.TextChoices):
        DEFENDANT = "defendant", "Prévenu"
        PROSECUTOR = "prosecutor", "Procureur de la République"
        GENERAL_PROSECUTOR = "general_prosecutor", "Procureur général"
        CIVIL_PARTY = "civil_party", "Partie civile"

    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="appeals")
    by = models.CharField("appelant", max_length=30, choices=By.choices)
    lodged_on = models.DateField("interjeté le")
    suspends = models.BooleanField("suspend l’exécution", default=True)
    recorded_at = models.DateTimeField("enregistré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "appel"
        ordering = ["judgment", "lodged_on", "id"]

    def __str__(self) -> str:
        return f"Appel du {self.lodged_on:%d/%m/%Y} ({self.get_by_display()})"


class Acknowledgement(models.Model):
    """A consistency warning (``jalon.cases.checks``) an agent read and chose to go past."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    charge = models.ForeignKey(
        Charge, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    judgment = models.ForeignKey(
        Judgment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField("contrôle", max_length=80)
    message = models.TextField("avertissement")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "avertissement pris en compte"
        verbose_name_plural = "avertissements pris en compte"
        ordering = ["procedure", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} — {self.at:%d/%m/%Y}"
