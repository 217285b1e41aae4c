"""The synthetic dataset: deterministic, shaped as specified, valid, with a usable ground truth."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment, Slot
from jalon.core.phone import parse_mobile
from jalon.core.text import name_key
from jalon.dataset.generate import Sizes, generate, reset
from jalon.dataset.models import IdentityPair
from jalon.history.models import Event
from jalon.people.duplicates import find_duplicates
from jalon.people.models import KEY_FIELDS, Follow, Person
from jalon.sms.models import Message

ANCHOR = datetime.date(2027, 7, 5)
CHECKED_TABLES = [
    "access_jurisdiction",
    "access_service",
    "access_agent",
    "appointments_agenda",
    "appointments_slot",
    "people_person",
    "people_follow",
    "appointments_appointment",
    "sms_message",
    "history_event",
    "dataset_identitypair",
]


def checksums(tables: list[str] = CHECKED_TABLES) -> dict[str, str]:
    """A digest of each table's rows, in id order."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \"{table}\" t")  # noqa: S608
            found[table] = cursor.fetchone()[0]
    return found


def small(seed: int = 7, sizes: Sizes | None = None) -> None:
    generate(scale="small", seed=seed, anchor=ANCHOR, sizes=sizes, do_reset=True, analyze=False)


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """One small-scale run (seed 7) shared by this module's tests, committed to the test
    database and deleted when the module is done: generating it costs seconds."""
    with django_db_blocker.unblock():
        small()
        yield checksums()
        with transaction.atomic():
            reset()


@pytest.mark.django_db
def test_same_seed_gives_the_same_rows(dataset):
    small(seed=7)
    assert checksums() == dataset
    assert None not in dataset.values()


@pytest.mark.django_db
def test_another_seed_gives_other_rows():
    tiny = Sizes(persons=300, appointments=1_500, pairs=14)
    small(seed=7, sizes=tiny)
    first = checksums()
    small(seed=8, sizes=tiny)
    other = checksums()
    assert other["people_person"] != first["people_person"]
    assert other["appointments_appointment"] != first["appointments_appointment"]


@pytest.mark.django_db
def test_small_scale_has_the_specified_shape(dataset):
    assert Jurisdiction.objects.filter(kind="ca").count() == 2
    assert Jurisdiction.objects.filter(kind="tj").count() == 5
    assert Person.objects.count() == 5_000
    assert Appointment.objects.count() == 25_000
    for kind in (ServiceKind.SAP, ServiceKind.BEX, ServiceKind.PROSECUTION):
        assert Service.objects.filter(kind=kind).count() == 5
    assert Service.objects.filter(kind=ServiceKind.CORRECTIONAL_REGISTRY).count() == 5
    assert Service.objects.filter(kind=ServiceKind.SPIP).count() >= 2
    assert Service.objects.filter(kind=ServiceKind.SPIP_ANTENNA).exists()
    cayenne = Service.objects.get(name="SAP du TJ de Cayenne")
    assert (cayenne.time_zone, cayenne.holiday_subdivision) == ("America/Cayenne", "973")
    strasbourg = Service.objects.get(name="SAP du TJ de Strasbourg")
    assert strasbourg.holiday_subdivision == "6AE"
    assert Agent.objects.filter(profile__code="cpip").count() >= 5_000 // 200

    moment = datetime.datetime.combine(ANCHOR, datetime.time(12), tzinfo=datetime.UTC)
    past = Counter(
        Appointment.objects.filter(starts_at__lt=moment).values_list("status", flat=True)
    )
    total_past = sum(past.values())
    assert 0.30 <= past[Appointment.Status.MISSED] / total_past <= 0.36
    assert past[Appointment.Status.HONOURED] > past[Appointment.Status.MISSED]
    assert Appointment.objects.filter(starts_at__gte=moment, status="booked").count() > 200

    # Every follow-up, convocation and outcome has its history event.
    outcomes = Appointment.objects.exclude(status="booked").count()
    people_events = (
        Event.objects.exclude(action__startswith="situation.")
        .exclude(action__startswith="procedure.")
        .exclude(action="natinf.imported")
    )
    assert people_events.count() == 5_000 + 25_000 + outcomes
    assert Event.objects.filter(action="appointment.missed").count() == past["missed"]
    # Every person is followed by a SPIP site (the penal measures add the SPIP's seat to some).
    spip_follows = Follow.objects.filter(service__kind__in=["spip", "spip_antenna"])
    assert spip_follows.values("person").distinct().count() == 5_000
    assert Message.objects.filter(kind="reminder", status="pending").exists()
    assert Message.objects.filter(kind="convocation", status="delivered").exists()

    # Slots count the convocations holding a place, never more than their capacity.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM appointments_slot s WHERE s.booked_count <> ("
            " SELECT count(*) FROM appointments_appointment a"
            " WHERE a.slot_id = s.id AND a.status <> 'cancelled')"
        )
        assert cursor.fetchone()[0] == 0
    assert Slot.objects.filter(booked_count__gt=0).exists()


