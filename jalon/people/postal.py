"""A person's postal address as the lines of a window-envelope block (La Poste's order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jalon.people.models import Person


def recipient_name(person: Person) -> str:
    """The first line of the block: surname in capitals, then the first names."""
    return f"{person.last_name.upper()} {person.first_names}".strip()


def postal_address_lines(person: Person) -> list[str]:
    """The address lines under the name, empty when the person has no address on file.

    La Poste's order: complement (building, "chez"), street, then postal code and town in
    capitals on the last line. A letter without them still carries the name alone.
    """
    lines = [person.address_complement.strip(), person.address.strip()]
    town = " ".join(
        part for part in (person.postal_code.strip(), person.city.strip().upper()) if part
    )
    return [line for line in (*lines, town) if line]
