"""Finding a person who may already be registered (MSJ-35, MSJ-37, MSJ-38, EGJ-111).

Two tiers. The same APPI number or mobile number is certain: creation is blocked.
A probable match needs the agent's confirmation ("Créer quand même"); it is either

- the same birth date and names that differ by what registers get wrong: accents, case,
  hyphens, spaces, one typo or two letters swapped, first and last names swapped, a second
  given name added or dropped, a usage name written with the birth name ("DURAND épouse
  MARTIN", "DURAND-MARTIN"), or names that sound the same; or
- a birth date that differs by one wrong digit or by day and month swapped, with the same
  names up to one typo.

Candidates come from indexed blocking keys (APPI number, phone, birth date, and the
phonetic keys of the last name and first given name whatever the birth date), so a lookup
reads a few hundred rows at most among a million persons; they are scored here in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q

from jalon.core.text import (
    given_name_keys,
    name_key,
    normalize_words,
    phonetic_key,
    within_one_edit,
)
from jalon.people.models import Person, phonetic_keys

# Words that join a birth name and a usage name, or are too short to identify a family.
_USAGE_WORDS = frozenset({"epouse", "ep", "epse", "nee", "ne", "dite", "dit", "veuve", "vve"})
_MIN_WORD = 3


@dataclass
class DuplicateReport:
    certain: list[tuple[Person, str]] = field(default_factory=list)
    probable: list[Person] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return bool(self.certain)

    @property
    def warns(self) -> bool:
        return bool(self.probable)


def names_match(last_a: str, first_a: str, last_b: str, first_b: str) -> bool:
    """Same person's name up to one typo, in either order."""
    return keys_match(name_key(last_a) + name_key(first_a), name_key(last_b), name_key(first_b))


def keys_match(key: str, last_key: str, first_key: str) -> bool:
    """``key`` (last then first names) against a person's stored name keys, either order."""
    return within_one_edit(key, last_key + first_key) or within_one_edit(key, first_key + last_key)


def _digits(day: date) -> str:
    return f"{day.day:02d}{day.month:02d}{day.year:04d}"


def dates_close(first: date, second: date) -> bool:
    """The same date, or one typed with one wrong digit, or with day and month swapped."""
    if first == second:
        return True
    if (first.day, first.month, first.year) == (second.month, second.day, second.year):
        return True
    return sum(a != b for a, b in zip(_digits(first), _digits(second), strict=True)) == 1


def _family_words(last_name: str) -> frozenset[str]:
    return frozenset(
        word
        for word in normalize_words(last_name)
        if len(word) >= _MIN_WORD and word not in _USAGE_WORDS
    )


@dataclass(frozen=True)
class _Probe:
    """The identity looked up, with the keys every candidate is compared with."""

    last_key: str
    first_key: str
    key: str
    given: tuple[str, ...]
    family: frozenset[str]
    phonetic: tuple[str, str]
    first_names_phonetic: str
    birth_date: date | None

    @classmethod
    def of(cls, last_name: str, first_names: str, birth_date: date | None) -> _Probe:
        last_key, first_key = name_key(last_name), name_key(first_names)
        return cls(
            last_key=last_key,
            first_key=first_key,
            key=last_key + first_key,
            given=tuple(given_name_keys(first_names)),
            family=_family_words(last_name),
            phonetic=phonetic_keys(last_name, first_names),
            first_names_phonetic=phonetic_key(first_names),
            birth_date=birth_date,
        )

    def same_first_names(self, first_key: str, first_names: str) -> bool:
        """Up to one typo, or one list of given names starts the other ("Jean" / "Jean Louis")."""
        if within_one_edit(self.first_key, first_key):
            return True
        if not (first_key.startswith(self.first_key) or self.first_key.startswith(first_key)):
            return False  # cheap test first: a list starting the other gives a key prefix
        given = tuple(given_name_keys(first_names))
        shorter, longer = sorted((self.given, given), key=len)
        return 0 < len(shorter) < len(longer) and longer[: len(shorter)] == shorter

    def same_family(self, last_key: str, last_name: str) -> bool:
        """Up to one typo, or one name's words within the other's (a usage name added)."""
        if within_one_edit(self.last_key, last_key):
            return True
        if self.last_key not in last_key and last_key not in self.last_key:
            return False  # cheap test first: containment of words implies it of the keys
        family = _family_words(last_name)
        shorter, longer = sorted((self.family, family), key=len)
        return bool(shorter) and shorter < longer

    def born_same_day_as(self, row: _Row) -> bool:
        """Probable when born the same day: names alike as registers get them wrong."""
        if keys_match(self.key, row.last_key, row.first_key):
            return True
        if self.phonetic[0] and self.phonetic == (row.last_phonetic, row.first_phonetic):
            # Spelt otherwise but sounding the same (Philippe / Filipe, Lefèvre / Lefebvre),
            # given names included: twins may share their first given name.
            return self.same_first_names(row.first_key, row.first_names) or (
                phonetic_key(row.first_names) == self.first_names_phonetic
            )
        return self.same_family(row.last_key, row.last_name) and self.same_first_names(
            row.first_key, row.first_names
        )


