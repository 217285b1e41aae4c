"""The service head's dashboard and its exports, through real requests."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment, AppointmentType
from jalon.history.models import Event
from jalon.stats.models import AppointmentCount, MessageCount
from tests.factories import (
    AppointmentFactory,
    MessageFactory,
    PersonFactory,
    ProcedureFactory,
    ServiceFactory,
)
from tests.queries import assert_queries_do_not_grow
from tests.stats.test_flows import make_exit, make_judgment, make_transfer

Status = Appointment.Status
PARIS = ZoneInfo("Europe/Paris")
JUNE = {"du": "2027-06-01", "au": "2027-06-30", "decoupage": "semaine"}


@pytest.fixture
def dpip(make_agent, org):
    return make_agent("dpip", service=org.spip_alpha)


def convocation(agendas, day: int, status: str, reminder: str | None = "delivered", hour=10):
    appointment = AppointmentFactory(
        agenda=agendas.spip_alpha, status=status,
        starts_at=dt.datetime(2027, 6, day, hour, tzinfo=PARIS),
    )  # fmt: skip
    if reminder:
        MessageFactory(appointment=appointment, status=reminder)
    return appointment


def row_of(html: str, testid: str, name: str) -> list[str]:
    """The cells of the row whose header starts with ``name`` in table ``testid``."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0].startswith(name):
            return cells
    raise AssertionError(f"no row {name!r} in {testid}")


def test_the_dashboard_shows_each_figure_with_its_definition_and_the_previous_period(
    org, agendas, dpip, client_for, frozen_now
):
    for day, status in [(2, Status.HONOURED), (3, Status.HONOURED), (4, Status.MISSED),
                        (7, Status.EXCUSED), (8, Status.BOOKED)]:  # fmt: skip
        convocation(agendas, day, status)
    AppointmentFactory(agenda=agendas.spip_alpha, status=Status.MISSED,
                       starts_at=dt.datetime(2027, 5, 20, 10, tzinfo=PARIS))  # fmt: skip
    html = client_for(dpip).get(reverse("stats_service", args=[org.spip_alpha.pk]), JUNE)
    assert html.status_code == 200
    page = html.content.decode()
    assert "Données à 10:00:00" in page  # frozen at 08:00 UTC, 10:00 in Paris
    assert "du 02/05/2027 au 31/05/2027" in page  # the previous 30 days
    booked = row_of(page, "convocations", "Convocations prévues")
    assert booked[1:4] == ["5", "1", "+4"]
    assert "quel que soit leur statut" in booked[0]  # the definition, next to the figure
    rate = row_of(page, "convocations", "Taux d’absentéisme")
    assert rate[1:4] == ["33,3 %", "100,0 %", "−66,7 pt"]
    assert "1 sur 3" in rate[4] and "1 convocations passées sans suite" in rate[4]
    week = row_of(page, "convocations_par_periode", "semaine du 31/05/2027")
    assert week[1:7] == ["3", "2", "1", "0", "0", "0"]  # 2, 3 and 4 June; the 7th is a Monday
    assert row_of(page, "rappels", "Avec rappel reçu")[1:3] == ["1", "3"]
    # Reminders are due 48 hours before: the one of 2 June left on 31 May, the period before.
    assert row_of(page, "sms", "SMS reçus")[1:3] == ["4", "1"]
    # Charts: the State's components from our own static files, their data in attributes.
    assert '<script type="module" src="/static/jalon/vendor/dsfr-chart/DSFRChart.js">' in page
    assert "<bar-chart" in page and "<line-chart" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)", page)  # no inline script


def test_the_chart_library_is_vendored_with_its_licence():
    for name in ("DSFRChart.js", "DSFRChart.css", "LICENSE"):
        assert finders.find(f"jalon/vendor/dsfr-chart/{name}")
    with open(finders.find("jalon/vendor/dsfr-chart/LICENSE"), encoding="utf-8") as licence:
        assert "MIT License" in licence.read()


