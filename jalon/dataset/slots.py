"""Slots of the slot-booked types (sorties d'audience, poses de bracelet) around the anchor
date, kept in memory while convocations take places, then written with their counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jalon.appointments.models import Slot
from jalon.dataset.calendar import Calendar, to_utc
from jalon.dataset.organisation import Organisation
from jalon.dataset.writer import copy_rows

# Local start times (minutes after midnight) and places per slot, by appointment type.
TIMES = {
    "sortie_audience_spip": ([9 * 60 + 30 * n for n in range(6)], 2),
    "sortie_audience_sap": ([9 * 60 + 30 * n for n in range(6)], 2),
    "sap_ddse": ([9 * 60, 14 * 60], 1),
}
COLUMNS = [
    "id",
    "agenda_id",
    "appointment_type_id",
    "pattern_id",
    "starts_at",
    "duration_minutes",
    "capacity",
    "booked_count",
    "is_open",
    "closed_reason",
    "created_at",
]


@dataclass
class SlotBook:
    """Every generated slot; ``by_day`` finds an agenda's slots of one local day."""

    rows: list[list[object]] = field(default_factory=list)
    by_day: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    local_starts: list[datetime] = field(default_factory=list)

    def take(self, agenda_id: int, ordinal: int, pick: int, holds: bool) -> int | None:
        """Index of a slot of that day with a place left (trying from ``pick``), or None."""
        indexes = self.by_day.get((agenda_id, ordinal))
        if not indexes:
            return None
        for step in range(len(indexes)):
            index = indexes[(pick + step) % len(indexes)]
            row = self.rows[index]
            if row[7] < row[6]:  # type: ignore[operator]
                if holds:
                    row[7] += 1  # type: ignore[operator]
                return index
        return None

    def write(self, cursor: object) -> int:
        return copy_rows(cursor, Slot, COLUMNS, self.rows)  # type: ignore[arg-type]


def plan_slots(
    organisation: Organisation,
    calendar: Calendar,
    types: dict[str, tuple[int, int, str]],
    first: date,
    last: date,
    first_id: int,
    created_at: datetime,
) -> SlotBook:
    book = SlotBook()
    next_id = first_id
    for ressort in organisation.ressorts:
        for unit in (ressort.spip, ressort.sap):
            days = calendar.between(unit.subdivision, first, last)
            for code, agenda_id in unit.slot_agendas.items():
                type_id, duration, _label = types[code]
                starts, capacity = TIMES[code]
                for ordinal in days:
                    indexes = book.by_day.setdefault((agenda_id, ordinal), [])
                    for minutes in starts:
                        local, utc = to_utc(ordinal, minutes, unit.time_zone)
                        indexes.append(len(book.rows))
                        book.rows.append(
                            [next_id, agenda_id, type_id, None, utc, duration, capacity, 0, True, "", created_at]
                        )  # fmt: skip
                        book.local_starts.append(local)
                        next_id += 1
    return book
