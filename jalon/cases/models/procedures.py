"""The procedure (affaire) as registered and oriented by the parquet of a tribunal judiciaire.

A procedure holds parties (persons with a role), charges (one NATINF offence each, against a
mis en cause when known) and orientations (the parquet's decision per mis en cause). Rows are
written only by ``jalon.cases.actions``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Least

from jalon.core.parquet import format_parquet_number


class Stage(models.TextChoices):
    """Where a procedure stands in the penal chain, from the bureau d'ordre to its end."""

    REGISTERED = "registered", "Enregistrée"
    ORIENTED = "oriented", "Orientée"
    DISMISSED = "dismissed", "Classée sans suite"
    AWAITING_HEARING = "awaiting_hearing", "Audiencée (en attente d’audience)"
    JUDGED = "judged", "Jugée"
    UNDER_APPEAL = "under_appeal", "En appel"
    FINAL = "final", "Définitive"
    TO_EXECUTE = "to_execute", "À exécuter"
    IN_EXECUTION = "in_execution", "En exécution"
    CLOSED = "closed", "Close"


# Stages where the parquet may still orient (or re-orient) the procedure.
ORIENTABLE_STAGES = frozenset({Stage.REGISTERED, Stage.ORIENTED, Stage.DISMISSED})
# Stages after a first judgment: what the BEX executes.
JUDGED_STAGES = frozenset(
    {
        Stage.JUDGED,
        Stage.UNDER_APPEAL,
        Stage.FINAL,
        Stage.TO_EXECUTE,
        Stage.IN_EXECUTION,
        Stage.CLOSED,
    }
)
# Stages where a trial court is seized: the hearing is scheduled, or the court has ruled.
BEFORE_THE_COURT_STAGES = frozenset({Stage.AWAITING_HEARING, *JUDGED_STAGES})


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def of_tribunal(self, tribunal_id: int) -> ProcedureQuerySet:
        return self.filter(tribunal_id=tribunal_id)

    def with_parquet_number(self, canonical: str) -> ProcedureQuerySet:
        """Exact lookup on the canonical 11 digits (``jalon.core.parquet.parse_parquet_number``)."""
        return self.filter(parquet_number=canonical)

    def at_stage(self, *stages: str) -> ProcedureQuerySet:
        return self.filter(stage__in=stages)

    def awaiting_orientation(self) -> ProcedureQuerySet:
        return self.filter(stage=Stage.REGISTERED)

    def under_appeal(self) -> ProcedureQuerySet:
        return self.filter(stage=Stage.UNDER_APPEAL)

    def of_person(self, person_id: int) -> ProcedureQuerySet:
        return self.filter(parties__person_id=person_id).distinct()

    def for_list(self) -> ProcedureQuerySet:
        return self.select_related("tribunal").order_by("-received_on", "-id")


class Procedure(models.Model):
    """An affaire registered at the bureau d'ordre of a TJ's parquet, under its numéro de parquet."""

    class Origin(models.TextChoices):
        POLICE_REPORT = "police", "Procès-verbal de police"
        GENDARMERIE_REPORT = "gendarmerie", "Procès-verbal de gendarmerie"
        COMPLAINT = "complaint", "Plainte"
        OTHER = "other", "Autre"

    tribunal = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="tribunal judiciaire",
        on_delete=models.PROTECT,
        related_name="procedures",
        limit_choices_to={"kind": "tj"},
    )
    parquet_number = models.CharField("numéro de parquet", max_length=11)
    origin = models.CharField("origine", max_length=20, choices=Origin.choices)
    origin_unit = models.CharField("service ou unité d’origine", max_length=200, blank=True)
    origin_reference = models.CharField("numéro de procès-verbal", max_length=100, blank=True)
    summary = models.TextField("résumé des faits", blank=True)
    facts_from = models.DateField("faits du", null=True, blank=True)
    facts_until = models.DateField("faits jusqu’au", null=True, blank=True)
    received_on = models.DateField("reçue le")
    registered_at = models.DateTimeField("enregistrée le")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(
        "étape", max_length=20, choices=Stage.choices, default=Stage.REGISTERED
    )
    court_of_appeal = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="cour d’appel saisie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appealed_procedures",
        limit_choices_to={"kind": "ca"},
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "procédure"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tribunal", "parquet_number"],
                name="procedure_parquet_number_per_tribunal",
                violation_error_message="Ce numéro de parquet existe déjà dans ce tribunal.",
            ),
            models.CheckConstraint(
                name="procedure_parquet_number_canonical",
                condition=models.Q(parquet_number__regex=r"^[0-9]{11}$"),
                violation_error_message="Le numéro de parquet compte 11 chiffres.",
            ),
            models.CheckConstraint(
                name="procedure_facts_period_ordered",
                condition=models.Q(facts_until__isnull=True)
                | models.Q(facts_from__isnull=True)
                | models.Q(facts_until__gte=models.F("facts_from")),
                violation_error_message="La fin de la période des faits précède son début.",
            ),
        ]
        indexes = [
            # Exact lookup across the agent's scope (several TJs for a court of appeal).
            models.Index(fields=["parquet_number"], name="procedure_parquet_number"),
            models.Index(fields=["tribunal", "stage", "-received_on"], name="procedure_tj_stage"),
            # Statistics (``stats/chain.py``): registrations of a TJ, or of all, over a period.
            models.Index(fields=["tribunal", "received_on"], name="procedure_tj_received"),
            models.Index(fields=["received_on"], name="procedure_received"),
        ]

    def __str__(self) -> str:
        return f"Procédure {self.parquet_number_display}"

    @property
    def parquet_number_display(self) -> str:
        return format_parquet_number(self.parquet_number)

    @property
    def facts_date(self) -> date | None:
        """The day the facts started, which decides minority and the law applicable."""
        return self.facts_from


