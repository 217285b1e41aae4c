"""Situations followed under priority penal policies (SISPoPP, SIS-01 to SIS-33).

A situation belongs to one jurisdiction (TJ or CA) and is one record: when a TJ ticks
"appel", the court of appeal works on the same rows, so its changes are the TJ's (SIS-33).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

VIF_CODE = "vif"


class Policy(models.Model):
    """A priority penal policy (SIS-01): national when ``jurisdiction`` is empty."""

    code = models.SlugField("code", max_length=50)
    label = models.CharField("libellé", max_length=200)
    jurisdiction = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="juridiction (vide : toutes)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
    )
    default_review_days = models.PositiveIntegerField(
        "intervalle de revue par défaut (jours)", default=90
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "politique pénale prioritaire"
        verbose_name_plural = "politiques pénales prioritaires"
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(jurisdiction__isnull=True),
                name="policy_national_code_unique",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "code"], name="policy_local_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(default_review_days__gte=1), name="policy_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_vif(self) -> bool:
        return self.code == VIF_CODE


KIND_PLURALS = {
    "cabinet_je": "Cabinets de juge des enfants",
    "cabinet_jap": "Cabinets de JAP",
    "cabinet_ji": "Cabinets de juge d’instruction",
    "instance": "Instances de concertation",
}


class ListEntry(models.Model):
    """One line of a jurisdiction's adjustable lists (SIS-18, SIS-22)."""

    class Kind(models.TextChoices):
        CABINET_JE = "cabinet_je", "Cabinet de juge des enfants"
        CABINET_JAP = "cabinet_jap", "Cabinet de JAP"
        CABINET_JI = "cabinet_ji", "Cabinet de juge d’instruction"
        INSTANCE = "instance", "Instance de concertation"

        @property
        def plural(self) -> str:
            """The list's title: plurals are written out, never built by adding an "s"."""
            return KIND_PLURALS[self.value]

    jurisdiction = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="juridiction",
        on_delete=models.PROTECT,
        related_name="list_entries",
    )
    kind = models.CharField("liste", max_length=20, choices=Kind.choices)
    name = models.CharField("libellé", max_length=200)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "entrée de liste ajustable"
        verbose_name_plural = "listes ajustables"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "name"], name="list_entry_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


CABINET_KINDS = (ListEntry.Kind.CABINET_JE, ListEntry.Kind.CABINET_JAP, ListEntry.Kind.CABINET_JI)


class SituationQuerySet(models.QuerySet["Situation"]):
    def open(self) -> SituationQuerySet:
        return self.filter(closed_on__isnull=True)

    def overdue(self, today: date) -> SituationQuerySet:
        return self.open().filter(next_review_on__lt=today)

    def due_within(self, today: date, days: int) -> SituationQuerySet:
        return self.open().filter(
            next_review_on__gte=today, next_review_on__lte=today + timedelta(days=days)
        )

    def jaf_relevant(self) -> SituationQuerySet:
        """VIF situations whose MEC "Procédure JAF" or a victim's "OP" box is ticked (SIS-24/25)."""
        return self.filter(policy__code=VIF_CODE).filter(
            Q(mec_procedure_jaf=True)
            | Exists(Victim.objects.filter(situation=OuterRef("pk"), protection_order=True))
        )

    def for_table(self) -> SituationQuerySet:
        return self.select_related(
            "policy", "mec", "jurisdiction", "cabinet_je", "cabinet_jap", "cabinet_ji"
        )


