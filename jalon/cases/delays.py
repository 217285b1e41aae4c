"""The legal calendar of a judgment: appeal delay, finality, art. 474 convocations.

Pure functions, tested without the database. The numbers of days are never constants here:
the callers read them from ``LegalRule`` rows valid on the judgment's date
(``delay.appeal.days``, ``delay.appeal_general_prosecutor.days``,
``delay.spip_after_judgment.days``, ``delay.jap_after_judgment.days``) and pass them in.

What this relies on (code de procédure pénale as in force in 2026; see ``docs/judgments.md``):

- art. 498: the appeal is made within N days of the pronouncement of a contradictoire
  judgment; the delay runs only from the service (signification) of the judgment for a party
  absent when it was pronounced without being told the date, for a defendant judged in their
  absence (art. 410, 411, 494-1): the "contradictoire à signifier" judgment. Art. 499: for a
  judgment par défaut, from its service too.
- art. 801: a delay ends on its last day at midnight; one that would end on a Saturday, a
  Sunday or a public holiday is extended to the next working day. The day of the event that
  starts the delay is not counted (settled case law; written down as art. L. 1322-2 of the
  recodified code in force on 1 January 2029).
- art. 505: the procureur général's longer delay (20 days since 2009) does not suspend the
  execution of a judgment whose ordinary delay has run out (art. 506 suspends execution
  "pendant les délais d'appel" of art. 498 to 500 only).
- art. 474: a person present at the hearing and convicted to imprisonment of one year or less
  not served in prison (or adjusted ab initio: semi-liberté, placement extérieur, DDSE) is
  handed a convocation before the JAP within 30 days and told to go to the SPIP within 45
  days; a sursis probatoire goes to the SPIP only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jalon.core.dates import is_working_day


class Delivery(StrEnum):
    """How a judgment was delivered; decides when the appeal delay starts."""

    CONTRADICTORY = "contradictoire"
    DEFAULT = "par_defaut"
    CONTRADICTORY_TO_SERVE = "contradictoire_a_signifier"


def delay_starts_at_service(delivery: Delivery | str) -> bool:
    """True when the appeal delay runs from the service of the judgment (art. 498 al. 2, 499)."""
    return Delivery(delivery) in (Delivery.DEFAULT, Delivery.CONTRADICTORY_TO_SERVE)


def delay_start(
    delivery: Delivery | str, pronounced_on: date, served_on: date | None
) -> date | None:
    """The event day the appeal delay runs from, or None while an awaited service is not done."""
    if delay_starts_at_service(delivery):
        return served_on
    return pronounced_on


def last_day(event_on: date, days: int, subdivision: str = "") -> date:
    """The last day (included, until midnight) of a delay of ``days`` days from ``event_on``.

    The event day is not counted; a last day falling on a Saturday, Sunday or public holiday
    of the court's calendar (``subdivision``: Alsace-Moselle keeps Good Friday and 26 December)
    moves to the next working day (art. 801).
    """
    if days < 0:
        raise ValueError("A delay cannot be negative.")
    day = event_on + timedelta(days=days)
    while not is_working_day(day, subdivision):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class AppealCalendar:
    """When the appeal delay starts and ends, and when the judgment becomes final."""

    starts_on: date | None  # the pronouncement or the service; None: service awaited
    last_day: date | None  # last day to appeal (included)
    final_on: date | None  # first day the judgment is final if nobody appealed

    @property
    def awaiting_service(self) -> bool:
        return self.starts_on is None


def appeal_calendar(
    delivery: Delivery | str,
    pronounced_on: date,
    served_on: date | None,
    *,
    appeal_days: int,
    subdivision: str = "",
) -> AppealCalendar:
    """The appeal calendar of one judgment for one defendant.

    The procureur général's longer delay (art. 505) is deliberately not an input: it does not
    suspend execution, so it never delays finality as far as execution is concerned.
    """
    start = delay_start(delivery, pronounced_on, served_on)
    if start is None:
        return AppealCalendar(starts_on=None, last_day=None, final_on=None)
    end = last_day(start, appeal_days, subdivision)
    return AppealCalendar(starts_on=start, last_day=end, final_on=end + timedelta(days=1))


def general_prosecutor_last_day(
    pronounced_on: date, *, general_prosecutor_days: int, subdivision: str = ""
) -> date:
    """Last day of the procureur général's appeal (art. 505: from the pronouncement)."""
    return last_day(pronounced_on, general_prosecutor_days, subdivision)


def is_final(calendar: AppealCalendar, today: date, *, appealed: bool) -> bool:
    """Final: the ordinary appeal delay has run out and nobody appealed within it."""
    if appealed or calendar.final_on is None:
        return False
    return today >= calendar.final_on


def is_executable(
    calendar: AppealCalendar, today: date, *, appealed: bool, provisional_execution: bool
) -> bool:
    """A decision may be executed when final, or at once when provisional execution was
    ordered (an appeal does not stop it then)."""
    return provisional_execution or is_final(calendar, today, appealed=appealed)


@dataclass(frozen=True)
class ConvocationDeadlines:
    """Art. 474: the latest days of the convocations handed at the end of the hearing."""

    spip_by: date | None
    jap_by: date | None


def convocation_deadlines(
    pronounced_on: date,
    *,
    needs_spip: bool,
    needs_jap: bool,
    spip_days: int,
    jap_days: int,
) -> ConvocationDeadlines:
    """The latest dates of the SPIP and JAP convocations after a judgment.

    These are maximum delays before an appointment (the text says "ne saurait excéder"), not
    delays to accomplish a formality: the latest day is never pushed past a weekend (a
    convocation must be on a working day on or before it).
    """
    return ConvocationDeadlines(
        spip_by=pronounced_on + timedelta(days=spip_days) if needs_spip else None,
        jap_by=pronounced_on + timedelta(days=jap_days) if needs_jap else None,
    )


def out_of_delay(day: date, deadline: date | None) -> bool:
    """A convocation on ``day`` is out of the art. 474 delay ending on ``deadline``."""
    return deadline is not None and day > deadline
