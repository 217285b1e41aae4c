"""The jurisdiction (TJ, court of appeal) and national dashboards, through real requests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment, AppointmentType
from jalon.history.models import Event
from jalon.stats import dashboard, tables
from jalon.stats.models import AppointmentCount, MessageCount
from jalon.stats.queries import Period
from jalon.stats.sections import tables_section
from tests.factories import AppointmentFactory, MessageFactory, ServiceFactory, TribunalFactory
from tests.queries import assert_queries_do_not_grow
from tests.stats.test_views import row_of

Status = Appointment.Status
PARIS = ZoneInfo("Europe/Paris")
JUNE = {"du": "2027-06-01", "au": "2027-06-30", "decoupage": "semaine"}
# 7 + 7 tallies (the kept counts grouped by type and by service apart), 1 SMS refusals, 1 type
# labels, 1 services of the area, then the families; the page’s own (session, agent) are counted
# by the check around it.
AREA_QUERIES = 49  # 17 for convocations and SMS, 4 transfers, 6 exits, 10 situations, 12 chain


@pytest.fixture
def procureur(make_agent, org):
    parquet = ServiceFactory(name="Parquet Alpha", kind=ServiceKind.PROSECUTION,
                             jurisdiction=org.tj_alpha)  # fmt: skip
    return make_agent("procureur_republique", service=parquet)


@pytest.fixture
def procureur_general(make_agent, org):
    service = ServiceFactory(name="Parquet général", kind=ServiceKind.GENERAL_PROSECUTION,
                             jurisdiction=org.ca)  # fmt: skip
    return make_agent("procureur_general", service=service)


@pytest.fixture
def statistician(make_agent, org):
    return make_agent("national_statistician", service=org.national)


def convocation(agenda, day: int, status: str, *, month: int = 6, reminder: str | None = None):
    appointment = AppointmentFactory(
        agenda=agenda, status=status, starts_at=dt.datetime(2027, month, day, 10, tzinfo=PARIS)
    )
    if reminder:
        MessageFactory(appointment=appointment, status=reminder)
    return appointment


@pytest.fixture
def activity(agendas):
    """SPIP Alpha: 1 missed of 4 in June, 1 of 2 in May; SAP Alpha: 2 of 2 in June;
    SAP Beta (TJ Beta): 1 honoured in June."""
    for day, status in [(2, Status.HONOURED), (3, Status.HONOURED), (4, Status.MISSED),
                        (7, Status.HONOURED)]:  # fmt: skip
        convocation(agendas.spip_alpha, day, status, reminder="delivered")
    convocation(agendas.spip_alpha, 20, Status.MISSED, month=5)
    convocation(agendas.spip_alpha, 21, Status.HONOURED, month=5)
    convocation(agendas.sap_alpha, 9, Status.MISSED)
    convocation(agendas.sap_alpha, 10, Status.MISSED)
    convocation(agendas.sap_beta, 9, Status.HONOURED)


def test_a_tj_dashboard_counts_its_services_and_shows_which_lags(
    org, activity, procureur, client_for, frozen_now
):
    response = client_for(procureur).get(reverse("stats_jurisdiction", args=[org.tj_alpha.pk]),
                                         JUNE)  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Statistiques — TJ Alpha" in page
    assert "Données à 10:00:00</strong>" in page and "(heure de Paris)" in page
    booked = row_of(page, "convocations", "Convocations prévues")
    assert booked[1:4] == ["6", "2", "+4"]  # SPIP Alpha and SAP Alpha, not SAP Beta
    assert "quel que soit leur statut" in booked[0]  # the definition next to the figure
    assert row_of(page, "convocations", "Taux d’absentéisme")[1:4] == ["50,0 %", "50,0 %",
                                                                      "+0,0 pt"]  # fmt: skip
    spip = row_of(page, "par_service", "SPIP Alpha")
    assert spip[1:7] == ["4", "1", "4", "25,0 %", "50,0 %", "−25,0 pt"]
    # The reminder of 2 June left on 31 May (48 hours before): the previous period's.
    assert spip[7:10] == ["3", "3", "100,0 %"]
    sap = row_of(page, "par_service", "SAP Alpha")
    assert sap[1:7] == ["2", "2", "2", "100,0 %", "–", "–"]
    assert "SAP Beta" not in page.split('data-testid="par_service"')[1]
    # A chart of the rates per service, then the same data as a table.
    assert "Taux d’absentéisme par service (graphique" in page
    assert 'data-testid="par_juridiction"' not in page  # one TJ: no table per jurisdiction


def test_a_court_of_appeal_dashboard_covers_its_ressort_per_jurisdiction(
    org, activity, procureur_general, client_for, frozen_now
):
    client = client_for(procureur_general)
    page = client.get(reverse("stats_jurisdiction", args=[org.ca.pk]), JUNE).content.decode()
    assert "Statistiques — Cour d’appel de Test (tout le ressort)" in page
    assert row_of(page, "convocations", "Convocations prévues")[1] == "7"
    assert row_of(page, "par_juridiction", "TJ Alpha")[1:5] == ["6", "3", "6", "50,0 %"]
    assert row_of(page, "par_juridiction", "TJ Beta")[1:5] == ["1", "0", "1", "0,0 %"]
    assert row_of(page, "par_service", "SAP Beta")[1] == "TJ Beta"
    # The procureur général also opens each TJ of the ressort.
    tj_beta = client.get(reverse("stats_jurisdiction", args=[org.tj_beta.pk]), JUNE)
    assert row_of(tj_beta.content.decode(), "convocations", "Convocations prévues")[1] == "1"


def test_the_national_dashboard_costs_the_same_queries_whatever_the_data(
    org, agendas, statistician, client_for, frozen_now
):
    client = client_for(statistician)
    url = reverse("stats_national")

    def grow():
        for day in range(1, 29):
            for agenda in (agendas.spip_alpha, agendas.sap_alpha, agendas.sap_beta):
                convocation(agenda, day, [Status.HONOURED, Status.MISSED][day % 2],
                            reminder="delivered")  # fmt: skip
        other = TribunalFactory(code="tj-x", name="TJ X", court_of_appeal=org.ca)
        follow_up = AppointmentType.objects.get(code="spip_follow_up")
        for service in (org.spip_alpha, ServiceFactory(name="SPIP X", jurisdiction=other)):
            AppointmentCount.objects.create(day=dt.date(2027, 6, 3), service=service,
                                            appointment_type=follow_up, status="missed", count=4)  # fmt: skip
            MessageCount.objects.create(day=dt.date(2027, 6, 3), service=service,
                                        kind="reminder", status="delivered", count=4)  # fmt: skip

    response = assert_queries_do_not_grow(
        lambda: client.get(url, JUNE), grow, at_most=AREA_QUERIES + 2
    )
    page = response.content.decode()
    assert row_of(page, "convocations", "Convocations prévues")[1] == str(3 * 28 + 8)
    assert row_of(page, "par_juridiction", "TJ X")[1] == "4"  # only deleted persons' counts
    assert row_of(page, "par_service", "SPIP X")[1:3] == ["TJ X", "4"]


def test_an_area_dashboard_reads_a_fixed_number_of_queries(org, activity, frozen_now,
                                                           django_assert_num_queries):  # fmt: skip
    subject = dashboard.Subject(dashboard.Area("national"), "National", "Europe/Paris")
    period = Period(dt.date(2027, 6, 1), dt.date(2027, 6, 30), "week")
    with django_assert_num_queries(AREA_QUERIES):
        dashboard.build(subject, period, now=frozen_now)
    subject = dashboard.jurisdiction_subject(org.ca)
    with django_assert_num_queries(AREA_QUERIES):
        dashboard.build(subject, period, now=frozen_now)


def test_an_area_export_has_the_page_s_cells_and_is_recorded(
    org, activity, procureur, client_for, frozen_now
):
    url = reverse("stats_jurisdiction_export", args=[org.tj_alpha.pk, "par_service", "csv"])
    response = client_for(procureur).get(url, JUNE)
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[:2] == ["Tableau;Absentéisme et SMS par service", "Périmètre;TJ Alpha"]
    assert "SPIP Alpha;4;1;4;25,0;50,0;-25,0;3;3;100,0" in lines
    event = Event.objects.get(action="stats.exported")
    assert (event.actor, event.target_label, event.details["area"]) == (
        procureur,
        "TJ Alpha",
        "jurisdiction",
    )
    assert event.details["table"] == "par_service"


def test_a_national_export_is_recorded_without_target(org, activity, statistician, client_for,
                                                      frozen_now):  # fmt: skip
    url = reverse("stats_national_export", args=["par_juridiction", "ods"])
    assert client_for(statistician).get(url, JUNE).status_code == 200
    event = Event.objects.get(action="stats.exported")
    assert (event.target_id, event.details["area"], event.details["format"]) == (
        "",
        "national",
        "ods",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"du": "2027-06-01", "au": "2027-07-06", "decoupage": "jour"},
         "La période ne peut pas finir après aujourd’hui (05/07/2027)"),
        ({"du": "2027-06-10", "au": "2027-06-01", "decoupage": "jour"},
         "Le premier jour doit être avant le dernier jour"),
        ({"du": "2027-06-01", "au": "2027-06-30", "decoupage": "service"},
         "Choisissez un découpage par jour, par semaine ou par mois."),
    ],
)  # fmt: skip
def test_bad_input_on_an_area_dashboard(org, statistician, client_for, frozen_now, query, message):
    client = client_for(statistician)
    for url in (reverse("stats_national"), reverse("stats_jurisdiction", args=[org.tj_alpha.pk])):
        response = client.get(url, query)
        assert response.status_code == 400
        assert message in response.content.decode()
    export = client.get(reverse("stats_national_export", args=["convocations", "csv"]), query)
    assert export.status_code == 400 and message in export.content.decode()
    for table, fmt in [("personnes", "csv"), ("par_service", "xlsx")]:
        url = reverse("stats_national_export", args=[table, fmt])
        assert client.get(url, JUNE).status_code == 404


def test_an_overseas_tj_is_read_in_its_own_time_zone(org, make_agent, client_for):
    """All the services of the TJ of Cayenne are in Cayenne: its "today" and data time too."""
    cayenne = TribunalFactory(code="tj-cayenne", name="TJ Cayenne", court_of_appeal=org.ca)
    parquet = ServiceFactory(name="Parquet Cayenne", kind=ServiceKind.PROSECUTION,
                             jurisdiction=cayenne, time_zone="America/Cayenne")  # fmt: skip
    query = {"du": "2027-07-01", "au": "2027-07-05", "decoupage": "jour"}
    url = reverse("stats_jurisdiction", args=[cayenne.pk])
    with time_machine.travel(dt.datetime(2027, 7, 5, 1, 0, tzinfo=dt.UTC), tick=False):
        client = client_for(make_agent("procureur_republique", service=parquet))
        assert client.get(url, query).status_code == 400
        query["au"] = "2027-07-04"
        response = client.get(url, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Données à 22:00:00</strong>" in page and "(heure locale de la juridiction)" in page


def test_a_family_plugs_in_with_one_line(org, statistician, client_for, frozen_now, monkeypatch):
    """A module's ``tables_for(area, period, previous, *, now)`` becomes a section, shown and
    exported like the others."""
    calls = []

    def tables_for(area, period, previous, *, now):
        calls.append((area.kind, period.start, previous.end))
        table = tables.Table("flux_sens", "Transferts", [tables.Column("Sens", "text"),
                                                          tables.Column("Nombre")])  # fmt: skip
        table.rows.append(["Entrants", 3])
        return [table]

    monkeypatch.setitem(
        dashboard.CORE,
        "national",
        [
            *dashboard.CORE["national"],
            tables_section("flux", "Transferts et situations", tables_for),
        ],
    )
    client = client_for(statistician)
    page = client.get(reverse("stats_national"), JUNE).content.decode()
    assert "<h2>Transferts et situations</h2>" in page
    assert row_of(page, "flux_sens", "Entrants") == ["Entrants", "3"]
    assert calls == [("national", dt.date(2027, 6, 1), dt.date(2027, 5, 31))]
    export = client.get(reverse("stats_national_export", args=["flux_sens", "csv"]), JUNE)
    assert "Entrants;3" in export.content.decode("utf-8-sig")


def test_every_dashboard_kind_has_distinct_table_keys(org, activity, frozen_now):
    period = Period(dt.date(2027, 6, 1), dt.date(2027, 6, 30), "week")
    for subject in (
        dashboard.service_subject(org.spip_alpha),
        dashboard.jurisdiction_subject(org.tj_alpha),
        dashboard.jurisdiction_subject(org.ca),
        dashboard.national_subject(),
    ):
        board = dashboard.build(subject, period, now=frozen_now)
        keys = [table.key for section in board.sections for table in section.tables]
        assert len(keys) == len(set(keys)), subject
