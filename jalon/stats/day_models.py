"""Counts kept up to date by the database: the convocations and SMS of each local day.

The dashboards read these instead of the operational tables (``queries.py``). Triggers on
``appointments_appointment`` and ``sms_message`` (``maintained.py``, installed by migration
0005) add one *change* row per key touched by each statement, in the writing transaction: a
booking, an outcome, a receipt, a retention deletion, an import by ``COPY`` alike. A job folds
the changes into the *day* rows every minute. A figure is the sum of both, so it is exact at
the moment it is read, whatever the job's delay.

No person and no convocation id: a day, a service, a type, a state, a number.
"""

from __future__ import annotations

from django.db import models


def _service() -> models.ForeignKey:
    # No constraint: the rows are written by triggers on every convocation and SMS, and
    # services are never deleted (PROTECT everywhere else).
    return models.ForeignKey(
        "access.Service",
        verbose_name="service",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


def _appointment_type() -> models.ForeignKey:
    return models.ForeignKey(
        "appointments.AppointmentType",
        verbose_name="type",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class AppointmentDay(models.Model):
    """Convocations held: local day of the start × service × type × status × reminder."""

    day = models.DateField("jour", help_text="Jour de la convocation, heure locale du service.")
    service = _service()
    appointment_type = _appointment_type()
    status = models.CharField("statut", max_length=10)
    reminder_delivered = models.BooleanField("rappel reçu")
    count = models.BigIntegerField("nombre")

    class Meta:
        verbose_name = "convocations par jour (tenu à jour)"
        verbose_name_plural = "convocations par jour (tenus à jour)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "appointment_type", "status", "reminder_delivered"],
                name="appointment_day_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.status} : {self.count}"


class AppointmentDayChange(models.Model):
    """A change not yet folded into ``AppointmentDay`` (``count`` may be negative)."""

    day = models.DateField("jour")
    service = _service()
    appointment_type = _appointment_type()
    status = models.CharField("statut", max_length=10)
    reminder_delivered = models.BooleanField("rappel reçu")
    count = models.IntegerField("variation")

    class Meta:
        verbose_name = "variation des convocations par jour"
        verbose_name_plural = "variations des convocations par jour"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.status} : {self.count:+d}"


class MessageDay(models.Model):
    """SMS held: local day of the planned sending × service × kind × status."""

    day = models.DateField("jour", help_text="Jour d’envoi prévu, heure locale du service.")
    service = _service()
    kind = models.CharField("type de SMS", max_length=20)
    status = models.CharField("statut", max_length=12)
    count = models.BigIntegerField("nombre")

    class Meta:
        verbose_name = "SMS par jour (tenu à jour)"
        verbose_name_plural = "SMS par jour (tenus à jour)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "kind", "status"], name="message_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.kind} {self.status} : {self.count}"


class MessageDayChange(models.Model):
    """A change not yet folded into ``MessageDay``."""

    day = models.DateField("jour")
    service = _service()
    kind = models.CharField("type de SMS", max_length=20)
    status = models.CharField("statut", max_length=12)
    count = models.IntegerField("variation")

    class Meta:
        verbose_name = "variation des SMS par jour"
        verbose_name_plural = "variations des SMS par jour"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.kind} {self.status} : {self.count:+d}"


class RefusalCount(models.Model):
    """Persons followed in an area, and those refusing SMS, now (archived persons left out).

    One row per area: a service, a jurisdiction (its services), a court of appeal (the
    services of its TJs and its own), or the nation (``area_id`` 0). A person followed by two
    services of one area counts once for it. Kept by triggers (``maintained_refusals.py``).
    """

    level = models.CharField("niveau", max_length=16)
    area_id = models.BigIntegerField("zone")
    followed = models.BigIntegerField("personnes suivies")
    refusing = models.BigIntegerField("personnes refusant les SMS")

    class Meta:
        verbose_name = "refus des SMS par zone (tenu à jour)"
        verbose_name_plural = "refus des SMS par zone (tenus à jour)"
        constraints = [
            models.UniqueConstraint(fields=["level", "area_id"], name="refusal_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.area_id} : {self.refusing} / {self.followed}"


class RefusalChange(models.Model):
    """A change not yet folded into ``RefusalCount``."""

    level = models.CharField("niveau", max_length=16)
    area_id = models.BigIntegerField("zone")
    followed = models.IntegerField("variation des personnes suivies")
    refusing = models.IntegerField("variation des refus")

    class Meta:
        verbose_name = "variation des refus des SMS"
        verbose_name_plural = "variations des refus des SMS"

    def __str__(self) -> str:
        return f"{self.level} {self.area_id} : {self.refusing:+d} / {self.followed:+d}"