class Party(models.Model):
    """A person involved in a procedure, with their role."""

    class Role(models.TextChoices):
        SUSPECT = "suspect", "Mis en cause"
        VICTIM = "victim", "Victime"
        CIVIL_PARTY = "civil_party", "Partie civile"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="procedure_parties"
    )
    role = models.CharField("qualité", max_length=20, choices=Role.choices)
    # Stored by the action from the person's birth date and the facts' first day; NULL while
    # the facts date is unknown. Recomputed when either changes.
    minor_at_facts = models.BooleanField("mineur au moment des faits", null=True, blank=True)
    added_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "partie"
        ordering = ["procedure", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "person", "role"],
                name="party_once_per_role",
                violation_error_message="Cette personne a déjà cette qualité dans la procédure.",
            )
        ]
        indexes = [models.Index(fields=["person", "procedure"], name="party_person")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.person}"

    @property
    def is_suspect(self) -> bool:
        return self.role == self.Role.SUSPECT


def minor_on(birth_date: date, day: date | None) -> bool | None:
    """Whether someone born on ``birth_date`` was under 18 on ``day`` (None if day unknown)."""
    if day is None:
        return None
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return age < 18


class ChargeQuerySet(models.QuerySet["Charge"]):
    def of_party(self, party_id: int) -> ChargeQuerySet:
        return self.filter(party_id=party_id)


