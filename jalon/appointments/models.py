"""Places, agendas, convocation types and convocations (MSJ §1.B.4)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from jalon.access.roles import Capability, ServiceKind
from jalon.core.dates import WEEKDAYS
from jalon.core.parquet import format_parquet_number
from jalon.sms.models import ReminderHours

if TYPE_CHECKING:
    from jalon.access.models import Agent


class Place(models.Model):
    """Where a service receives people: an address, how to reach it and how to get in."""

    class Contact(models.TextChoices):
        PHONE = "phone", "Téléphone"
        EMAIL = "email", "Adresse électronique"

    service = models.ForeignKey(
        "access.Service", verbose_name="service", on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField("nom", max_length=200)
    address = models.TextField("adresse")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    preferred_contact = models.CharField(
        "contact à privilégier", max_length=10, choices=Contact.choices, default=Contact.PHONE
    )
    info_url = models.URLField("page d’information publique", blank=True)
    accessibility_notes = models.TextField("accès et accessibilité", blank=True)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "lieu de convocation"
        verbose_name_plural = "lieux de convocation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="place_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact(self) -> str:
        """What to call or write to in case of a problem (MSJ-48)."""
        if self.preferred_contact == self.Contact.EMAIL and self.email:
            return self.email
        return self.phone or self.email or self.service.phone or self.service.email


class Agenda(models.Model):
    """A diary of one place, e.g. one per JAP chamber or per CPIP team."""

    place = models.ForeignKey(
        Place, verbose_name="lieu", on_delete=models.PROTECT, related_name="agendas"
    )
    name = models.CharField("nom", max_length=200)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "agenda"
        ordering = ["place__name", "name"]
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="agenda_name_unique")]

    def __str__(self) -> str:
        return f"{self.place.name} — {self.name}"


class AppointmentType(models.Model):
    """A national convocation type (MSJ-43): only national administrators edit the list."""

    ReminderDelay = ReminderHours  # declared once, with the SMS that use it

    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("libellé", max_length=150, unique=True)
    service_kinds = ArrayField(
        models.CharField(max_length=30, choices=ServiceKind.choices),
        verbose_name="services qui reçoivent la personne",
        help_text="La convocation a lieu dans un lieu d’un de ces types de service.",
    )
    booked_from_kinds = ArrayField(
        models.CharField(max_length=30, choices=ServiceKind.choices),
        verbose_name="autres services qui peuvent convoquer",
        help_text="Par exemple le BEX pour les sorties d’audience, le SAP pour la pose de bracelet.",
        default=list,
        blank=True,
    )
    required_capability = models.CharField(
        "capacité requise pour convoquer",
        max_length=50,
        choices=Capability.choices,
        blank=True,
    )
    uses_slots = models.BooleanField("se réserve sur des créneaux", default=False)
    allows_weekends = models.BooleanField("possible le week-end et les jours fériés", default=False)
    reminder_delay_hours = models.PositiveSmallIntegerField(
        "rappel par défaut", choices=ReminderDelay.choices, default=ReminderDelay.TWO_DAYS
    )
    default_duration_minutes = models.PositiveSmallIntegerField(
        "durée par défaut (minutes)", default=30
    )
    what_to_bring = models.TextField("documents à apporter", blank=True)
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "type de convocation"
        verbose_name_plural = "types de convocation"
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


WEEKDAY_CHOICES = [(number, name.capitalize()) for number, name in enumerate(WEEKDAYS)]


class SlotPatternQuerySet(models.QuerySet["SlotPattern"]):
    def overlapping(self, pattern: SlotPattern) -> SlotPatternQuerySet:
        """Active patterns of the same agenda sharing a weekday, a time and a date with ``pattern``."""
        found = self.filter(
            agenda_id=pattern.agenda_id,
            is_active=True,
            weekdays__overlap=list(pattern.weekdays),
            start_time__lt=pattern.end_time,
            end_time__gt=pattern.start_time,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=pattern.valid_from))
        if pattern.valid_until is not None:
            found = found.filter(valid_from__lte=pattern.valid_until)
        if pattern.pk is not None:
            found = found.exclude(pk=pattern.pk)
        return found


class SlotPattern(models.Model):
    """Recurring slots of one type in one agenda: on some weekdays, from a time to a time.

    The nightly job creates its slots a few months ahead (``slots.generate_slots``); changing
    or deleting it re-plans the future empty slots and never touches booked ones.
    """

    agenda = models.ForeignKey(
        Agenda, verbose_name="agenda", on_delete=models.PROTECT, related_name="slot_patterns"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name="type", on_delete=models.PROTECT, related_name="+"
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES), verbose_name="jours"
    )
    start_time = models.TimeField("de")
    end_time = models.TimeField("à")
    interval_minutes = models.PositiveSmallIntegerField("un créneau toutes les (minutes)")
    duration_minutes = models.PositiveSmallIntegerField("durée d’un créneau (minutes)")
    capacity = models.PositiveSmallIntegerField("personnes par créneau", default=1)
    valid_from = models.DateField("à partir du")
    valid_until = models.DateField("jusqu’au", null=True, blank=True)
    includes_holidays = models.BooleanField("y compris les jours fériés", default=False)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = SlotPatternQuerySet.as_manager()

    class Meta:
        verbose_name = "modèle de créneaux récurrents"
        verbose_name_plural = "modèles de créneaux récurrents"
        ordering = ["agenda", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                name="slot_pattern_times", condition=Q(end_time__gt=F("start_time"))
            ),
            models.CheckConstraint(name="slot_pattern_capacity", condition=Q(capacity__gte=1)),
            models.CheckConstraint(
                name="slot_pattern_steps",
                condition=Q(duration_minutes__gte=5, interval_minutes__gte=F("duration_minutes")),
            ),
            models.CheckConstraint(name="slot_pattern_weekdays", condition=Q(weekdays__len__gt=0)),
            models.CheckConstraint(
                name="slot_pattern_validity",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.appointment_type} : {self.weekday_labels}, "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )

    @property
    def weekday_labels(self) -> str:
        return ", ".join(WEEKDAYS[day] for day in sorted(self.weekdays))


class SlotQuerySet(models.QuerySet["Slot"]):
    def upcoming(self, now: datetime | None = None) -> SlotQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())

    def bookable(self, now: datetime | None = None) -> SlotQuerySet:
        """Open, in the future and with a place left."""
        return self.upcoming(now).filter(is_open=True, booked_count__lt=F("capacity"))

    def empty(self) -> SlotQuerySet:
        return self.filter(booked_count=0)

    def on_local_days(self, first: date, last: date, time_zone: str) -> SlotQuerySet:
        zone = ZoneInfo(time_zone)
        start = datetime.combine(first, time.min, tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class Slot(models.Model):
    """A time in an agenda where ``capacity`` persons may be convoked for one type.

    ``booked_count`` counts the convocations holding a place; the database refuses more than
    ``capacity`` (booking is a conditional update, see ``actions/slots.take_place``).
    """

    agenda = models.ForeignKey(
        Agenda, verbose_name="agenda", on_delete=models.PROTECT, related_name="slots"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name="type", on_delete=models.PROTECT, related_name="+"
    )
    pattern = models.ForeignKey(
        SlotPattern,
        verbose_name="modèle récurrent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
    )
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    capacity = models.PositiveSmallIntegerField("places")
    booked_count = models.PositiveSmallIntegerField("places prises", default=0)
    is_open = models.BooleanField("ouvert", default=True)
    closed_reason = models.CharField("motif de fermeture", max_length=200, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "appointment_type", "starts_at"], name="slot_unique_start"
            ),
            models.CheckConstraint(name="slot_capacity", condition=Q(capacity__gte=1)),
            models.CheckConstraint(
                name="slot_not_overbooked",
                condition=Q(booked_count__gte=0, booked_count__lte=F("capacity")),
                violation_error_message="Ce créneau est complet.",
            ),
        ]
        indexes = [
            models.Index(fields=["agenda", "starts_at"], name="slot_agenda"),
            models.Index(fields=["appointment_type", "starts_at"], name="slot_type"),
            models.Index(fields=["pattern", "starts_at"], name="slot_pattern"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} — {self.local_start:%d/%m/%Y %H:%M}"

    @property
    def time_zone(self) -> ZoneInfo:
        return ZoneInfo(self.agenda.place.service.time_zone)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.time_zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.time_zone)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)

    @property
    def is_full(self) -> bool:
        return self.booked_count >= self.capacity


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def with_details(self) -> AppointmentQuerySet:
        return self.select_related(
            "appointment_type",
            "service",
            "agenda__place__service",
            "assigned_agent",
            "person",
        )

    def booked(self) -> AppointmentQuerySet:
        return self.filter(status=Appointment.Status.BOOKED)

    def active(self) -> AppointmentQuerySet:
        """Convocations that still hold the person's time."""
        return self.booked()

    def overlapping(self, starts_at: datetime, ends_at: datetime) -> AppointmentQuerySet:
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def without_outcome(self, now: datetime | None = None) -> AppointmentQuerySet:
        """Past convocations nobody marked honoured, missed or excused ("statut inconnu")."""
        return self.booked().filter(starts_at__lt=now or timezone.now())

    def for_agent(self, agent: Agent) -> AppointmentQuerySet:
        """An agent's own convocations: assigned to them, or made by them and assigned to nobody."""
        return self.filter(
            Q(assigned_agent=agent) | Q(assigned_agent__isnull=True, created_by=agent)
        )

    def on_local_day(self, day: date, time_zone: str) -> AppointmentQuerySet:
        zone = ZoneInfo(time_zone)
        start = datetime.combine(day, time.min, tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def outcome_backlog(self, since: datetime, now: datetime) -> tuple[int, int]:
        """(convocations without outcome, convocations held) between ``since`` and ``now``.

        Cancelled ones are not counted: they were never meant to take place.
        """
        counts = (
            self.filter(starts_at__gte=since, starts_at__lt=now)
            .exclude(status=Appointment.Status.CANCELLED)
            .aggregate(
                unknown=Count("pk", filter=Q(status=Appointment.Status.BOOKED)), total=Count("pk")
            )
        )
        return counts["unknown"], counts["total"]


class Appointment(models.Model):
    """One convocation of one person, at a date and time, in an agenda of a place."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Planifiée"
        HONOURED = "honoured", "Honorée"
        MISSED = "missed", "Non honorée"
        EXCUSED = "excused", "Excusée"
        CANCELLED = "cancelled", "Annulée"

    person = models.ForeignKey(
        "people.Person",
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    appointment_type = models.ForeignKey(
        AppointmentType, verbose_name="type", on_delete=models.PROTECT, related_name="+"
    )
    agenda = models.ForeignKey(
        Agenda, verbose_name="agenda", on_delete=models.PROTECT, related_name="appointments"
    )
    service = models.ForeignKey(
        "access.Service",
        verbose_name="service qui reçoit",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    assigned_agent = models.ForeignKey(
        "access.Agent",
        verbose_name="agent convoquant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_appointments",
    )
    # Canonical 11 digits (jalon/core/parquet.py) for everything typed since the format was
    # enforced; rows typed before keep their free text when it did not parse (migration 0005).
    prosecution_number = models.CharField(
        "numéro de parquet",
        max_length=30,
        blank=True,
        help_text="11 chiffres : année, jour de l’année, numéro d’ordre (format Cassiopée).",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_service = models.ForeignKey(
        "access.Service", on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField("statut renseigné le", null=True, blank=True)
    outcome_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rescheduled_to = models.OneToOneField(
        "self",
        verbose_name="replanifiée en",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_from",
    )
    reconvened_from = models.ForeignKey(
        "self",
        verbose_name="reconvocation de",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reconvocations",
    )
    slot = models.ForeignKey(
        Slot,
        verbose_name="créneau",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    # A sortie d'audience convocation booked from a judgment (art. 474 CPP), and the measure
    # it executes: set at booking when the measure exists already (provisional execution),
    # else when the judgment becomes executable (``cases.follow_up.link_exit_convocations``).
    judgment = models.ForeignKey(
        "cases.Judgment",
        verbose_name="jugement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exit_convocations",
        db_index=False,  # partial index below: most convocations come from no judgment
    )
    measure = models.ForeignKey(
        "cases.Measure",
        verbose_name="mesure exécutée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convocations",
        db_index=False,
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "convocation"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="appointment_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]
        indexes = [
            models.Index(fields=["person", "starts_at"], name="appointment_person"),
            models.Index(fields=["service", "status", "starts_at"], name="appointment_service"),
            models.Index(fields=["agenda", "starts_at"], name="appointment_agenda"),
            # Statistics of a wide area (national, a court of appeal): the period's rows by
            # their start, read from the index alone (what the tallies group and count).
            models.Index(
                fields=["starts_at"],
                include=["service", "appointment_type", "status"],
                name="appointment_starts_at",
            ),
            models.Index(
                fields=["assigned_agent", "status", "starts_at"], name="appointment_assignee"
            ),
            # Exact search by numéro de parquet; most rows have none, so they stay out.
            models.Index(
                fields=["prosecution_number"],
                name="appointment_parquet",
                condition=~Q(prosecution_number=""),
            ),
            models.Index(
                fields=["judgment"],
                name="appointment_judgment",
                condition=Q(judgment__isnull=False),
            ),
            models.Index(
                fields=["measure"], name="appointment_measure", condition=Q(measure__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} — {self.local_start:%d/%m/%Y %H:%M}"

    @property
    def time_zone(self) -> ZoneInfo:
        return ZoneInfo(self.service.time_zone)

    @property
    def prosecution_number_display(self) -> str:
        """The numéro de parquet grouped for reading (``27 123 000042``), legacy text as is."""
        return format_parquet_number(self.prosecution_number)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.time_zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.time_zone)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def has_outcome(self) -> bool:
        return self.status in (self.Status.HONOURED, self.Status.MISSED, self.Status.EXCUSED)

    @property
    def outcome_unknown(self) -> bool:
        return self.is_booked and self.is_past

    # Which transitions the state allows; who may make them is in access/rules/appointments.py.
    @property
    def can_be_cancelled(self) -> bool:
        return self.is_booked and not self.is_past

    @property
    def can_be_rescheduled(self) -> bool:
        return self.is_booked and not self.is_past

    @property
    def can_be_reconvened(self) -> bool:
        return self.status in (self.Status.MISSED, self.Status.EXCUSED)

    def can_take_outcome(self, status: str) -> bool:
        """Honoured or missed once it has started; excused at any time before an outcome."""
        if not self.is_booked:
            return False
        if status == self.Status.EXCUSED:
            return True
        return status in (self.Status.HONOURED, self.Status.MISSED) and self.is_past

    @property
    def can_be_reverted(self) -> bool:
        return self.has_outcome
