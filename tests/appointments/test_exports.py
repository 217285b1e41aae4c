"""CSV exports of the day list and of the statut inconnu queue: Excel in French, safe, recorded."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory
from tests.queries import assert_queries_do_not_grow

PARIS = dt.timezone(dt.timedelta(hours=2))  # July: summer time


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content = response.content
    assert content.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    text = content.decode("utf-8").removeprefix("\ufeff")
    return [line.split(";") for line in text.split("\r\n") if line]


def test_the_day_list_csv(client_for, cpip, org, agendas):
    person = PersonFactory(
        last_name="=HYPERLINK(1)",
        first_names="Zoé",
        birth_date=dt.date(1990, 5, 17),
        phone="+33612345678",
        followed_by=[org.spip_alpha],
    )
    AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=dt.datetime(2027, 7, 6, 10, tzinfo=PARIS),
        assigned_agent=cpip,
    )
    AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=dt.datetime(2027, 7, 6, 14, tzinfo=PARIS),
        status=Appointment.Status.CANCELLED,
    )
    AppointmentFactory(  # another day
        person=person, agenda=agendas.spip_alpha, starts_at=dt.datetime(2027, 7, 7, 9, tzinfo=PARIS)
    )
    response = client_for(cpip).get(
        reverse("agenda_day_csv", args=[agendas.spip_alpha.pk]), {"date": "2027-07-06"}
    )
    header, *rows = read_csv(response)
    assert header[:6] == ["Date", "Début", "Fin", "Nom", "Prénoms", "Date de naissance"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Date"] == "06/07/2027" and row["Début"] == "10:00"
    assert row["Nom"] == "'=HYPERLINK(1)"  # never run as a formula
    assert row["Date de naissance"] == "17/05/1990"
    assert row["Téléphone portable"] == "06 12 34 56 78"
    assert row["Agent"] == cpip.full_name
    event = Event.objects.get(action="export.csv")
    assert (event.actor, event.details) == (
        cpip,
        {"export": "agenda_day", "day": "2027-07-06", "rows": 1},
    )
    assert Event.objects.filter(action="person.viewed", details__read="agenda_day_csv").exists()


def test_the_day_list_csv_outside_the_ressort_is_404(client_for, cpip, agendas):
    response = client_for(cpip).get(reverse("agenda_day_csv", args=[agendas.sap_beta.pk]))
    assert response.status_code == 404
    assert not Event.objects.filter(action="export.csv").exists()


def test_a_bad_day_goes_back_to_the_agendas_with_a_message(client_for, cpip, agendas):
    response = client_for(cpip).get(
        reverse("agenda_day_csv", args=[agendas.spip_alpha.pk]), {"date": "31/02"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("agenda_list")


def test_the_day_list_csv_costs_the_same_queries_with_more_rows(client_for, cpip, agendas):
    client = client_for(cpip)
    day = dt.datetime(2027, 7, 6, 9, tzinfo=PARIS)
    AppointmentFactory(person=PersonFactory(), agenda=agendas.spip_alpha, starts_at=day)
    assert_queries_do_not_grow(
        lambda: client.get(
            reverse("agenda_day_csv", args=[agendas.spip_alpha.pk]), {"date": "2027-07-06"}
        ),
        lambda: [
            AppointmentFactory(
                person=PersonFactory(),
                agenda=agendas.spip_alpha,
                starts_at=day + dt.timedelta(minutes=30 * (index + 1)),
            )
            for index in range(5)
        ],
    )


def test_the_agenda_list_offers_the_export_with_a_visible_label(client_for, cpip, agendas):
    html = client_for(cpip).get(reverse("agenda_list")).content.decode()
    assert reverse("agenda_day_csv", args=[agendas.spip_alpha.pk]) in html
    assert "Exporter (CSV)" in html


def test_the_unknown_status_csv_lists_the_queue_on_every_page(
    awkward_day, client_for, cpip, make_agent, org, agendas
):
    person = PersonFactory(followed_by=[org.spip_alpha])
    mine = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(3), assigned_agent=cpip
    )
    colleague = make_agent("cpip", service=org.spip_alpha)
    AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(4), assigned_agent=colleague
    )
    AppointmentFactory(person=person, agenda=agendas.sap_alpha, starts_at=days_ago(6))  # SAP's
    client = client_for(cpip)
    page = client.get(reverse("unknown_status_queue")).content.decode()
    assert reverse("unknown_status_csv") in page and "Exporter (CSV)" in page
    header, *rows = read_csv(client.get(reverse("unknown_status_csv")))
    assert header == [
        "Date", "Heure", "Nom", "Prénoms", "Date de naissance", "Type de convocation",
        "Agenda", "Agent",
    ]  # fmt: skip
    assert [row[7] for row in rows] == [colleague.full_name, cpip.full_name]
    _, *own = read_csv(client.get(reverse("unknown_status_csv"), {"moi": "1"}))
    assert [row[0] for row in own] == [mine.local_start.strftime("%d/%m/%Y")]
    exports = Event.objects.filter(action="export.csv").order_by("pk")
    assert [event.details for event in exports] == [
        {"export": "unknown_status", "mine": False, "rows": 2},
        {"export": "unknown_status", "mine": True, "rows": 1},
    ]


def test_the_unknown_status_csv_costs_the_same_queries_with_more_rows(
    awkward_day, client_for, cpip, agendas
):
    client = client_for(cpip)
    AppointmentFactory(person=PersonFactory(), agenda=agendas.spip_alpha, starts_at=days_ago(2))
    assert_queries_do_not_grow(
        lambda: client.get(reverse("unknown_status_csv")),
        lambda: [
            AppointmentFactory(
                person=PersonFactory(), agenda=agendas.spip_alpha, starts_at=days_ago(3 + index)
            )
            for index in range(5)
        ],
    )
