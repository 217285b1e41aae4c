"""Zero gap (issue 16, points 4 and 6): random sequences of real actions, and after each step
every indicator equals a naive recount of what the test did.

A ``hypothesis`` state machine books, records outcomes, cancels, reschedules, hands SMS to
a provider and applies the operator's receipts, receives STOP, transfers follow-ups
(request, accept, refuse, automatic acceptance) and deletes persons by retention, each
through the function its view or job calls. Beside the database it keeps its own ledger
(``tests/stats/naive.py``) of what it did; the one thing it reads back from an action is
what the action created (the new convocation, the SMS it queued and their planned moment).
After each step it compares, for five areas and three grains, every indicator of the
registry, in total, per bucket and per type, with the ledger's naive recount, and runs
``stats_verify``'s recount (``jalon.stats.verify``): zero gap.

The clock is ``time_machine``'s, moved only by the machine, starting at moments chosen
around midnight UTC and before the October 2026 clock change in Paris; a service in Paris
and one in Nouméa (UTC+11: a 10:30 convocation there is on the previous day in UTC) are in
two TJs of one court of appeal, and a third service in Cayenne is in another.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jalon.access.roles import ServiceKind
from jalon.appointments import actions as appointment_actions
from jalon.appointments.models import Appointment
from jalon.people import actions as people_actions
from jalon.people import retention
from jalon.people.models import Person
from jalon.sms import actions as sms_actions
from jalon.sms import delivery
from jalon.sms.models import Message
from jalon.sms.providers.base import DeliveryState, PermanentError, SendResult
from jalon.sms.providers.linkmobility import Report
from jalon.stats import flows_transfers
from jalon.stats.figures import Tallies, refusal_figure
from jalon.stats.indicators import INDICATORS
from jalon.stats.queries import Area, Period
from jalon.stats.verify import verify
from jalon.stats.wilson import wilson_interval
from jalon.transfers import actions as transfer_actions
from jalon.transfers.models import Transfer
from tests.factories import (
    AgendaFactory,
    AgentFactory,
    CourtOfAppealFactory,
    PersonFactory,
    ServiceFactory,
    TribunalFactory,
    appointment_type,
    profile,
)
from tests.stats.naive import (
    Convocation,
    Expected,
    Ledger,
    PersonInfo,
    ServiceInfo,
    Sms,
    in_area,
    naive_convocations,
    naive_refusals,
    naive_sms,
)
from tests.stats.naive_flows import BuiltTransfer, naive_transfers

# The families of indicators this machine recounts. An indicator of another family (added
# by a later change: transfers, situations, penal chain, art. 474 delays …) is skipped
# only when its family is listed in NOT_MODELLED, so that a new family is a decision.
MODELLED = {"appointments": naive_convocations, "messages": naive_sms}
NOT_MODELLED = {
    # Transfers are compared apart (``_transfers_equal_the_naive_count``); the others are
    # counted and recounted by their own tests (test_flows.py, test_chain.py, naive_*.py).
    "transfers",
    "situations",
    "situation_stock",
    "exit_convocations",
}
NOT_MODELLED_PREFIX = "chain_"  # the penal chain's families (nothing of it is acted on here)

# Where the clock starts: late evening in UTC (the next day in Nouméa), before the clock
# change of Sunday 25 October 2026 in Paris (03:00 → 02:00).
STARTS = [
    dt.datetime(2026, 10, 19, 23, 30, tzinfo=dt.UTC),  # Tuesday 20, 10:30 in Nouméa
    dt.datetime(2026, 10, 21, 21, 50, tzinfo=dt.UTC),  # Wednesday 23:50 in Paris
    dt.datetime(2026, 10, 23, 6, 0, tzinfo=dt.UTC),  # Friday 08:00 in Paris, 17:00 Nouméa
]
# The period checked covers every date the machine can produce, and more.
PERIOD = (dt.date(2026, 10, 12), dt.date(2026, 11, 30))
# Local start times, those that are another day in UTC first.
TIMES = {
    "Europe/Paris": [dt.time(7, 0), dt.time(8, 15), dt.time(12, 0), dt.time(19, 0)],
    "Pacific/Noumea": [dt.time(10, 30), dt.time(11, 15), dt.time(7, 0), dt.time(17, 0)],
    "America/Cayenne": [dt.time(19, 0), dt.time(7, 0), dt.time(14, 0)],
}
TYPES = ["spip_follow_up", "spip_first", "phone_call"]
picks = st.integers(min_value=0, max_value=10_000)
OUTCOMES = st.sampled_from(["honoured", "missed", "excused"])
RECEIPTS = st.sampled_from(["delivered", "undelivered", "permanent", "accepted"])


class Provider:
    """The operator: takes the message, or refuses the number for good."""

    name = "test"

    def __init__(self, refuse: bool) -> None:
        self.refuse = refuse

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        if self.refuse:
            raise PermanentError("Numéro refusé par l’opérateur.", provider=self.name)
        return SendResult(provider=self.name, provider_reference=f"test-{reference}")

    def lookup(self, reference: str) -> DeliveryState:
        return DeliveryState.UNKNOWN


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


class ZeroGap(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.traveller: Any = None
        self.clock: Any = None
        self.ledger = Ledger()
        self.transfers: dict[int, dict[str, Any]] = {}  # pending requests: {pk: {...}}
        # Every transfer requested, as the test saw it happen (recounted by naive_transfers).
        self.transfer_rows: dict[int, BuiltTransfer] = {}
        self.steps = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        if self.traveller is not None:
            self.traveller.stop()

    # --- The world --------------------------------------------------------------------------

    @initialize(
        start=st.sampled_from(STARTS),
        bookings=st.lists(
            st.tuples(picks, picks, picks, st.integers(1, 12), picks, st.booleans()),
            min_size=4,
            max_size=10,
        ),
        wait=st.integers(0, 120),
        outcomes=st.lists(st.tuples(picks, OUTCOMES, st.booleans()), max_size=6),
        sends=st.lists(st.tuples(picks, st.booleans(), picks, RECEIPTS), max_size=6),
    )
    def build_world(
        self,
        start: dt.datetime,
        bookings: list[tuple[int, int, int, int, int, bool]],
        wait: int,
        outcomes: list[tuple[int, str, bool]],
        sends: list[tuple[int, bool, int, str]],
    ) -> None:
        """Three services, six persons; then a first history through the same actions as the
        rules (convocations booked, ``wait`` hours, outcomes, SMS sent and their receipts),
        so that each of the few runs a test can afford starts with things to follow."""
        self.traveller = time_machine.travel(start, tick=False)
        self.clock = self.traveller.start()
        ca = CourtOfAppealFactory(code="ca-z", name="Cour d’appel Z")
        tj_paris = TribunalFactory(code="tj-paris-z", name="TJ Paris Z", court_of_appeal=ca)
        tj_noumea = TribunalFactory(code="tj-noumea-z", name="TJ Nouméa Z", court_of_appeal=ca)
        ca_cayenne = CourtOfAppealFactory(code="ca-cay-z", name="Cour d’appel de Cayenne Z")
        tj_cayenne = TribunalFactory(code="tj-cay-z", court_of_appeal=ca_cayenne)
        self.services = [
            ServiceFactory(name="SPIP Paris", kind=ServiceKind.SPIP, jurisdiction=tj_paris,
                           served=[tj_paris]),
            ServiceFactory(name="SPIP Nouméa", kind=ServiceKind.SPIP, jurisdiction=tj_noumea,
                           served=[tj_noumea], time_zone="Pacific/Noumea",
                           holiday_subdivision="NC"),
            ServiceFactory(name="SPIP Guyane", kind=ServiceKind.SPIP, jurisdiction=tj_cayenne,
                           served=[tj_cayenne], time_zone="America/Cayenne",
                           holiday_subdivision="973"),
        ]  # fmt: skip
        self.agendas = {s.pk: AgendaFactory(place__service=s) for s in self.services}
        self.cpips = {s.pk: AgentFactory(profile=profile("cpip"), service=s) for s in self.services}
        self.admins = {
            s.pk: AgentFactory(profile=profile("local_admin"), service=s) for s in self.services
        }
        for service in self.services:
            self.ledger.services[service.pk] = ServiceInfo(
                service.pk,
                service.time_zone,
                service.jurisdiction_id,
                service.jurisdiction.court_of_appeal_id,
            )
        self.types = [appointment_type(code) for code in TYPES]
        for n in range(6):
            service = self.services[n % 3]
            person = PersonFactory(followed_by=[service], phone=f"+3362{n:07d}")
            self.ledger.persons[person.pk] = PersonInfo(person.pk, person.phone, {service.pk})
        self.areas = [
            ("service", self.services[0].pk),
            ("service", self.services[1].pk),
            ("jurisdiction", tj_noumea.pk),
            ("court_of_appeal", ca.pk),
            ("national", None),
        ]

        for booking in bookings:
            self.book(*booking)
        self.clock.shift(dt.timedelta(hours=wait))
        for which, status, notify in outcomes:
            if self._booked(future=None if status == "excused" else False):
                self.record_outcome(which, status, notify)
        for which, refuse, report, state in sends:
            if self._due():
                self.send_due_sms(which, refuse)
            if any(sms.status != "pending" for sms in self.ledger.messages.values()):
                self.receipt(report, state)

    @property
    def now(self) -> dt.datetime:
        return dt.datetime.now(tz=dt.UTC)

    def _service(self, pk: int) -> Any:
        return next(service for service in self.services if service.pk == pk)

    def _alive(self) -> list[int]:
        return sorted(pk for pk, person in self.ledger.persons.items() if not person.deleted)

    def _new_messages(self, convocation: Convocation | Appointment) -> None:
        """The SMS an action has just queued for a convocation: what the ledger reads back."""
        known = set(self.ledger.messages)
        for message in Message.objects.filter(appointment_id=convocation.pk).exclude(pk__in=known):
            assert message.status == Message.Status.PENDING
            person = self.ledger.persons[message.person_id]
            assert not person.refuses_sms and not person.archived, "an SMS to a refusing person"
            self.ledger.messages[message.pk] = Sms(
                message.pk, str(message.uuid), message.service_id, message.kind,
                message.person_id, message.appointment_id, message.send_after,
            )  # fmt: skip

    def _cancel_pending(self, **which: int) -> None:
        for sms in self.ledger.pending_sms(**which):
            sms.status = "cancelled"

    def _start(self, service: int, day: int, at: int) -> dt.datetime:
        zone = self.ledger.services[service].time_zone
        local_day = self.now.astimezone(ZoneInfo(zone)).date() + dt.timedelta(days=day)
        return dt.datetime.combine(local_day, _pick(TIMES[zone], at), tzinfo=ZoneInfo(zone))

    # --- Time ------------------------------------------------------------------------------------

    @rule(hours=st.integers(min_value=1, max_value=72), minutes=st.sampled_from([0, 20, 45]))
    def time_passes(self, hours: int, minutes: int) -> None:
        self.clock.shift(dt.timedelta(hours=hours, minutes=minutes))

    # --- Convocations ------------------------------------------------------------------------

    def _record_booking(self, appointment: Appointment) -> Convocation:
        row = Convocation(
            appointment.pk, appointment.service_id, appointment.appointment_type_id,
            appointment.person_id, appointment.starts_at,
        )  # fmt: skip
        self.ledger.convocations[row.pk] = row
        self.ledger.persons[row.person].follows.add(row.service)
        self._new_messages(row)
        return row

    @rule(who=picks, where=picks, kind=picks, day=st.integers(1, 12), at=picks,
          send_now=st.booleans())  # fmt: skip
    def book(self, who: int, where: int, kind: int, day: int, at: int, send_now: bool) -> None:
        alive = [pk for pk in self._alive() if not self.ledger.persons[pk].archived]
        if not alive:
            return
        person = Person.objects.get(pk=_pick(alive, who))
        service = _pick(self.services, where)
        starts_at = self._start(service.pk, day, at)
        try:
            appointment = appointment_actions.book_appointment(
                agent=self.cpips[service.pk], person=person, appointment_type=_pick(self.types, kind),
                agenda=self.agendas[service.pk], starts_at=starts_at, send_sms_now=send_now,
            )  # fmt: skip
        except ValidationError:
            return  # a weekend, a holiday, the past, an overlap: nothing happened
        assert appointment.starts_at == starts_at
        self._record_booking(appointment)

    def _booked(self, *, future: bool | None = None) -> list[Convocation]:
        return [
            row
            for pk, row in sorted(self.ledger.convocations.items())
            if row.status == "booked"
            and not self.ledger.persons[row.person].deleted
            and (future is None or (row.starts_at > self.now) == future)
        ]

    @precondition(lambda self: bool(self._booked()))
    @rule(which=picks, status=OUTCOMES,
          notify=st.booleans())  # fmt: skip
    def record_outcome(self, which: int, status: str, notify: bool) -> None:
        candidates = self._booked(future=False if status != "excused" else None)
        if not candidates:
            return
        row = _pick(candidates, which)
        appointment_actions.record_outcome(
            agent=self.cpips[row.service], appointment=Appointment.objects.get(pk=row.pk),
            status=status, notify=notify,
        )  # fmt: skip
        row.status = status
        self._cancel_pending(convocation=row.pk)
        self._new_messages(row)  # the "missed" SMS when asked and the person takes SMS
        if not (notify and status == "missed"):
            assert not self.ledger.pending_sms(convocation=row.pk)

    @precondition(lambda self: bool(self._booked(future=True)))
    @rule(which=picks, notify=st.booleans())
    def cancel(self, which: int, notify: bool) -> None:
        candidates = self._booked(future=True)
        if not candidates:
            return
        row = _pick(candidates, which)
        appointment_actions.cancel_appointment(
            agent=self.cpips[row.service], appointment=Appointment.objects.get(pk=row.pk),
            reason="Empêchement du service", notify=notify,
        )  # fmt: skip
        row.status = "cancelled"
        self._cancel_pending(convocation=row.pk)
        self._new_messages(row)

    @precondition(lambda self: bool(self._booked(future=True)))
    @rule(which=picks, day=st.integers(1, 10), at=picks, notify=st.booleans())
    def reschedule(self, which: int, day: int, at: int, notify: bool) -> None:
        candidates = self._booked(future=True)
        if not candidates:
            return
        row = _pick(candidates, which)
        try:
            new = appointment_actions.reschedule_appointment(
                agent=self.cpips[row.service], appointment=Appointment.objects.get(pk=row.pk),
                agenda=self.agendas[row.service], starts_at=self._start(row.service, day, at),
                notify=notify,
            )  # fmt: skip
        except ValidationError:
            return  # the new date is refused: the old convocation stays as it was
        row.status = "cancelled"
        self._cancel_pending(convocation=row.pk)
        self._record_booking(new)

    # --- SMS ------------------------------------------------------------------------------------

    def _due(self) -> list[Sms]:
        now = self.now
        return [
            sms
            for pk, sms in sorted(self.ledger.messages.items())
            if sms.status == "pending"
            and sms.send_after <= now
            and not self.ledger.persons[sms.person].deleted
            and 8 <= now.astimezone(ZoneInfo(self.ledger.services[sms.service].time_zone)).hour < 20
        ]

    @precondition(lambda self: bool(self._due()))
    @rule(which=picks, refuse=st.booleans())
    def send_due_sms(self, which: int, refuse: bool) -> None:
        """The sending job, at the clock's time, in the service's daytime."""
        now = self.now
        due = self._due()
        sms = _pick(due, which)
        status = delivery.deliver(sms.pk, Provider(refuse), now=now)
        person = self.ledger.persons[sms.person]
        assert sms.convocation is not None
        row = self.ledger.convocations[sms.convocation]
        expected_status = {"cancellation": "cancelled", "missed": "missed"}.get(sms.kind, "booked")
        if (
            person.refuses_sms
            or person.archived
            or row.status != expected_status
            or (sms.kind != "missed" and row.starts_at <= now)
        ):
            sms.status = "cancelled"  # withheld at send time
        else:
            sms.status = "failed" if refuse else "sent"
        assert status == sms.status

    @precondition(
        lambda self: any(sms.status != "pending" for sms in self.ledger.messages.values())
    )
    @rule(which=picks, state=RECEIPTS)
    def receipt(self, which: int, state: str) -> None:
        """An operator's delivery report, as the receipt webhook applies it."""
        candidates = [
            sms
            for pk, sms in sorted(self.ledger.messages.items())
            if sms.status != "pending" and not self.ledger.persons[sms.person].deleted
        ]
        if not candidates:
            return
        sms = _pick(candidates, which)
        delivery_state = {
            "delivered": DeliveryState.DELIVERED,
            "accepted": DeliveryState.ACCEPTED,
        }.get(state, DeliveryState.UNDELIVERED)
        report = Report(sms.uuid, delivery_state, state == "permanent", 0, self.now)
        assert sms_actions.apply_receipt(report=report) is not None
        if sms.status == "sent" and state != "accepted":
            sms.status = "delivered" if state == "delivered" else "undelivered"

    @precondition(lambda self: sum(p.refuses_sms for p in self.ledger.persons.values()) < 2)
    @rule(who=picks)
    def stop(self, who: int) -> None:
        """The person answers STOP (inbound webhook)."""
        alive = self._alive()
        if not alive:
            return
        alive = [pk for pk in alive if not self.ledger.persons[pk].refuses_sms]
        if not alive:
            return
        person = self.ledger.persons[_pick(alive, who)]
        sms_actions.apply_inbound(source=person.phone, text="stop", sent_at=self.now)
        person.refuses_sms = True
        self._cancel_pending(person=person.pk)

    # --- Transfers ------------------------------------------------------------------------------

    @precondition(lambda self: bool(self.ledger.convocations) and len(self.transfers) < 2)
    @rule(who=picks, to=picks, notify=st.booleans())
    def request_transfer(self, who: int, to: int, notify: bool) -> None:
        alive = [pk for pk in self._alive() if not self.ledger.persons[pk].archived]
        if not alive:
            return
        person = self.ledger.persons[_pick(alive, who)]
        others = [service for service in self.services if service.pk not in person.follows]
        if not others or any(t["person"] == person.pk for t in self.transfers.values()):
            return
        service = _pick(others, to)
        transfer = transfer_actions.request_transfer(
            agent=self.admins[service.pk], person=Person.objects.get(pk=person.pk),
            service=service, reason="Déménagement", notify_person=notify,
        )  # fmt: skip
        asked = set(person.follows)
        # Accepted at once when none of the asked services had a convocation with the person
        # in the last 6 months (cancelled ones do not count), or nobody follows them.
        recent = any(
            row.person == person.pk and row.service in asked and row.status != "cancelled"
            and row.starts_at >= self.now - dt.timedelta(days=183)
            for row in self.ledger.convocations.values()
        )  # fmt: skip
        info = {"person": person.pk, "to": service.pk, "asked": asked, "notify": notify}
        self.transfer_rows[transfer.pk] = BuiltTransfer(
            service_id=service.pk,
            zone=self._service(service.pk).time_zone,
            created_at=self.now,
            status="pending" if recent else "auto_accepted",
            decided_at=None if recent else self.now,
            person_id=person.pk,
        )
        if recent:
            assert transfer.status == Transfer.Status.PENDING
            self.transfers[transfer.pk] = {**info, "waiting": set(asked)}
        else:
            assert transfer.status == Transfer.Status.AUTO_ACCEPTED
            self._complete(info)

    def _complete(self, info: dict[str, Any]) -> None:
        """All asked services accepted: the follow moves, their future convocations end."""
        person = self.ledger.persons[info["person"]]
        released = info["asked"] - {info["to"]}
        person.follows = (person.follows - released) | {info["to"]}
        for row in list(self.ledger.convocations.values()):
            if row.person == person.pk and row.service in released and row.status == "booked" \
                    and row.starts_at > self.now:  # fmt: skip
                row.status = "cancelled"
                self._cancel_pending(convocation=row.pk)
                self._new_messages(row)  # the cancellation SMS when the requester asked

    @precondition(lambda self: bool(self.transfers))
    @rule(which=picks, accept=st.booleans())
    def answer_transfer(self, which: int, accept: bool) -> None:
        if not self.transfers:
            return
        pk = _pick(sorted(self.transfers), which)
        info = self.transfers[pk]
        service = self._service(sorted(info["waiting"])[0])
        transfer = Transfer.objects.get(pk=pk)
        if not accept:
            transfer_actions.refuse_transfer(
                agent=self.admins[service.pk], transfer=transfer, reason="Toujours suivi ici"
            )
            del self.transfers[pk]
            self._decided(pk, "refused")
            return
        transfer_actions.accept_transfer(agent=self.admins[service.pk], transfer=transfer)
        info["waiting"].discard(service.pk)
        if not info["waiting"]:
            del self.transfers[pk]
            self._decided(pk, "accepted")
            self._complete(info)

    @precondition(lambda self: bool(self.transfers))
    @rule()
    def transfer_deadlines(self) -> None:
        """The daily job: after 10 days without an answer, a request is accepted."""
        report = transfer_actions.process_deadlines()
        for pk in report.auto_accepted:
            self._decided(pk, "auto_accepted")
            self._complete(self.transfers.pop(pk))

    def _decided(self, pk: int, status: str) -> None:
        row = self.transfer_rows[pk]
        self.transfer_rows[pk] = dataclasses.replace(row, status=status, decided_at=self.now)

    # --- Retention -----------------------------------------------------------------------------

    @precondition(
        lambda self: (
            bool(self.ledger.convocations)
            and sum(p.deleted for p in self.ledger.persons.values()) < 2
        )
    )
    @rule(who=picks)
    def delete_by_retention(self, who: int) -> None:
        """An agent archives a person; six months later the nightly job deletes them.

        Only a person without a planned convocation still ahead: six months later, it
        would be past (the job runs with that date, the clock of the other rules stays).
        """
        candidates = [
            pk
            for pk in self._alive()
            if not any(
                row.person == pk and row.status == "booked" and row.starts_at > self.now
                for row in self.ledger.convocations.values()
            )
            and not any(t["person"] == pk for t in self.transfers.values())
        ]
        if not candidates:
            return
        person = self.ledger.persons[_pick(candidates, who)]
        people_actions.archive_person(
            agent=self.admins[self.services[0].pk],
            person=Person.objects.get(pk=person.pk),
        )
        person.archived = True
        later = self.now + dt.timedelta(days=190)
        deleted = retention.delete_expired_archives(now=later)
        assert deleted.ids == [person.pk]
        person.deleted = True

    # --- The invariant ----------------------------------------------------------------------------

    @invariant()
    def every_indicator_equals_the_naive_count(self) -> None:
        if self.clock is None:
            return
        now = self.now
        start, end = PERIOD
        # Every step checks days, and weeks or months in turn (the cost of a step is there).
        self.steps += 1
        grains = ("day", ("week", "month")[self.steps % 2])
        for area in self.areas:
            for grain in grains:
                tallies = Tallies.count(Area(*area), Period(start, end, grain), now=now)
                naive = {
                    "appointments": naive_convocations(self.ledger, area, start, end, grain, now),
                    "messages": naive_sms(self.ledger, area, start, end, grain),
                }
                for code, indicator in INDICATORS.items():
                    if indicator.family in NOT_MODELLED or indicator.family.startswith(
                        NOT_MODELLED_PREFIX
                    ):
                        continue
                    assert indicator.family in MODELLED, (
                        f"{code}: family {indicator.family!r} is neither recounted here nor "
                        "listed in NOT_MODELLED"
                    )
                    expected = naive[indicator.family]
                    where = f"{code} {area} {grain}"
                    _same(tallies.figure(code), expected.total[code], where)
                    got = tallies.by_bucket(code)
                    assert [b for b, _ in got] == [b for b, _ in expected.by_bucket[code]], where
                    for (bucket, figure), (_, want) in zip(
                        got, expected.by_bucket[code], strict=True
                    ):
                        _same(figure, want, f"{where} {bucket}")
                    by_type = tallies.by_second_key(code)
                    assert set(by_type) == set(expected.by_type[code]), where
                    for second, figure in by_type.items():
                        _same(figure, expected.by_type[code][second], f"{where} {second}")
            _same(refusal_figure(Area(*area)), naive_refusals(self.ledger, area), f"refus {area}")
            self._transfers_equal_the_naive_count(area, start, end, grains)
        for grain in grains:
            gaps = verify(Area("national"), Period(start, end, grain), now=now)
            assert gaps == [], [str(gap) for gap in gaps]

    def _transfers_equal_the_naive_count(
        self, area: tuple[Any, ...], start: dt.date, end: dt.date, grains: tuple[str, ...]
    ) -> None:
        services = {
            pk for pk, info in self.ledger.services.items() if in_area(info, area[0], area[-1])
        }
        rows = list(self.transfer_rows.values())
        for grain in grains:
            counted = flows_transfers.counted(Area(*area), Period(start, end, grain))
            expected = naive_transfers(rows, services, start, end)
            for code in flows_transfers.INDICATORS:
                assert counted.figure(code).value == expected[code], (code, area, grain)


def _same(figure: Any, want: Expected, where: str) -> None:
    assert figure.value == want.value, (where, figure, want)
    if want.denominator is not None:
        assert (figure.numerator, figure.denominator) == (want.numerator, want.denominator), where
        if figure.interval is not None:
            assert figure.interval == wilson_interval(want.numerator, want.denominator), where
        assert figure.aside == want.aside, (where, figure, want)


# Reproducible by default (a fixed derandomised search, about a minute on a slow machine);
# JALON_ZERO_GAP_EXAMPLES=200 searches longer, at random.
LONG_RUN = int(os.environ.get("JALON_ZERO_GAP_EXAMPLES", "0"))
ZeroGap.TestCase.settings = settings(
    max_examples=LONG_RUN or 8,
    stateful_step_count=8,
    deadline=None,
    derandomize=not LONG_RUN,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
def test_zero_gap() -> None:
    run_state_machine_as_test(ZeroGap, settings=ZeroGap.TestCase.settings)