def test_the_dashboard_costs_the_same_queries_whatever_the_data(org, agendas, dpip, client_for,
                                                                frozen_now):  # fmt: skip
    client = client_for(dpip)
    url = reverse("stats_service", args=[org.spip_alpha.pk])

    def grow():
        for day in range(1, 29):
            convocation(agendas, day, [Status.HONOURED, Status.MISSED, Status.BOOKED][day % 3])
        follow_up = AppointmentType.objects.get(code="spip_follow_up")
        AppointmentCount.objects.create(day=dt.date(2027, 6, 3), service=org.spip_alpha,
                                        appointment_type=follow_up, status="missed", count=4)  # fmt: skip
        MessageCount.objects.create(day=dt.date(2027, 6, 3), service=org.spip_alpha,
                                    kind="reminder", status="delivered", count=4)  # fmt: skip
        # Transfers and sorties d'audience (stats/flows.py).
        procedure = ProcedureFactory(tribunal=org.tj_alpha)
        for day in range(1, 6):
            created = dt.datetime(2027, 6, day, 10, tzinfo=PARIS)
            make_transfer(org.spip_alpha, created, "accepted", created + dt.timedelta(days=2))
            make_exit(make_judgment(procedure, dt.date(2027, 6, day)), agendas.spip_alpha,
                      org.bex_alpha, dt.datetime(2027, 7, day, 10, tzinfo=PARIS), "booked",
                      PersonFactory())  # fmt: skip

    # 15 for the convocations and SMS (with the session and the agent), 4 for the transfers,
    # 6 for the sorties d'audience.
    response = assert_queries_do_not_grow(lambda: client.get(url, JUNE), grow, at_most=25)
    page = response.content.decode()
    assert row_of(page, "convocations", "Convocations prévues")[1] == "32"
    assert row_of(page, "transferts", "Transferts demandés")[1:4] == ["5", "0", "+5"]
    assert row_of(page, "transferts", "Délai médian de décision")[1] == "2"
    assert row_of(page, "sorties_audience", "Personnes convoquées au SPIP")[1] == "5"
    assert row_of(page, "sorties_audience", "Part des personnes convoquées au SPIP")[1] == "100,0 %"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"du": "2027-06-01", "au": "2027-07-06", "decoupage": "jour"}, "au",
         "La période ne peut pas finir après aujourd’hui (05/07/2027)"),
        ({"du": "2027-06-10", "au": "2027-06-01", "decoupage": "jour"}, "du",
         "Le premier jour doit être avant le dernier jour"),
        ({"du": "2027-06-01", "au": "2027-06-30", "decoupage": "heure"}, "decoupage",
         "Choisissez un découpage par jour, par semaine ou par mois."),
        ({"du": "2026-01-01", "au": "2027-06-30", "decoupage": "jour"}, "decoupage",
         "Période trop longue pour un découpage par jour"),
        ({"du": "31/02/2027", "au": "2027-06-30", "decoupage": "jour"}, "du",
         "Le premier jour n’est pas une date valide"),
    ],
)  # fmt: skip
def test_a_bad_period_gets_a_precise_message_and_keeps_what_was_typed(
    org, dpip, client_for, frozen_now, query, field, message
):
    client = client_for(dpip)
    response = client.get(reverse("stats_service", args=[org.spip_alpha.pk]), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}-error"' in page
    assert "Données à" not in page  # nothing computed
    if field != "decoupage":
        assert f'value="{query[field]}"' in page
    export = client.get(
        reverse("stats_service_export", args=[org.spip_alpha.pk, "convocations", "csv"]), query
    )
    assert export.status_code == 400 and message in export.content.decode()


def test_today_is_the_service_s_own_day(org, make_agent, client_for):
    """At 01:00 UTC on 5 July it is still 4 July in Cayenne: 5 July is in its future."""
    guyane = ServiceFactory(name="SPIP Guyane", kind=ServiceKind.SPIP, time_zone="America/Cayenne")
    query = {"du": "2027-07-01", "au": "2027-07-05", "decoupage": "jour"}
    with time_machine.travel(dt.datetime(2027, 7, 5, 1, 0, tzinfo=dt.UTC), tick=False):
        client = client_for(make_agent("dpip", service=guyane))
        assert client.get(reverse("stats_service", args=[guyane.pk]), query).status_code == 400
        query["au"] = "2027-07-04"
        response = client.get(reverse("stats_service", args=[guyane.pk]), query)
    assert response.status_code == 200
    assert "Données à 22:00:00" in response.content.decode()


def test_csv_export_has_the_page_s_cells_and_no_formula(org, agendas, dpip, client_for,
                                                        frozen_now):  # fmt: skip
    convocation(agendas, 2, Status.HONOURED)
    convocation(agendas, 3, Status.MISSED)
    AppointmentType.objects.filter(code="spip_follow_up").update(label='=HYPERLINK("x")')
    client = client_for(dpip)
    url = reverse("stats_service_export", args=[org.spip_alpha.pk, "convocations_par_type", "csv"])
    response = client.get(url, JUNE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="convocations_par_type_20270601_20270630.csv"' in response["Content-Disposition"]
    )
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Tableau;Convocations par type"
    assert "Données à;05/07/2027 10:00:00" in lines
    assert lines[lines.index("") + 1].startswith(
        "Type de convocation;Prévues;Honorées;Non honorées"
    )
    assert '"\'=HYPERLINK(""x"")";2;1;1;0;0;0;50,0;9,5;90,5' in text
    event = Event.objects.get(action="stats.exported")
    assert (event.actor, event.details["table"], event.details["format"]) == (
        dpip,
        "convocations_par_type",
        "csv",
    )


def test_ods_export_is_a_spreadsheet_with_typed_numbers(org, agendas, dpip, client_for, frozen_now):
    convocation(agendas, 2, Status.HONOURED)
    convocation(agendas, 3, Status.MISSED)
    url = reverse(
        "stats_service_export", args=[org.spip_alpha.pk, "convocations_par_periode", "ods"]
    )
    response = client_for(dpip).get(url, JUNE)
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    content = archive.read("content.xml").decode()
    assert "<text:p>semaine du 31/05/2027 (partiel)</text:p>" in content
    assert 'office:value-type="float" office:value="50.0"' in content  # the week's rate, in %


def test_an_unknown_table_or_format_is_404(org, dpip, client_for, frozen_now):
    client = client_for(dpip)
    for table, fmt in [("personnes", "csv"), ("convocations", "xlsx")]:
        url = reverse("stats_service_export", args=[org.spip_alpha.pk, table, fmt])
        assert client.get(url, JUNE).status_code == 404
