"""When to send: reminder due times and quiet hours, in the service's own time zone.

No SMS is sent between 20:00 and 08:00 local time (Cayenne, Fort-de-France, Saint-Denis,
Mamoudzou… as well as Paris). A reminder that would fall in the quiet hours is sent
earlier, on the evening before, never later: it must arrive before the convocation.

Choice for daylight-saving days: the delay is counted on the local wall clock, so a
24-hour reminder for Sunday 10:00 is sent on Saturday at 10:00 even when the clocks change
in between (23 or 25 real hours). People and agents read the delay as "the day before, at
the same time", and counting real hours would move an 08:30 reminder to 07:30 on the
change weekends, i.e. into the quiet hours and so to the previous evening, 13 hours early.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_START = time(20, 0)  # no SMS from this local time…
QUIET_END = time(8, 0)  # …until this one
# A reminder moved out of the quiet hours is due at this local time, leaving the queue
# half an hour to hand it to the provider before 20:00.
LATEST_EVENING = time(19, 30)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def is_quiet(moment: datetime, time_zone: str) -> bool:
    """Whether ``moment`` (aware) falls between 20:00 and 08:00 in ``time_zone``."""
    _require_aware(moment, "moment")
    local = moment.astimezone(ZoneInfo(time_zone)).time()
    return local >= QUIET_START or local < QUIET_END


def _at_local(day_moment: datetime, at: time, days: int = 0) -> datetime:
    """``at`` on the local day of ``day_moment`` (shifted by ``days``), as an aware UTC moment."""
    day = day_moment.date() + timedelta(days=days)
    return datetime.combine(day, at, tzinfo=day_moment.tzinfo).astimezone(UTC)


def reminder_due(
    starts_at: datetime, *, delay_hours: int, time_zone: str, now: datetime
) -> datetime | None:
    """The moment (aware, UTC) to send the reminder of a convocation, or ``None``.

    The moment is ``delay_hours`` before ``starts_at`` on the local wall clock (see the
    module docstring). If it falls in the quiet hours it is moved earlier to 19:30 local:
    the same evening when due between 20:00 and midnight, the previous evening when due
    before 08:00. ``None`` means no separate reminder: the convocation is booked inside the
    delay (the reminder would be due at or before ``now``, or its moved moment has passed),
    so the convocation SMS is the only one.
    """
    _require_aware(starts_at, "starts_at")
    _require_aware(now, "now")
    if delay_hours <= 0:
        raise ValueError("delay_hours must be positive")
    zone = ZoneInfo(time_zone)
    local_start = starts_at.astimezone(zone)
    # Same tzinfo on both sides: Python subtracts on the wall clock, and the offset of the
    # result is that of its own date (a time skipped in spring is read with the winter offset).
    local_due = local_start - timedelta(hours=delay_hours)
    if local_due.time() >= QUIET_START:
        due = _at_local(local_due, LATEST_EVENING)
    elif local_due.time() < QUIET_END:
        due = _at_local(local_due, LATEST_EVENING, days=-1)
    else:
        due = local_due.astimezone(UTC)
    due = min(due, starts_at.astimezone(UTC))
    if due <= now:
        return None
    return due


def convocation_send_at(now: datetime, time_zone: str) -> datetime:
    """When to send an SMS asked for at ``now`` (aware), as an aware UTC moment.

    Outside the quiet hours: at once. Inside: the next 08:00 local time, even for a
    convocation early the next morning (the letter remains the convocation; the SMS is a
    courtesy that must not wake people up).
    """
    _require_aware(now, "now")
    local = now.astimezone(ZoneInfo(time_zone))
    if local.time() >= QUIET_START:
        return _at_local(local, QUIET_END, days=1)
    if local.time() < QUIET_END:
        return _at_local(local, QUIET_END)
    return now.astimezone(UTC)