@dataclass(frozen=True)
class _Row:
    pk: int
    appi_number: str | None
    phone: str | None
    birth_date: date
    last_name: str
    first_names: str
    last_key: str
    first_key: str
    last_phonetic: str
    first_phonetic: str


_ROW_FIELDS = (
    "pk",
    "appi_number",
    "phone",
    "birth_date",
    "last_name",
    "first_names",
    "last_name_key",
    "first_names_key",
    "last_name_phonetic",
    "first_name_phonetic",
)


def _probable(probe: _Probe, row: _Row) -> bool:
    if probe.birth_date is None:
        return False
    if row.birth_date == probe.birth_date:
        return probe.born_same_day_as(row)
    # Another birth date: only a typing slip in it, with the same names up to one typo.
    return dates_close(row.birth_date, probe.birth_date) and keys_match(
        probe.key, row.last_key, row.first_key
    )


def _reasons(
    probe: _Probe, appi_number: str | None, phone: str | None, rows: Iterable[_Row]
) -> dict[int, str]:
    """The candidates that match: the reason of a certain duplicate, or "" for a probable."""
    reasons: dict[int, str] = {}
    for row in rows:
        if appi_number and row.appi_number == appi_number:
            reasons[row.pk] = "le même numéro APPI"
        elif phone and row.phone == phone:
            reasons[row.pk] = "le même numéro de téléphone"
        elif _probable(probe, row):
            reasons[row.pk] = ""
    return reasons


def _report(reasons: dict[int, str], persons: Iterable[Person]) -> DuplicateReport:
    report = DuplicateReport()
    for person in persons:
        if person.pk not in reasons:
            continue
        if reasons[person.pk]:
            report.certain.append((person, reasons[person.pk]))
        else:
            report.probable.append(person)
    return report


def find_duplicates(
    *,
    last_name: str,
    first_names: str,
    birth_date: date | None,
    appi_number: str | None = None,
    phone: str | None = None,
    exclude_pk: int | None = None,
) -> DuplicateReport:
    """Look for the person nationally: one identity per person, whoever registered it.

    One query reads the blocked candidates as plain values (a birth date is shared by a
    few hundred persons nationally, a phonetic name by fewer); only those that match are
    loaded whole, with the services that follow them.
    """
    probe = _Probe.of(last_name, first_names, birth_date)
    blocks = Q()
    if appi_number:
        blocks |= Q(appi_number=appi_number)
    if phone:
        blocks |= Q(phone=phone)
    if birth_date is not None:
        blocks |= Q(birth_date=birth_date)
        last_sound, first_sound = probe.phonetic
        if last_sound and first_sound:
            blocks |= Q(last_name_phonetic=last_sound, first_name_phonetic=first_sound)
    if not blocks:
        return DuplicateReport()
    candidates = Person.objects.filter(blocks).order_by()
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    rows = (_Row(*values) for values in candidates.values_list(*_ROW_FIELDS))
    reasons = _reasons(probe, appi_number, phone, rows)
    if not reasons:
        return DuplicateReport()
    return _report(reasons, Person.objects.filter(pk__in=reasons).with_followers())