class Situation(models.Model):
    """The record (fiche) of one situation: a MEC, victims, procedures, measures, events."""

    jurisdiction = models.ForeignKey(
        "access.Jurisdiction",
        verbose_name="juridiction",
        on_delete=models.PROTECT,
        related_name="situations",
    )
    policy = models.ForeignKey(
        Policy, verbose_name="politique pénale", on_delete=models.PROTECT, related_name="+"
    )
    mec = models.ForeignKey(
        "people.Person",
        verbose_name="mis en cause",
        on_delete=models.PROTECT,
        related_name="situations",
    )
    mec_procedure_jaf = models.BooleanField("procédure JAF", default=False)
    appeal = models.BooleanField(
        "appel en cours",
        default=False,
        help_text="Cochée, la cour d’appel du ressort voit et modifie cette fiche.",
    )
    summary = models.TextField("résumé", blank=True)
    cabinet_je = models.ForeignKey(
        ListEntry,
        verbose_name="cabinet JE",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cabinet_jap = models.ForeignKey(
        ListEntry,
        verbose_name="cabinet JAP",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cabinet_ji = models.ForeignKey(
        ListEntry,
        verbose_name="cabinet JI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    instances = models.ManyToManyField(
        ListEntry, verbose_name="instances de concertation", blank=True, related_name="situations"
    )
    next_review_on = models.DateField("prochaine revue")
    review_date_is_manual = models.BooleanField("date de revue fixée librement", default=False)
    closed_on = models.DateField("clôturée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "access.Agent",
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    objects = SituationQuerySet.as_manager()

    class Meta:
        verbose_name = "situation"
        ordering = ["next_review_on", "pk"]
        indexes = [
            models.Index(fields=["jurisdiction", "next_review_on"]),
            models.Index(fields=["appeal", "jurisdiction"]),
        ]

    def __str__(self) -> str:
        return f"{self.policy} — {self.mec}"

    def is_overdue(self, today: date) -> bool:
        return self.closed_on is None and self.next_review_on < today


class Victim(models.Model):
    """A victim of the situation, with the "OP" (ordonnance de protection) box (SIS-24)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="victims")
    last_name = models.CharField("nom", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    protection_order = models.BooleanField("ordonnance de protection (OP)", default=False)
    protective_measures = models.TextField("mesures de protection", blank=True)

    class Meta:
        verbose_name = "victime"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"


class Procedure(models.Model):
    """A civil or penal procedure of the situation (SIS-11)."""

    class Nature(models.TextChoices):
        PENAL = "penal", "Pénale"
        CIVIL = "civil", "Civile"

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="procedures")
    nature = models.CharField("nature", max_length=10, choices=Nature.choices)
    reference = models.CharField("référence (n° de parquet, RG…)", max_length=100)
    court = models.CharField("juridiction saisie", max_length=200, blank=True)
    stage = models.CharField("stade", max_length=200, blank=True)
    decisions = models.TextField("décisions", blank=True)

    class Meta:
        verbose_name = "procédure"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} {self.reference}"


class Measure(models.Model):
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="measures")
    label = models.CharField("mesure", max_length=200)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    details = models.TextField("précisions", blank=True)

    class Meta:
        verbose_name = "mesure"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.label


class JafSection(models.Model):
    """The part of the record a JAF writes (SIS-23)."""

    situation = models.OneToOneField(
        Situation, on_delete=models.CASCADE, related_name="jaf_section"
    )
    hearing_on = models.DateField("date d’audience JAF", null=True, blank=True)
    decisions = models.TextField("décisions du JAF", blank=True)
    notes = models.TextField("observations du JAF", blank=True)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    updated_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "partie JAF"

    def __str__(self) -> str:
        return f"Partie JAF — {self.situation_id}"


class SituationEvent(models.Model):
    """A dated fact of the timeline (SIS-08)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="events")
    occurred_on = models.DateField("date")
    text = models.TextField("évènement")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "évènement"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Review(models.Model):
    """A periodic review (SIS-03): who took part, what was decided, when the next one is."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date de la revue")
    participants = models.TextField("participants")
    decisions = models.TextField("décisions", blank=True)
    next_review_on = models.DateField("prochaine revue")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "revue"
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("held_on")),
                name="review_next_after_held",
            )
        ]
        # Statistics (``stats/flows_situations.py``): the reviews held over a period, for the
        # nation, and from a jurisdiction's situations.
        indexes = [
            models.Index(fields=["held_on"], name="review_held"),
            models.Index(fields=["situation", "held_on"], name="review_situation_held"),
        ]

    def __str__(self) -> str:
        return f"Revue du {self.held_on:%d/%m/%Y}"


class SituationFollow(models.Model):
    """An agent follows a situation and is told in the app of its new events (SIS-08)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="followers")
    agent = models.ForeignKey("access.Agent", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["situation", "agent"], name="situation_follow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} suit {self.situation_id}"


class Notification(models.Model):
    """An in-app notice of a new event to an agent following the situation."""

    agent = models.ForeignKey(
        "access.Agent", on_delete=models.CASCADE, related_name="situation_notifications"
    )
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(SituationEvent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["agent", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return f"Évènement {self.event_id} pour {self.agent_id}"


class Document(models.Model):
    """A piece of a procedure (SIS-04), stored outside the database under a random name."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("intitulé", max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A meeting of an instance de concertation, with its agenda of situations (SIS-07)."""

    instance = models.ForeignKey(
        ListEntry,
        verbose_name="instance de concertation",
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind": ListEntry.Kind.INSTANCE},
    )
    held_on = models.DateField("date de la réunion")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "réunion d’instance"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.instance} — {self.held_on:%d/%m/%Y}"


class MeetingItem(models.Model):
    """A situation on a meeting's agenda, with the notes taken about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="+")
    notes = models.TextField("notes", blank=True)

    class Meta:
        verbose_name = "point de l’ordre du jour"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "situation"], name="meeting_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.situation_id}"
