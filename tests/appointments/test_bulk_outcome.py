"""One outcome for several convocations of the "statut inconnu" queue (issue 18, point 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.appointments.actions.outcomes import record_outcomes
from jalon.appointments.models import Appointment
from jalon.history.models import Event
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory

Status = Appointment.Status
QUEUE = "/convocations/statut-inconnu/"


@pytest.fixture
def past(person, agendas):
    """Three past convocations of SPIP Alpha without outcome."""
    return [
        AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(days))
        for days in (2, 3, 4)
    ]


def _events(appointment: Appointment, action: str) -> int:
    return Event.objects.for_object(appointment).filter(action=action).count()


def test_records_the_outcome_of_each_with_one_event_each(cpip, past):
    result = record_outcomes(agent=cpip, appointment_ids=[a.pk for a in past], status=Status.MISSED)
    assert [a.pk for a in result.recorded] == [a.pk for a in reversed(past)]  # oldest first
    for appointment in past:
        appointment.refresh_from_db()
        assert appointment.status == Status.MISSED
        assert appointment.outcome_by == cpip
        assert _events(appointment, "appointment.missed") == 1


def test_twice_records_nothing_more(cpip, past):
    ids = [a.pk for a in past]
    record_outcomes(agent=cpip, appointment_ids=ids, status=Status.HONOURED)
    again = record_outcomes(agent=cpip, appointment_ids=ids, status=Status.HONOURED)
    assert not again.recorded and len(again.already) == 3
    assert all(_events(a, "appointment.honoured") == 1 for a in past)


def test_refused_ones_are_reported_and_the_others_recorded(
    cpip, make_agent, org, person, agendas, past
):
    future = AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(-3))
    at_the_sap = AppointmentFactory(person=person, agenda=agendas.sap_alpha, starts_at=days_ago(2))
    elsewhere = AppointmentFactory(
        person=PersonFactory(followed_by=[org.sap_beta]),
        agenda=agendas.sap_beta,
        starts_at=days_ago(2),
    )
    ids = [past[0].pk, future.pk, at_the_sap.pk, elsewhere.pk, 999_999_999]
    result = record_outcomes(agent=cpip, appointment_ids=ids, status=Status.HONOURED)
    assert result.recorded == [past[0]]
    refused = dict(result.refused)
    assert "déjà commencée" in refused[future]
    assert "ne pouvez pas" in refused[at_the_sap]  # another service receives it
    assert result.missing == 2  # another ressort, and one that does not exist
    for appointment in (future, at_the_sap, elsewhere):
        appointment.refresh_from_db()
        assert appointment.status == Status.BOOKED


def test_the_queue_form_records_and_comes_back(client_for, cpip, past):
    client = client_for(cpip)
    page = client.get(QUEUE, {"moi": "0"}).content.decode()
    assert 'id="bulk-outcome"' in page and 'name="convocations"' in page
    response = client.post(
        reverse("unknown_status_bulk"),
        {
            "convocations": [past[0].pk, past[1].pk],
            "statut": "excusee",
            "next": f"{QUEUE}?moi=0",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?moi=0"
    assert [Appointment.objects.get(pk=a.pk).status for a in past] == [
        Status.EXCUSED,
        Status.EXCUSED,
        Status.BOOKED,
    ]
    shown = client.get(response["Location"]).content.decode()
    assert "2 convocations marquées excusées." in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"statut": "honoree"}, "Cochez au moins une convocation"),
        ({"convocations": ["1"], "statut": "perdue"}, "Choisissez le statut"),
        ({"convocations": ["abc"], "statut": "honoree"}, "n’est pas valide"),
        ({"convocations": ["-4"], "statut": "honoree"}, "n’est pas valide"),
    ],
)
def test_bad_input_is_explained_in_french(client_for, cpip, past, data, message):
    response = client_for(cpip).post(reverse("unknown_status_bulk"), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert all(Appointment.objects.get(pk=a.pk).status == Status.BOOKED for a in past)


def test_a_refusal_is_said_with_the_person_and_date(client_for, cpip, person, agendas):
    future = AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(-3))
    response = client_for(cpip).post(
        reverse("unknown_status_bulk"),
        {"convocations": [future.pk], "statut": "honoree"},
        follow=True,
    )
    html = response.content.decode()
    assert f"{future.local_start:%d/%m/%Y}" in html and "statut non renseigné" in html


def test_select_all_without_javascript_ticks_every_box(client_for, cpip, past):
    client = client_for(cpip)
    assert "checked" not in client.get(QUEUE).content.decode()
    page = client.get(QUEUE, {"tout": "1"}).content.decode()
    assert page.count("checked") == 3
    assert "Tout désélectionner" in page
