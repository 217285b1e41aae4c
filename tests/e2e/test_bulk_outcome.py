"""The "statut inconnu" queue in a real browser (issue 18, point 9): tick several
convocations, record one outcome for all, once even after a double click."""

from __future__ import annotations

import pytest

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = Appointment.Status


@pytest.fixture
def queue(org, agendas):
    return [
        AppointmentFactory(
            person=PersonFactory(last_name=name, followed_by=[org.spip_alpha]),
            agenda=agendas.spip_alpha,
            starts_at=days_ago(days),
        )
        for name, days in (("Arnold", 4), ("Bauer", 3), ("Colin", 2))
    ]


def test_select_all_then_record_one_outcome_for_the_ticked_ones(log_in, page, cpip, queue):
    log_in(cpip.email)
    page.goto("/convocations/statut-inconnu/")
    page.get_by_role("link", name="Tout sélectionner").click()
    boxes = page.locator("input[data-select-item]")
    assert boxes.count() == 3
    assert all(boxes.nth(index).is_checked() for index in range(3))
    page.get_by_role("link", name="Tout désélectionner").is_visible()
    page.click(f"label[for=choix-{queue[2].pk}]")  # untick Colin
    page.get_by_role("button", name="Non honorées").dblclick()
    page.wait_for_selector("text=2 convocations marquées non honorées.")
    statuses = [Appointment.objects.get(pk=a.pk).status for a in queue]
    assert statuses == [Status.MISSED, Status.MISSED, Status.BOOKED]
    for appointment in queue[:2]:
        events = Event.objects.for_object(appointment).filter(action="appointment.missed")
        assert events.count() == 1  # a double click records it once
    rows = page.get_by_test_id("unknown-queue").inner_text()
    assert "COLIN" in rows.upper() and "ARNOLD" not in rows.upper()


def test_ticking_boxes_one_by_one(log_in, page, cpip, queue):
    log_in(cpip.email)
    page.goto("/convocations/statut-inconnu/")
    page.click(f"label[for=choix-{queue[0].pk}]")
    page.get_by_role("button", name="Excusées").click()
    page.wait_for_selector("text=1 convocation marquée excusée.")
    assert Appointment.objects.get(pk=queue[0].pk).status == Status.EXCUSED
    assert Appointment.objects.get(pk=queue[1].pk).status == Status.BOOKED