class Charge(models.Model):
    """An offence prosecuted (infraction poursuivie): one NATINF number, dates and place."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="charges")
    party = models.ForeignKey(
        Party,
        verbose_name="mis en cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
    )
    offence = models.ForeignKey(
        "cases.Offence", verbose_name="infraction", on_delete=models.PROTECT, related_name="+"
    )
    # The wording of the offence when it was registered, kept if the referential changes.
    qualification_text = models.TextField("qualification (au moment de l’enregistrement)")
    facts_from = models.DateField("faits commis le (ou à partir du)")
    facts_until = models.DateField("jusqu’au", null=True, blank=True)
    place = models.CharField("lieu des faits", max_length=300, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune des faits",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = "infraction poursuivie"
        verbose_name_plural = "infractions poursuivies"
        ordering = ["procedure", "id"]
        constraints = [
            models.CheckConstraint(
                name="charge_facts_period_ordered",
                condition=models.Q(facts_until__isnull=True)
                | models.Q(facts_until__gte=models.F("facts_from")),
                violation_error_message="La fin de la période des faits précède son début.",
            )
        ]

    def __str__(self) -> str:
        return self.qualification_text

    @property
    def facts_on(self) -> date:
        return self.facts_from


class OrientationQuerySet(models.QuerySet["Orientation"]):
    def current(self) -> OrientationQuerySet:
        return self.filter(superseded_on__isnull=True)


def tribunal_copy_field() -> models.ForeignKey:
    """A row's copy of its procedure's tribunal, written by the database (``cases.copies``):
    never entered, never null once saved (``blank`` only lets a form leave it out)."""
    return models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="tribunal judiciaire",
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        db_index=False,  # the statistics' indexes start with it
        editable=False,
    )


class OrientationKind(models.TextChoices):
    DISMISSAL = "dismissal", "Classement sans suite"
    ALTERNATIVE = "alternative", "Alternative aux poursuites"
    PENAL_COMPOSITION = "composition", "Composition pénale"
    CRPC = "crpc", "Comparution sur reconnaissance préalable de culpabilité (CRPC)"
    PENAL_ORDER = "penal_order", "Ordonnance pénale"
    COPJ = "copj", "Convocation par officier de police judiciaire (COPJ)"
    CPPV = "cppv", "Convocation par procès-verbal du procureur (CPPV)"
    IMMEDIATE_TRIAL = "immediate", "Comparution immédiate"
    JUDICIAL_INVESTIGATION = "investigation", "Ouverture d’une information judiciaire"
    DIRECT_SUMMONS = "direct_summons", "Citation directe devant le tribunal correctionnel"
    POLICE_COURT_SUMMONS = "police_summons", "Citation devant le tribunal de police"


# The orientations that lead to a trial court (and await its judgment).
TRIAL_KINDS = frozenset(
    {
        OrientationKind.CRPC,
        OrientationKind.PENAL_ORDER,
        OrientationKind.COPJ,
        OrientationKind.CPPV,
        OrientationKind.IMMEDIATE_TRIAL,
        OrientationKind.DIRECT_SUMMONS,
        OrientationKind.POLICE_COURT_SUMMONS,
    }
)


class Orientation(models.Model):
    """The parquet's decision on a mis en cause (réponse pénale)."""

    Kind = OrientationKind

    class DismissalReason(models.TextChoices):
        NO_OFFENCE = "no_offence", "Absence d’infraction"
        INSUFFICIENT = "insufficient", "Infraction insuffisamment caractérisée"
        UNKNOWN_AUTHOR = "unknown_author", "Auteur inconnu"
        NOT_RESPONSIBLE = "not_responsible", "Irresponsabilité de l’auteur"
        TIME_BARRED = "time_barred", "Prescription"
        COMPLAINT_WITHDRAWN = "withdrawn", "Désistement du plaignant"
        REGULARISED = "regularised", "Régularisation de la situation"
        REPAIRED = "repaired", "Réparation du préjudice"
        INAPPROPRIATE = "inappropriate", "Poursuites inopportunes"
        OTHER = "other", "Autre motif"

    class AlternativeKind(models.TextChoices):
        PROBATIONARY_WARNING = "probationary_warning", "Avertissement pénal probatoire"
        # Replaced by the avertissement pénal probatoire on 1 January 2023: kept for history.
        RAPPEL_A_LA_LOI = "rappel_a_la_loi", "Rappel à la loi"
        COURSE = "course", "Stage"
        REPARATION = "reparation", "Réparation"
        MEDIATION = "mediation", "Médiation pénale"
        REGULARISATION = "regularisation", "Régularisation"
        REMOVAL_FROM_HOME = "removal", "Éloignement du domicile du conjoint"
        CARE_ORIENTATION = "care", "Orientation vers une structure sanitaire ou sociale"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="orientations")
    party = models.ForeignKey(
        Party,
        verbose_name="mis en cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientations",
    )
    kind = models.CharField("orientation", max_length=20, choices=Kind.choices)
    reason = models.CharField(
        "motif du classement", max_length=20, choices=DismissalReason.choices, blank=True
    )
    alternative_kind = models.CharField(
        "mesure alternative", max_length=30, choices=AlternativeKind.choices, blank=True
    )
    # The court seized, resolved from the court-name rules valid on the decision date.
    court = models.CharField("juridiction saisie", max_length=200, blank=True)
    comment = models.TextField("observations", blank=True)
    decided_on = models.DateField("décidée le")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_on = models.DateField("remplacée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written by the database (``cases.copies``): the day of the party's first first-instance
    # judgment in the procedure, and until when the orientation awaits a judgment (the earlier
    # of that day and its replacement; empty: still waiting).
    judged_on = models.DateField(
        "jugé en premier ressort le", null=True, blank=True, editable=False
    )
    awaiting_until = models.GeneratedField(
        expression=Least(F("superseded_on"), F("judged_on")),
        output_field=models.DateField(),
        db_persist=True,
    )
    # The procedure's tribunal, copied by the database on every write (``cases.copies``):
    # statistics count a tribunal's orientations of a period from one index.
    tribunal = tribunal_copy_field()

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        ordering = ["procedure", "-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="orientation_dismissal_has_reason",
                condition=~models.Q(kind="dismissal") | ~models.Q(reason=""),
                violation_error_message="Indiquez le motif du classement sans suite.",
            ),
            models.CheckConstraint(
                name="orientation_alternative_has_kind",
                condition=~models.Q(kind="alternative") | ~models.Q(alternative_kind=""),
                violation_error_message="Indiquez la mesure alternative aux poursuites.",
            ),
            models.UniqueConstraint(
                fields=["party"],
                condition=models.Q(superseded_on__isnull=True, party__isnull=False),
                name="orientation_one_current_per_party",
            ),
        ]
        # Statistics (``stats/chain.py``): orientations decided over a period.
        indexes = [
            models.Index(fields=["decided_on"], name="orientation_decided"),
            models.Index(fields=["tribunal", "decided_on"], name="orientation_tj_decided"),
            # Statistics: the orientations awaiting a judgment on a day (``awaiting_until``
            # empty or later), few among all those that led to a trial.
            models.Index(
                fields=["awaiting_until", "tribunal"],
                name="orientation_awaiting",
                condition=models.Q(party__isnull=False, kind__in=sorted(TRIAL_KINDS)),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def leads_to_trial(self) -> bool:
        return self.kind in TRIAL_KINDS
