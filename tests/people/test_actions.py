"""Registering and changing persons: duplicates, follows and history."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jalon.history.models import Event
from jalon.people import actions
from jalon.people.actions import DuplicatePersonError, Identity
from jalon.people.models import Person
from tests.factories import PersonFactory


def identity(**overrides) -> Identity:
    values = {
        "last_name": "lévêque",
        "first_names": "jean-pierre",
        "birth_date": dt.date(1978, 11, 2),
        "phone": "+33612345602",
    }
    values.update(overrides)
    return Identity(**values)


def test_register_normalises_and_is_followed_by_the_agents_service(cpip, org):
    person = actions.register_person(agent=cpip, identity=identity())
    assert (person.last_name, person.first_names) == ("LÉVÊQUE", "Jean-Pierre")
    assert (person.last_name_key, person.first_names_key) == ("leveque", "jeanpierre")
    assert list(person.services.all()) == [org.spip_alpha]
    event = Event.objects.for_object(person).get()
    assert event.action == "person.created" and event.actor == cpip


@pytest.mark.parametrize(
    "existing",
    [{"phone": "+33612345602"}, {"appi_number": "20012345", "phone": None}],
)
def test_the_same_phone_or_appi_number_blocks_even_when_confirmed(cpip, org, existing):
    PersonFactory(last_name="Autre", birth_date=dt.date(1960, 1, 1), **existing)
    with pytest.raises(DuplicatePersonError) as error:
        actions.register_person(
            agent=cpip, identity=identity(appi_number="20012345"), confirm_probable=True
        )
    assert error.value.report.blocks
    assert Person.objects.count() == 1


def test_a_probable_duplicate_needs_confirmation_which_is_recorded(cpip, org):
    existing = PersonFactory(
        last_name="LEVEQUE", first_names="Jean Pierre", birth_date=dt.date(1978, 11, 2)
    )
    with pytest.raises(DuplicatePersonError) as error:
        actions.register_person(agent=cpip, identity=identity())
    assert error.value.report.probable == [existing]
    person = actions.register_person(agent=cpip, identity=identity(), confirm_probable=True)
    event = Event.objects.for_object(person).get()
    assert event.details["confirmed_despite"] == [existing.pk]


def test_update_records_which_fields_changed(cpip, org):
    person = actions.register_person(agent=cpip, identity=identity())
    changed = actions.update_person(
        agent=cpip, person=person, identity=identity(phone="+33712345678", refuses_sms=True)
    )
    assert changed == ["phone", "refuses_sms"]
    person.refresh_from_db()
    assert person.phone == "+33712345678" and person.refuses_sms
    assert Event.objects.for_object(person).filter(action="person.updated").get().details == {
        "fields": ["phone", "refuses_sms"]
    }
    assert (
        actions.update_person(
            agent=cpip, person=person, identity=identity(phone="+33712345678", refuses_sms=True)
        )
        == []
    )


def test_update_refuses_a_phone_of_another_person(cpip, org):
    PersonFactory(phone="+33700000001")
    person = actions.register_person(agent=cpip, identity=identity())
    with pytest.raises(DuplicatePersonError):
        actions.update_person(agent=cpip, person=person, identity=identity(phone="+33700000001"))


def test_the_database_refuses_a_shared_phone_when_two_agents_race(cpip, org):
    PersonFactory(phone="+33700000002")
    person = Person(last_name="X", first_names="Y", birth_date=dt.date(1980, 1, 1))
    person.phone = "+33700000002"
    with pytest.raises(Exception, match="person_phone_unique"):
        person.save()


def test_archive_and_unarchive_are_recorded(cpip, make_agent, org):
    person = actions.register_person(agent=cpip, identity=identity())
    actions.archive_person(agent=cpip, person=person)
    assert person.is_archived
    actions.archive_person(agent=cpip, person=person)  # idempotent: no second event
    admin = make_agent("local_admin", service=org.spip_alpha)
    actions.unarchive_person(agent=admin, person=person)
    assert not person.is_archived
    assert list(
        Event.objects.for_object(person).order_by("pk").values_list("action", flat=True)
    ) == ["person.created", "person.archived", "person.unarchived"]


def test_a_person_without_mobile_cannot_have_a_number(org):
    with pytest.raises(Exception, match="person_without_mobile_has_no_phone"):
        PersonFactory(has_no_mobile=True, phone="+33700000003")


def test_validation_error_class_is_raised_for_unique_violations_in_actions(cpip, org, monkeypatch):
    """If the duplicate lookup misses a concurrent insert, the constraint still answers in French."""
    PersonFactory(phone="+33612345602", last_name="Autre", birth_date=dt.date(1960, 1, 1))
    monkeypatch.setattr(actions, "find_duplicates", lambda **kwargs: actions.DuplicateReport())
    with pytest.raises(ValidationError) as error:
        actions.register_person(agent=cpip, identity=identity())
    assert "déjà enregistré" in error.value.message_dict["phone"][0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "variation",
    [
        {},  # the same name and birth date, no phone
        {"last_name": "jean-pierre", "first_names": "LÉVÊQUE"},  # typed the other way round
        {"appi_number": "20012345"},
    ],
)
def test_parallel_registrations_of_one_identity_create_one_person(
    make_agent, org, monkeypatch, variation
):
    """Eight agents register the same person at once: one record, seven refusals.

    Each lookup waits (up to a second) for the others to have looked too before creating:
    without serialisation every agent finds nobody and creates the person.
    """
    agents = [make_agent("cpip", service=org.spip_alpha) for _ in range(8)]
    barrier = threading.Barrier(len(agents))
    real_lookup = actions.find_duplicates

    def lookup_then_wait(**kwargs):
        report = real_lookup(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return report

    monkeypatch.setattr(actions, "find_duplicates", lookup_then_wait)
    outcomes: list[str] = []

    def register(agent, index):
        values = {"phone": None, "has_no_mobile": True, **variation}
        if index % 2 and "last_name" in variation:
            values = {"phone": None, "has_no_mobile": True}  # half of them in the usual order
        try:
            actions.register_person(agent=agent, identity=identity(**values))
            outcomes.append("created")
        except DuplicatePersonError:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(agent, index)) for index, agent in enumerate(agents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 7
    assert Person.objects.count() == 1
