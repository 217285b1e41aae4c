"""Every screen or document showing a person's data writes a ``person.viewed`` event on them:
who opened the file, and through what (``{"read": ...}``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from jalon.history.models import Event
from jalon.people import retention
from jalon.situations import documents
from jalon.sms.models import Message, MessageKind
from tests.factories import AppointmentFactory, PersonFactory, SituationFactory, SlotFactory
from tests.situations.world import agents, build_world

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reads(person: Any) -> list[tuple[Any, str]]:
    return [
        (event.actor_id, event.details.get("read"))
        for event in Event.objects.for_object(person).filter(action="person.viewed")
    ]


@pytest.fixture
def convocation(frozen_now, org, agendas, cpip):
    person = PersonFactory(followed_by=[org.spip_alpha])
    return AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now + dt.timedelta(days=2)
    )


def test_opening_the_person_page_is_a_read(client_for, cpip, convocation):
    person = convocation.person
    assert client_for(cpip).get(reverse("person_detail", args=[person.pk])).status_code == 200
    assert reads(person) == [(cpip.pk, "person_page")]


def test_opening_the_edit_form_is_a_read(client_for, cpip, convocation):
    person = convocation.person
    assert client_for(cpip).get(reverse("person_edit", args=[person.pk])).status_code == 200
    assert reads(person) == [(cpip.pk, "person_edit_form")]


@pytest.mark.parametrize(
    ("url_name", "read"),
    [
        ("appointment_detail", "convocation"),
        ("appointment_letter", "convocation_letter"),
        ("appointment_ics", "convocation_ics"),
    ],
)
def test_opening_a_convocation_is_a_read_of_its_person(
    client_for, cpip, convocation, url_name, read
):
    response = client_for(cpip).get(reverse(url_name, args=[convocation.pk]))
    assert response.status_code == 200
    assert reads(convocation.person) == [(cpip.pk, read)]
    event = Event.objects.for_object(convocation.person).get(action="person.viewed")
    assert event.request_id  # from the request, like every event


def test_a_refused_convocation_writes_no_read(client_for, make_agent, org, convocation):
    stranger = make_agent("greff_sap", service=org.sap_beta)
    response = client_for(stranger).get(reverse("appointment_letter", args=[convocation.pk]))
    assert response.status_code == 404
    assert reads(convocation.person) == []


def test_printing_an_agenda_day_is_a_read_of_each_person_on_it(
    frozen_now, client_for, cpip, org, agendas, convocation
):
    other = AppointmentFactory(
        person=PersonFactory(followed_by=[org.spip_alpha]),
        agenda=agendas.spip_alpha,
        starts_at=convocation.starts_at + dt.timedelta(hours=1),
    )
    AppointmentFactory(  # another day: not on the list, not read
        person=PersonFactory(followed_by=[org.spip_alpha]),
        agenda=agendas.spip_alpha,
        starts_at=convocation.starts_at + dt.timedelta(days=1),
    )
    day = convocation.starts_at.astimezone(dt.timezone(dt.timedelta(hours=2))).date()
    response = client_for(cpip).get(
        reverse("agenda_day", args=[agendas.spip_alpha.pk]), {"date": day.isoformat()}
    )
    assert response.status_code == 200
    assert reads(convocation.person) == [(cpip.pk, "agenda_day_pdf")]
    assert reads(other.person) == [(cpip.pk, "agenda_day_pdf")]
    assert Event.objects.filter(action="person.viewed").count() == 2


def test_printing_a_day_of_slots_is_a_read_of_the_persons_named(
    frozen_now, client_for, make_agent, org, agendas
):
    greffier = make_agent("greff_sap", service=org.sap_alpha)
    slot = SlotFactory(agenda=agendas.sap_alpha, starts_at=frozen_now + dt.timedelta(days=2))
    held = AppointmentFactory(
        person=PersonFactory(followed_by=[org.sap_alpha]),
        agenda=agendas.sap_alpha,
        appointment_type=slot.appointment_type,
        slot=slot,
        starts_at=slot.starts_at,
    )
    day = (frozen_now + dt.timedelta(days=2)).date()
    response = client_for(greffier).get(
        reverse("agenda_calendar_pdf", args=[agendas.sap_alpha.pk]), {"date": day.isoformat()}
    )
    assert response.status_code == 200
    assert reads(held.person) == [(greffier.pk, "agenda_slots_pdf")]


def test_the_failed_sms_list_is_a_read_of_each_person_listed(client_for, cpip, convocation):
    Message.objects.create(
        kind=MessageKind.REMINDER,
        appointment=convocation,
        person=convocation.person,
        service=convocation.service,
        phone=convocation.person.phone,
        send_after=convocation.starts_at - dt.timedelta(days=1),
        status=Message.Status.FAILED,
    )
    assert client_for(cpip).get(reverse("sms_failed_queue")).status_code == 200
    assert reads(convocation.person) == [(cpip.pk, "sms_failed_queue")]


def test_downloading_a_situation_document_is_a_read_of_the_mec(
    org, make_agent, client_for, settings, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(org)
    parquet = agents(world, make_agent)["parquet_alpha"]
    situation = SituationFactory(jurisdiction=org.tj_alpha)
    document = documents.add_document(
        agent=parquet, situation=situation, title="PV", name="pv.pdf", content=PDF
    )
    response = client_for(parquet).get(
        reverse("situation_document_download", args=[situation.pk, document.pk])
    )
    assert response.status_code == 200
    assert reads(situation.mec) == [(parquet.pk, "situation_document")]


def test_the_new_reads_are_not_activity_for_retention(frozen_now, client_for, cpip, org, agendas):
    """A file only looked at (its letter printed) is archived after 12 months all the same."""
    person = PersonFactory(
        followed_by=[org.spip_alpha], created_at=frozen_now - relativedelta(years=2)
    )
    past = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - relativedelta(months=13),
        created_at=frozen_now - relativedelta(months=14),
    )
    person.follows.update(since=frozen_now - relativedelta(years=2))
    assert client_for(cpip).get(reverse("appointment_letter", args=[past.pk])).status_code == 200
    assert client_for(cpip).get(reverse("appointment_detail", args=[past.pk])).status_code == 200
    assert len(reads(person)) == 2
    assert retention.archive_inactive_persons() == [person.pk]


def test_printing_a_meeting_agenda_is_a_read_of_each_mec_on_it(org, make_agent, client_for):
    from jalon.situations.models import ListEntry, Meeting, MeetingItem

    world = build_world(org)
    parquet = agents(world, make_agent)["parquet_alpha"]
    instance = ListEntry.objects.create(
        jurisdiction=org.tj_alpha, kind="instance", name="Comité VIF"
    )
    meeting = Meeting.objects.create(instance=instance, held_on=dt.date(2027, 7, 12))
    first, second = (SituationFactory(jurisdiction=org.tj_alpha) for _ in range(2))
    for situation in (first, second):
        MeetingItem.objects.create(meeting=meeting, situation=situation)
    response = client_for(parquet).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert reads(first.mec) == [(parquet.pk, "meeting_agenda_pdf")]
    assert reads(second.mec) == [(parquet.pk, "meeting_agenda_pdf")]
