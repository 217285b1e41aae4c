"""Instances de concertation (SIS-07): meetings, agenda, notes, printable agenda."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jalon.situations.models import ListEntry, Meeting, MeetingItem
from tests.factories import SituationFactory
from tests.pdf import accessibility_failures
from tests.situations.world import World, agents


@pytest.fixture
def instance(world: World) -> ListEntry:
    return ListEntry.objects.create(
        jurisdiction=world.org.tj_alpha, kind="instance", name="Comité VIF"
    )


def test_the_parquet_plans_a_meeting_sets_its_agenda_and_prints_it(
    world, make_agent, client_for, instance, frozen_now
):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, mec__last_name="ORDRE")
    situation.instances.add(instance)
    client = client_for(people["parquet_alpha"])
    response = client.post(
        reverse("meeting_list"), {"instance": instance.pk, "held_on": "12/07/2027"}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.held_on == datetime.date(2027, 7, 12)
    client.post(reverse("meeting_detail", args=[meeting.pk]), {"situation": situation.pk})
    item = MeetingItem.objects.get()
    client.post(
        reverse("meeting_detail", args=[meeting.pk]), {"item": item.pk, "notes": "Éviction"}
    )
    item.refresh_from_db()
    assert item.notes == "Éviction"
    pdf = client.get(reverse("meeting_agenda_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert accessibility_failures(pdf.content) == []


def test_an_invisible_situation_cannot_be_put_on_the_agenda(
    world, make_agent, client_for, instance
):
    people = agents(world, make_agent)
    meeting = Meeting.objects.create(instance=instance, held_on=datetime.date(2027, 7, 12))
    foreign = SituationFactory(jurisdiction=world.org.tj_beta)
    response = client_for(people["parquet_alpha"]).post(
        reverse("meeting_detail", args=[meeting.pk]), {"situation": foreign.pk}
    )
    assert response.status_code == 404
    assert not MeetingItem.objects.exists()


def test_the_jaf_reads_only_its_share_of_the_agenda_and_writes_nothing(
    world, make_agent, client_for, instance
):
    people = agents(world, make_agent)
    meeting = Meeting.objects.create(instance=instance, held_on=datetime.date(2027, 7, 12))
    shared = SituationFactory(
        jurisdiction=world.org.tj_alpha, mec_procedure_jaf=True, mec__last_name="PARTAGE"
    )
    hidden = SituationFactory(jurisdiction=world.org.tj_alpha, mec__last_name="RESERVE")
    MeetingItem.objects.create(meeting=meeting, situation=shared)
    MeetingItem.objects.create(meeting=meeting, situation=hidden)
    client = client_for(people["jaf_alpha"])
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "PARTAGE" in page and "RESERVE" not in page
    assert (
        client.post(reverse("meeting_detail", args=[meeting.pk]), {"situation": shared.pk})
    ).status_code == 403


def test_another_jurisdictions_meeting_is_not_found(world, make_agent, client_for, instance):
    people = agents(world, make_agent)
    meeting = Meeting.objects.create(instance=instance, held_on=datetime.date(2027, 7, 12))
    client = client_for(people["parquet_beta"])
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meeting_agenda_pdf", args=[meeting.pk])).status_code == 404


def test_a_meeting_without_date_is_refused_in_french(world, make_agent, client_for, instance):
    people = agents(world, make_agent)
    response = client_for(people["parquet_alpha"]).post(
        reverse("meeting_list"), {"instance": instance.pk, "held_on": ""}
    )
    assert "Indiquez la date de la réunion" in response.content.decode()
    assert not Meeting.objects.exists()
