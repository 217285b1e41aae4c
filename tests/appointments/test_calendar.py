"""Agenda views of slots: day, week and month of an agenda, the day of the service, the PDF."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jalon.appointments.models import Appointment
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    PersonFactory,
    SlotFactory,
    appointment_type,
)
from tests.queries import assert_queries_do_not_grow

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, month: int = 7) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def sap_agent(make_agent, org):
    return make_agent("greff_sap", service=org.sap_alpha)


def book(slot, last_name: str, status: str = Appointment.Status.BOOKED) -> Appointment:
    person = PersonFactory(last_name=last_name)
    slot.booked_count += 1
    slot.save()
    return AppointmentFactory(
        person=person,
        slot=slot,
        agenda=slot.agenda,
        appointment_type=slot.appointment_type,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status=status,
    )


@pytest.fixture
def week(agendas, frozen_now):
    """Slots of the SAP agenda in the week of Monday 5 July 2027, and one the week after."""
    sap = appointment_type("sortie_audience_sap")
    agenda = agendas.sap_alpha
    full = SlotFactory(agenda=agenda, appointment_type=sap, starts_at=at(6, 9), capacity=1)
    shared = SlotFactory(agenda=agenda, appointment_type=sap, starts_at=at(7, 14), capacity=3)
    closed = SlotFactory(
        agenda=agenda, appointment_type=sap, starts_at=at(8, 9), is_open=False,
        closed_reason="Congés",
    )  # fmt: skip
    later = SlotFactory(agenda=agenda, appointment_type=sap, starts_at=at(13, 9))
    book(full, "PREMIER")
    book(shared, "DEUXIEME")
    cancelled = book(shared, "ANNULE", Appointment.Status.CANCELLED)
    cancelled.slot.booked_count -= 1
    cancelled.slot.save()
    return {"agenda": agenda, "full": full, "shared": shared, "closed": closed, "later": later}


def url(agenda, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('agenda_calendar', args=[agenda.pk])}?{query}"


def test_the_week_shows_slots_places_bookings_and_closed_slots(client_for, sap_agent, week):
    response = client_for(sap_agent).get(url(week["agenda"], vue="semaine", date="2027-07-07"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Semaine du lundi 5 juillet 2027 au dimanche 11 juillet 2027" in html
    assert [column.day.day for column in response.context["columns"]] == [5, 6, 7, 8, 9]
    slots = [slot for column in response.context["columns"] for slot in column.slots]
    assert slots == [week["full"], week["shared"], week["closed"]]
    assert "PREMIER" in html and "DEUXIEME" in html
    assert "ANNULE" not in html  # a cancelled convocation gives its place back
    assert "Complet" in html
    assert "Fermé : Congés" in html
    assert "1 / 3 places" in html
    assert 'date=2027-06-28"' in html and 'date=2027-07-12"' in html  # previous, next


def test_the_day_and_month_views(client_for, sap_agent, week):
    client = client_for(sap_agent)
    day = client.get(url(week["agenda"], vue="jour", date="2027-07-07"))
    assert [slot for column in day.context["columns"] for slot in column.slots] == [week["shared"]]
    assert "Mercredi 7 juillet 2027" in day.content.decode()
    assert reverse("agenda_calendar_pdf", args=[week["agenda"].pk]) in day.content.decode()

    month = client.get(url(week["agenda"], vue="mois", date="2027-07-20"))
    html = month.content.decode()
    assert "Juillet 2027" in html
    assert len(month.context["weeks"]) == 5
    assert "1 créneau · 1 / 1 pl." in html  # 6 July
    assert "1 créneau · 0 / 0 pl. · 1 fermé" in html  # 8 July
    assert 'date=2027-06-01"' in html and 'date=2027-08-01"' in html


def test_a_bad_date_or_view_falls_back_to_this_week(client_for, sap_agent, week):
    response = client_for(sap_agent).get(url(week["agenda"], vue="annee", date="31/02"))
    assert response.context["view"] == "semaine"
    assert response.context["columns"][0].day == dt.date(2027, 7, 5)


def test_the_week_view_runs_a_fixed_number_of_queries(client_for, sap_agent, week):
    client = client_for(sap_agent)
    target = url(week["agenda"], vue="semaine", date="2027-07-05")

    def more_bookings() -> None:
        for hour in (10, 11, 15, 16):
            slot = SlotFactory(
                agenda=week["agenda"], appointment_type=week["full"].appointment_type,
                starts_at=at(9, hour), capacity=2,
            )  # fmt: skip
            book(slot, f"EN PLUS {hour}")
            book(slot, f"ENCORE {hour}")

    response = assert_queries_do_not_grow(lambda: client.get(target), more_bookings)
    assert response.status_code == 200 and "ENCORE 16" in response.content.decode()


def test_the_service_day_shows_every_agenda_of_the_service(client_for, sap_agent, week, org):
    other = AgendaFactory(place=week["agenda"].place, name="Cabinet 2")
    SlotFactory(agenda=other, starts_at=at(7, 10))
    client = client_for(sap_agent)
    target = f"{reverse('service_day')}?date=2027-07-07"
    response = client.get(target)
    assert [agenda for agenda, _ in response.context["rows"]] == sorted(
        [week["agenda"], other], key=lambda agenda: agenda.name
    )
    assert sum(len(slots) for _, slots in response.context["rows"]) == 2
    assert "DEUXIEME" in response.content.decode()

    def more_agendas() -> None:
        for name in ("Cabinet 3", "Cabinet 4"):
            SlotFactory(
                agenda=AgendaFactory(place=week["agenda"].place, name=name), starts_at=at(7, 11)
            )

    response = assert_queries_do_not_grow(lambda: client.get(target), more_agendas)
    assert len(response.context["rows"]) == 4


def test_the_day_pdf_lists_slots_and_names(client_for, sap_agent, week, make_agent, org):
    response = client_for(sap_agent).get(
        f"{reverse('agenda_calendar_pdf', args=[week['agenda'].pk])}?date=2027-07-07"
    )
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "créneaux du mercredi 7 juillet 2027" in text
    assert "DEUXIEME" in text
    assert "1 / 3" in text


def test_the_day_pdf_hides_names_from_those_who_may_not_see_them(client_for, week, make_agent, org):
    cpip = make_agent("cpip", service=org.spip_alpha)
    response = client_for(cpip).get(
        f"{reverse('agenda_calendar_pdf', args=[week['agenda'].pk])}?date=2027-07-07"
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "DEUXIEME" not in text
    assert "1 personne" in text
