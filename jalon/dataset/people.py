"""Persons with their follows, convocations, SMS and history, streamed by chunks with COPY.

Everything is drawn from one ``random.Random`` seeded with the run's seed, in a fixed
order, so the same seed and anchor give the same rows. Names go through the functions
``Person.normalize`` uses, so keys are exactly what ``save()`` would compute.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.backends.utils import CursorWrapper

from jalon.appointments.models import Appointment
from jalon.core.dates import french_datetime
from jalon.core.text import format_first_names, format_last_name, name_key
from jalon.dataset import identity, names
from jalon.dataset.calendar import Calendar, to_utc
from jalon.dataset.geography import MOBILE_PREFIXES
from jalon.dataset.models import IdentityPair
from jalon.dataset.organisation import Organisation, Ressort, Unit
from jalon.dataset.slots import SlotBook
from jalon.dataset.writer import check_columns, copy_rows
from jalon.history.models import Event
from jalon.people.models import Follow, Person, phonetic_keys
from jalon.sms.models import Message

PERSON_COLUMNS = [
    "id", "last_name", "first_names", "birth_date", "appi_number", "phone", "has_no_mobile",
    "refuses_sms", "homeless", "lives_abroad", "referent_id", "last_name_key", "first_names_key",
    "created_at", "created_by_id", "archived_at", "last_name_phonetic", "first_name_phonetic",
    "landline", "email", "address", "address_complement", "postal_code", "city", "lawyer",
]  # fmt: skip
# Landline, e-mail, postal address and lawyer: left empty (drawing them would change the
# random stream that the identity benchmark's ground truth depends on).
NO_POSTAL_CONTACT = ("",) * 7
FOLLOW_COLUMNS = ["id", "person_id", "service_id", "since"]
APPOINTMENT_COLUMNS = [
    "id", "person_id", "appointment_type_id", "agenda_id", "service_id", "starts_at", "ends_at",
    "status", "assigned_agent_id", "prosecution_number", "created_at", "created_by_id",
    "created_by_service_id", "outcome_at", "outcome_by_id", "rescheduled_to_id",
    "reconvened_from_id", "slot_id", "judgment_id", "measure_id",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "created_at", "actor_id", "actor_label", "action", "target_type_id", "target_id",
    "target_label", "client_ip", "request_id", "details",
]  # fmt: skip
MESSAGE_COLUMNS = [
    "id", "uuid", "kind", "appointment_id", "person_id", "service_id", "phone", "text",
    "send_after", "status", "attempts", "provider", "provider_reference", "error", "created_at",
    "created_by_id", "sent_at", "delivered_at", "claimed_at", "claim_owner", "lease_until",
    "handed_at", "undelivered",
]  # fmt: skip
PAIR_COLUMNS = ["id", "kind", "original_id", "variant_id", "is_duplicate"]
TABLES = [
    (Person, PERSON_COLUMNS),
    (Follow, FOLLOW_COLUMNS),
    (Appointment, APPOINTMENT_COLUMNS),
    (Event, EVENT_COLUMNS),
    (Message, MESSAGE_COLUMNS),
    (IdentityPair, PAIR_COLUMNS),
]

S = Appointment.Status
# Outcome of a past convocation: about a third missed (issue 7).
PAST_OUTCOMES = [(0.55, S.HONOURED), (0.88, S.MISSED), (0.94, S.EXCUSED), (0.97, S.CANCELLED)]
SPIP_TYPES = [
    ("spip_follow_up", 0.70),
    ("tig_tnr", 0.12),
    ("phone_call", 0.10),
    ("home_visit", 0.08),
]
SAP_TYPES = [("jap_follow_up", 0.60), ("jap_sentence_adjustment", 0.30), ("phone_call", 0.10)]
DAY_MINUTES = list(range(8 * 60 + 30, 17 * 60, 15))
SMS_WINDOW_BEFORE, FUTURE_DAYS, HISTORY_YEARS = 30, 60, 6


@dataclass
class Sizes:
    persons: int
    appointments: int
    pairs: int
    situations: int | None = None  # None: one per 5 persons (200,000 for 1,000,000)
    procedures: int | None = None  # None: one per person (1,000,000 for 1,000,000)

    @property
    def situation_count(self) -> int:
        return self.situations if self.situations is not None else self.persons // 5

    @property
    def procedure_count(self) -> int:
        return self.procedures if self.procedures is not None else self.persons


@dataclass
class Identity:
    """A generated person as later steps need it."""

    id: int
    last_raw: str
    first_raw: str
    birth_date: date
    ressort: Ressort
    phone: str | None
    refuses_sms: bool
    referent: int | None
    created_at: datetime
    archived_at: datetime | None
    follows_sap: bool


@dataclass
class Rows:
    persons: list[tuple[object, ...]] = field(default_factory=list)
    follows: list[tuple[object, ...]] = field(default_factory=list)
    appointments: list[tuple[object, ...]] = field(default_factory=list)
    events: list[tuple[object, ...]] = field(default_factory=list)
    messages: list[tuple[object, ...]] = field(default_factory=list)
    pairs: list[tuple[object, ...]] = field(default_factory=list)


class PeopleGenerator:
    def __init__(
        self,
        *,
        seed: int,
        organisation: Organisation,
        calendar: Calendar,
        slots: SlotBook,
        types: dict[str, tuple[int, int, str]],
        anchor: datetime,
        sizes: Sizes,
        first_ids: dict[str, int],
        content_types: dict[str, int],
    ) -> None:
        for model, columns in TABLES:
            check_columns(model, columns)
        self.rng = random.Random(f"{seed}:people")  # noqa: S311 - synthetic data, not secrets
        self.organisation, self.calendar, self.slots = organisation, calendar, slots
        self.types, self.anchor, self.sizes = types, anchor, sizes
        self.ids = dict(first_ids)
        self.content_types = content_types
        self.phone_counters: dict[str, int] = {}
        self.appi_counter = 0
        self.emitted_appointments = 0
        self.carry = 0
        self.anchor_day = anchor.date()
        self.future_end = self.anchor_day + timedelta(days=FUTURE_DAYS)
        self.slot_first = min((d for _, d in slots.by_day), default=0)
        self.slot_last = max((d for _, d in slots.by_day), default=0)
        self.cumulative: list[float] = []
        total = 0.0
        for ressort in organisation.ressorts:
            total += ressort.share
            self.cumulative.append(total)
        self.stride = max(3, sizes.persons // sizes.pairs) if sizes.pairs else 0

    # --- helpers ------------------------------------------------------------------------

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _ressort(self) -> Ressort:
        point = self.rng.random() * self.cumulative[-1]
        index = min(bisect_left(self.cumulative, point), len(self.cumulative) - 1)
        return self.organisation.ressorts[index]

    def _phone(self, ressort: Ressort) -> str:
        prefix, digits = self.rng.choice(MOBILE_PREFIXES[ressort.court.subdivision])
        counter = self.phone_counters.get(prefix, 0)
        self.phone_counters[prefix] = counter + 1
        # An affine map modulo 10^digits is a bijection: numbers stay unique and look random.
        return f"{prefix}{(counter * 7_919 + 4_243) % 10**digits:0{digits}d}"

    def _appi(self) -> str:
        self.appi_counter += 1
        year_prefix = self.rng.choice(("200", "201", "202"))  # 12 digits: MSJ's rule
        return f"{year_prefix}{(self.appi_counter * 7_919_111 + 12_347) % 10**9:09d}"

    def _agent(self, unit: Unit, code: str) -> int | None:
        agents = unit.agents.get(code)
        return self.rng.choice(agents) if agents else None

    def _label(self, agent: int | None) -> str:
        return self.organisation.agent_labels.get(agent, "") if agent else ""

    def _event(
        self,
        rows: Rows,
        at: datetime,
        actor: int | None,
        action: str,
        target: str,
        pk: int,
        label: str,
    ) -> None:
        rows.events.append(
            (self._id("event"), at, actor, self._label(actor), action,
             self.content_types[target], str(pk), label[:300], None, "", "{}")
        )  # fmt: skip

    # --- persons ------------------------------------------------------------------------

    def _birth_date(self) -> date:
        age = 18 + min(int(self.rng.expovariate(1 / 13)), 62)
        return date(self.anchor_day.year - age, 1, 1) + timedelta(days=self.rng.randrange(365))

    def _base_identity(self, kind: str | None) -> tuple[str, str, date]:
        """An original's identity, drawn so that the error its variant will get is possible."""
        rng = self.rng
        K = IdentityPair.Kind
        birth = self._birth_date()
        if kind == K.DAY_MONTH_SWAPPED:
            while birth.day > 12 or birth.day == birth.month:
                birth = self._birth_date()
        if kind == K.ACCENT_HYPHEN:
            if rng.random() < 0.5:
                return names.last_name(rng, accented=True), names.first_names(rng), birth
            if rng.random() < 0.5:
                return names.last_name(rng, compound=True), names.first_names(rng), birth
            return names.last_name(rng), rng.choice(identity.COMPOUND_FIRST_NAMES), birth
        if kind == K.FIRST_NAME_DROPPED:
            first = names.first_names(rng).split(" ")[0]
            second = rng.choice(names.MALE_SECOND_NAMES + names.FEMALE_SECOND_NAMES)
            return names.last_name(rng), f"{first} {second}", birth
        if kind == K.FIRST_NAME_ADDED:
            return names.last_name(rng), names.first_names(rng).split(" ")[0], birth
        if kind == K.USAGE_NAME:
            return names.last_name(rng), names.first_names(rng, female=True), birth
        return names.last_name(rng), names.first_names(rng), birth

    def _person(
        self, rows: Rows, last_raw: str, first_raw: str, birth: date, ressort: Ressort
    ) -> Identity:
        rng = self.rng
        pk = self._id("person")
        last_name, first_names = format_last_name(last_raw), format_first_names(first_raw)
        draw = rng.random()
        phone = self._phone(ressort) if draw < 0.80 else None
        has_no_mobile = 0.80 <= draw < 0.92
        days_ago = 1 + int(rng.random() ** 1.3 * HISTORY_YEARS * 365)
        created_at = self.anchor - timedelta(days=days_ago, minutes=rng.randrange(600))
        archived_at = None
        if days_ago > 400 and rng.random() < 0.45:
            archived_at = created_at + timedelta(days=rng.randint(200, days_ago - 30))
        referent = self._agent(ressort.spip, "cpip") if rng.random() < 0.75 else None
        created_by = referent or self._agent(ressort.spip, "cpip")
        refuses_sms = rng.random() < 0.03
        rows.persons.append(
            (pk, last_name, first_names, birth, self._appi() if rng.random() < 0.7 else None,
             phone, has_no_mobile, refuses_sms, rng.random() < 0.04, rng.random() < 0.01,
             referent, name_key(last_name), name_key(first_names), created_at, created_by,
             archived_at, *phonetic_keys(last_name, first_names), *NO_POSTAL_CONTACT)
        )  # fmt: skip
        follows_sap = rng.random() < 0.55
        rows.follows.append((self._id("follow"), pk, ressort.spip.id, created_at))
        if follows_sap:
            rows.follows.append(
                (
                    self._id("follow"),
                    pk,
                    ressort.sap.id,
                    created_at + timedelta(days=rng.randint(0, 20)),
                )
            )
        self._event(
            rows,
            created_at,
            created_by,
            "person.created",
            "person",
            pk,
            f"{last_name} {first_names}",
        )
        return Identity(
            pk, last_raw, first_raw, birth, ressort, phone if not has_no_mobile else None,
            refuses_sms, referent, created_at, archived_at, follows_sap,
        )  # fmt: skip

    # --- convocations -------------------------------------------------------------------

    def _appointments(self, rows: Rows, person: Identity, count: int) -> int:
        """Writes up to ``count`` convocations; returns how many could not be placed."""
        rng = self.rng
        end = person.archived_at.date() if person.archived_at else self.future_end
        subdivision = person.ressort.court.subdivision
        days = self.calendar.between(subdivision, person.created_at.date(), end)
        if not days:
            return count
        first_spip = True
        for ordinal in sorted(rng.choices(days, k=count)):
            unit = (
                person.ressort.sap
                if person.follows_sap and rng.random() < 0.25
                else person.ressort.spip
            )
            self._appointment(
                rows, person, unit, ordinal, first_spip and unit is person.ressort.spip
            )
            if unit is person.ressort.spip:
                first_spip = False
        return 0

    def _appointment(
        self, rows: Rows, person: Identity, unit: Unit, ordinal: int, first: bool
    ) -> None:
        rng = self.rng
        ressort = person.ressort
        slot_index = None
        if self.slot_first <= ordinal <= self.slot_last and rng.random() < 0.15:
            code = (
                "sap_ddse"
                if unit.kind != "sap" and rng.random() < 0.3
                else ("sortie_audience_sap" if unit.kind == "sap" else "sortie_audience_spip")
            )
            agenda = unit.slot_agendas[code]
            slot_index = self.slots.take(agenda, ordinal, rng.randrange(6), holds=True)
        if slot_index is not None:
            slot = self.slots.rows[slot_index]
            starts_at, local = slot[4], self.slots.local_starts[slot_index]
            if code == "sap_ddse":
                creator_unit, creator = ressort.sap, self._agent(ressort.sap, "greff_sap")
                assigned = self._agent(unit, "overseer")
            else:
                creator_unit, creator = ressort.bex, self._agent(ressort.bex, "bex")
                assigned = self._agent(unit, "cpip" if unit.kind != "sap" else "jap")
        else:
            if unit.kind == "sap":
                code = self._weighted(SAP_TYPES)
                assigned = self._agent(unit, "jap")
            else:
                code = "spip_first" if first else self._weighted(SPIP_TYPES)
                assigned = person.referent or self._agent(unit, "cpip")
            agenda = rng.choice(unit.agendas)
            local, starts_at = to_utc(ordinal, rng.choice(DAY_MINUTES), unit.time_zone)
            creator_unit, creator = unit, assigned
        type_id, duration, label = self.types[code]
        assert isinstance(starts_at, datetime)
        created_at = max(
            person.created_at,
            starts_at - timedelta(days=rng.randint(2, 45), minutes=rng.randrange(480)),
        )
        created_at = min(created_at, self.anchor - timedelta(minutes=rng.randint(1, 600)))
        status, outcome_at, outcome_by = S.BOOKED, None, None
        if starts_at < self.anchor:
            draw = rng.random()
            status = next((value for bound, value in PAST_OUTCOMES if draw < bound), S.BOOKED)
            if status in (S.HONOURED, S.MISSED, S.EXCUSED):
                outcome_at = min(
                    starts_at + timedelta(minutes=rng.randint(30, 4 * 24 * 60)), self.anchor
                )
                outcome_by = assigned
        elif rng.random() < 0.05:
            status = S.CANCELLED
        if slot_index is not None and status == S.CANCELLED:
            self.slots.rows[slot_index][7] -= 1  # type: ignore[operator]
        pk = self._id("appointment")
        rows.appointments.append(
            (pk, person.id, type_id, agenda, unit.id, starts_at, starts_at + timedelta(minutes=duration),
             status, assigned, f"{starts_at.year}{rng.randrange(10**8):08d}" if creator_unit is ressort.bex else "",
             created_at, creator, creator_unit.id, outcome_at, outcome_by, None, None,
             self.slots.rows[slot_index][0] if slot_index is not None else None, None, None)
        )  # fmt: skip
        target_label = f"{label} — {local:%d/%m/%Y %H:%M}"
        self._event(
            rows, created_at, creator, "appointment.booked", "appointment", pk, target_label
        )
        cancelled_at = None
        if outcome_at is not None:
            self._event(
                rows,
                outcome_at,
                outcome_by,
                f"appointment.{status}",
                "appointment",
                pk,
                target_label,
            )
        elif status == S.CANCELLED:
            cancelled_at = created_at + (min(starts_at, self.anchor) - created_at) * rng.random()
            self._event(
                rows,
                cancelled_at,
                assigned,
                "appointment.cancelled",
                "appointment",
                pk,
                target_label,
            )
        if person.phone and not person.refuses_sms:
            window_start = self.anchor - timedelta(days=SMS_WINDOW_BEFORE)
            if starts_at >= window_start:
                self._messages(
                    rows,
                    person,
                    unit,
                    pk,
                    status,
                    label,
                    local,
                    starts_at,
                    created_at,
                    creator,
                    cancelled_at,
                )

    def _weighted(self, choices: list[tuple[str, float]]) -> str:
        point = self.rng.random()
        for code, weight in choices:
            point -= weight
            if point < 0:
                return code
        return choices[-1][0]

    def _messages(
        self, rows: Rows, person: Identity, unit: Unit, appointment: int, status: str, label: str,
        local: datetime, starts_at: datetime, created_at: datetime, creator: int | None,
        cancelled_at: datetime | None,
    ) -> None:  # fmt: skip
        when = french_datetime(local)
        place = unit.label

        def add(kind: str, text: str, send_after: datetime, state: str) -> None:
            sent = send_after + timedelta(seconds=20) if state == "delivered" else None
            delivered = send_after + timedelta(seconds=50) if state == "delivered" else None
            rows.messages.append(
                (self._id("message"), uuid.UUID(int=self.rng.getrandbits(128), version=4), kind,
                 appointment, person.id, unit.id, person.phone, text, send_after, state,
                 1 if sent else 0, "linkmobility" if sent else "", f"LM{self.ids['message']}" if sent else "",
                 "", created_at, creator, sent, delivered, sent, None, None, sent, "")
            )  # fmt: skip

        add("convocation", f"Convocation : {label} le {when}, {place}.", created_at, "delivered")
        reminder_at = starts_at - timedelta(hours=48)
        if status == S.CANCELLED:
            add("reminder", f"Rappel : {label} le {when}, {place}.", reminder_at, "cancelled")
            assert cancelled_at is not None
            add("cancellation", f"Annulation : {label} du {when}.", cancelled_at, "delivered")
        else:
            state = "delivered" if reminder_at < self.anchor else "pending"
            add("reminder", f"Rappel : {label} le {when}, {place}.", reminder_at, state)

    # --- the run ------------------------------------------------------------------------

    def run(
        self, cursor: CursorWrapper, chunk: int, progress: Callable[[str], None]
    ) -> dict[str, int]:
        counts = dict.fromkeys(
            ["persons", "follows", "appointments", "events", "messages", "pairs"], 0
        )
        total = self.sizes.persons
        pair_number = 0
        previous: Identity | None = None
        for start in range(0, total, chunk):
            rows = Rows()
            people: list[Identity] = []
            for index in range(start, min(start + chunk, total)):
                position = index % self.stride if self.stride else -1
                in_pairs = self.stride and index // self.stride < self.sizes.pairs
                if in_pairs and position == self.stride - 1 and previous is not None:
                    kind = identity.KINDS[pair_number % len(identity.KINDS)]
                    last_raw, first_raw, birth = identity.variant(
                        self.rng, kind, previous, self.anchor_day, self._birth_date()
                    )
                    ressort = previous.ressort if self.rng.random() < 0.5 else self._ressort()
                    person = self._person(rows, last_raw, first_raw, birth, ressort)
                    rows.pairs.append(
                        (
                            self._id("pair"),
                            kind,
                            previous.id,
                            person.id,
                            kind in IdentityPair.POSITIVE,
                        )
                    )
                    pair_number += 1
                else:
                    forced = (
                        identity.KINDS[pair_number % len(identity.KINDS)]
                        if in_pairs and position == self.stride - 2
                        else None
                    )
                    last_raw, first_raw, birth = self._base_identity(forced)
                    person = self._person(rows, last_raw, first_raw, birth, self._ressort())
                previous = person
                people.append(person)
            self._share_appointments(rows, people, start + len(people))
            for key, model, columns in (
                ("persons", Person, PERSON_COLUMNS),
                ("follows", Follow, FOLLOW_COLUMNS),
                ("appointments", Appointment, APPOINTMENT_COLUMNS),
                ("events", Event, EVENT_COLUMNS),
                ("messages", Message, MESSAGE_COLUMNS),
                ("pairs", IdentityPair, PAIR_COLUMNS),
            ):
                counts[key] += copy_rows(cursor, model, columns, getattr(rows, key))
            progress(
                f"{start + len(people):,} / {total:,} persons, {counts['appointments']:,} convocations"
            )
        return counts

    def _share_appointments(self, rows: Rows, people: list[Identity], done: int) -> None:
        """This chunk's exact share of the convocations, more for longer follow-ups."""
        quota = (
            round(self.sizes.appointments * done / self.sizes.persons) - self.emitted_appointments
        )
        weights = []
        for person in people:
            end = person.archived_at or self.anchor
            years = max((end - person.created_at).days, 1) / 365
            weights.append(self.rng.expovariate(1.0) * (0.3 + min(years, 4.0)))
        scale = quota / (sum(weights) or 1)
        counts = [int(weight * scale) for weight in weights]
        for _ in range(quota - sum(counts)):
            counts[self.rng.randrange(len(counts))] += 1
        for person, count in zip(people, counts, strict=True):
            wanted = count + self.carry
            self.carry = self._appointments(rows, person, wanted) if wanted else 0
            self.emitted_appointments += wanted - self.carry