@dataclass(frozen=True)
class IdentityQuery:
    """One identity to look up among many (``find_duplicates_many``)."""

    last_name: str
    first_names: str
    birth_date: date | None
    appi_number: str | None = None
    phone: str | None = None


# The four blocks of ``find_duplicates`` for many identities at once, each arm on its index.
_MANY_CANDIDATES = """
SELECT id, appi_number, phone, birth_date, last_name, first_names, last_name_key,
    first_names_key, last_name_phonetic, first_name_phonetic
FROM people_person WHERE id IN (
    SELECT id FROM people_person WHERE appi_number = ANY(%s)
    UNION SELECT id FROM people_person WHERE phone = ANY(%s)
    UNION SELECT id FROM people_person WHERE birth_date = ANY(%s)
    UNION SELECT id FROM people_person
        JOIN unnest(%s::text[], %s::text[]) AS sound (last_sound, first_sound)
        ON last_name_phonetic = sound.last_sound AND first_name_phonetic = sound.first_sound
)
"""


def find_duplicates_many(identities: list[IdentityQuery]) -> list[DuplicateReport]:
    """``find_duplicates`` for each of ``identities`` (an import's batch), in two queries.

    The candidates of every identity are read at once (the union of their blocks), then
    each identity is scored against its own blocks only, exactly as ``find_duplicates``
    does; the persons found are loaded in one query, without their followers.
    """
    probes = [_Probe.of(one.last_name, one.first_names, one.birth_date) for one in identities]
    appis = sorted({one.appi_number for one in identities if one.appi_number})
    phones = sorted({one.phone for one in identities if one.phone})
    dates = sorted({one.birth_date for one in identities if one.birth_date is not None})
    sounds = sorted(
        {
            probe.phonetic
            for probe in probes
            if probe.birth_date is not None and probe.phonetic[0] and probe.phonetic[1]
        }
    )
    if not (appis or phones or dates):
        return [DuplicateReport() for _ in identities]
    with connection.cursor() as cursor:
        cursor.execute(
            _MANY_CANDIDATES,
            [
                appis,
                phones,
                dates,
                [sound[0] for sound in sounds],
                [sound[1] for sound in sounds],
            ],
        )
        candidates = [_Row(*values) for values in cursor.fetchall()]
    by_appi: dict[str, list[_Row]] = defaultdict(list)
    by_phone: dict[str, list[_Row]] = defaultdict(list)
    by_date: dict[date, list[_Row]] = defaultdict(list)
    by_sound: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in candidates:
        if row.appi_number:
            by_appi[row.appi_number].append(row)
        if row.phone:
            by_phone[row.phone].append(row)
        by_date[row.birth_date].append(row)
        by_sound[(row.last_phonetic, row.first_phonetic)].append(row)
    found: list[dict[int, str]] = []
    for one, probe in zip(identities, probes, strict=True):
        own: dict[int, _Row] = {}
        if one.appi_number:
            own.update((row.pk, row) for row in by_appi.get(one.appi_number, ()))
        if one.phone:
            own.update((row.pk, row) for row in by_phone.get(one.phone, ()))
        if one.birth_date is not None:
            own.update((row.pk, row) for row in by_date.get(one.birth_date, ()))
            if probe.phonetic[0] and probe.phonetic[1]:
                own.update((row.pk, row) for row in by_sound.get(probe.phonetic, ()))
        found.append(_reasons(probe, one.appi_number, one.phone, own.values()))
    wanted = {pk for reasons in found for pk in reasons}
    persons = list(Person.objects.filter(pk__in=wanted)) if wanted else []
    rank = {person.pk: index for index, person in enumerate(persons)}  # the persons' order
    return [
        _report(reasons, [persons[rank[pk]] for pk in sorted(reasons, key=rank.__getitem__)])
        for reasons in found
    ]