@pytest.mark.django_db
def test_rows_hold_together_without_the_foreign_key_triggers(dataset):
    """The generator writes with triggers off: check every reference by hand."""
    orphans = {
        "appointment→person": "appointments_appointment a LEFT JOIN people_person p ON p.id = a.person_id WHERE p.id IS NULL",
        "appointment→agenda": "appointments_appointment a LEFT JOIN appointments_agenda g ON g.id = a.agenda_id WHERE g.id IS NULL",
        "appointment→slot": "appointments_appointment a LEFT JOIN appointments_slot s ON s.id = a.slot_id WHERE a.slot_id IS NOT NULL AND s.id IS NULL",
        "appointment→agent": "appointments_appointment a LEFT JOIN access_agent g ON g.id = a.assigned_agent_id WHERE a.assigned_agent_id IS NOT NULL AND g.id IS NULL",
        "follow→service": "people_follow f LEFT JOIN access_service s ON s.id = f.service_id WHERE s.id IS NULL",
        "person→referent": "people_person p LEFT JOIN access_agent g ON g.id = p.referent_id WHERE p.referent_id IS NOT NULL AND g.id IS NULL",
        "message→appointment": "sms_message m LEFT JOIN appointments_appointment a ON a.id = m.appointment_id WHERE a.id IS NULL",
        "event→actor": "history_event e LEFT JOIN access_agent g ON g.id = e.actor_id WHERE e.actor_id IS NOT NULL AND g.id IS NULL",
        "slot→agenda": "appointments_slot s LEFT JOIN appointments_agenda g ON g.id = s.agenda_id WHERE g.id IS NULL",
    }
    with connection.cursor() as cursor:
        for name, join in orphans.items():
            cursor.execute(f"SELECT count(*) FROM {join}")  # noqa: S608 - constant joins
            assert cursor.fetchone()[0] == 0, name
    # New rows get ids after the generated ones.
    assert (
        Person.objects.create(
            last_name="Nouveau", first_names="Né", birth_date=datetime.date(1990, 1, 1)
        ).pk
        > 5_000
    )


@pytest.mark.django_db
def test_generated_persons_are_valid_and_keyed_as_save_computes(dataset, frozen_now):
    sample = list(Person.objects.order_by("pk")[::50])
    assert len(sample) == 100
    fields = ("last_name", "first_names", *KEY_FIELDS)
    for person in sample:
        person.full_clean()
        keys = [getattr(person, name) for name in fields]
        person.save()
        person.refresh_from_db()
        assert [getattr(person, name) for name in fields] == keys
        assert person.last_name_key == name_key(person.last_name)
    regions = {"+33": "FR", "+590": "GP", "+594": "GF", "+596": "MQ", "+262": "RE"}
    phones = Person.objects.exclude(phone=None).values_list("phone", flat=True)[::25]
    for phone in phones:
        region = next(r for prefix, r in regions.items() if phone.startswith(prefix))
        assert parse_mobile(phone, region) == phone
    assert Person.objects.filter(phone__startswith="+59469").exists()  # Guyane
    names = "".join(Person.objects.values_list("last_name", flat=True)[:2000])
    assert any(char in names for char in "ÉÈÊÏËÇ")
    assert "-" in names and " " in names
    firsts = "".join(Person.objects.values_list("first_names", flat=True)[:2000])
    assert "-" in firsts


@pytest.mark.django_db
def test_find_duplicates_on_the_honest_ground_truth(dataset):
    """Every kind of error is injected; the matcher finds nearly all and flags few others.

    Precision counts, for each injected variant looked up, every person returned that is
    not its original (all of them for the negative controls).
    """
    pairs = list(IdentityPair.objects.select_related("variant"))
    assert len(pairs) == 250
    assert {pair.kind for pair in pairs} == set(IdentityPair.Kind.values)
    true_positives = false_negatives = false_positives = 0
    for pair in pairs:
        variant = pair.variant
        report = find_duplicates(
            last_name=variant.last_name,
            first_names=variant.first_names,
            birth_date=variant.birth_date,
            appi_number=variant.appi_number,
            phone=variant.phone,
            exclude_pk=variant.pk,
        )
        found = {p.pk for p in report.probable} | {p.pk for p, _ in report.certain}
        if pair.is_duplicate:
            hit = pair.original_id in found
            true_positives += hit
            false_negatives += not hit
            found.discard(pair.original_id)
        false_positives += len(found)
    assert true_positives / (true_positives + false_negatives) >= 0.9
    assert true_positives / (true_positives + false_positives) >= 0.95
