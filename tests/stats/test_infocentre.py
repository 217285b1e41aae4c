"""The monthly anonymised export (CAS-18): its tables, its zip, its job and its page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from jalon.history.models import Event
from jalon.people.models import Person
from jalon.stats import infocentre, infocentre_actions
from jalon.stats.infocentre import build_tables, month_period
from jalon.stats.models import MonthlyExport
from jalon.stats.queries import (
    AppointmentTally,
    Area,
    MessageTally,
    Period,
    appointment_tallies,
    message_tallies,
)
from jalon.stats.suppression import SECRET
from jalon.stats.tasks import schedule_monthly_export
from tests.factories import AppointmentFactory, PersonFactory
from tests.queries import assert_queries_do_not_grow

PARIS = ZoneInfo("Europe/Paris")
OCTOBER = dt.date(2026, 10, 1)
ExportStatus = MonthlyExport.Status


def jobs(month: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE queueing_lock = %s",
            [f"infocentre:{month}"],
        )
        return cursor.fetchone()[0]


# --- The tables -------------------------------------------------------------------------------


@pytest.mark.parametrize("month", [OCTOBER, dt.date(2026, 11, 1), dt.date(2027, 7, 1)])
def test_the_export_counts_what_the_dashboards_count(frozen_now, org, activity, month):
    """Column totals of the convocation and SMS tables = the national dashboard's tallies."""
    tables = {t.key: t for t in build_tables(month, now=frozen_now)}
    period = month_period(month)
    booked = AppointmentTally.total(
        appointment_tallies(Area("national"), period, now=frozen_now).values()
    )
    convocations = tables["convocations"]
    for index, (name, _, _) in enumerate(infocentre.OUTCOMES):
        assert sum(v[index] for _, v in convocations.rows) == getattr(booked, name), name
    assert sum(sum(v) for _, v in convocations.rows) == booked.booked
    assert booked.booked > 0 or month == dt.date(2026, 11, 1)
    sent = MessageTally.total(message_tallies(Area("national"), Period(*_ends(month))).values())
    sms = tables["sms"]
    for index, (name, _, _) in enumerate(infocentre.SMS_OUTCOMES):
        assert sum(v[index] for _, v in sms.rows) == getattr(sent, name), name


def _ends(month: dt.date) -> tuple[dt.date, dt.date]:
    period = month_period(month)
    return period.start, period.end


def test_rows_are_jurisdictions_service_kinds_and_types(frozen_now, org, activity):
    table = build_tables(OCTOBER, now=frozen_now)[0]
    labels = {labels for labels, _ in table.rows}
    assert (org.ca.name, org.tj_alpha.name, "SPIP") in {label[:3] for label in labels}
    assert all(len(label) == 4 and all(isinstance(x, str) for x in label) for label in labels)
    # Published: no count between 1 and 10 anywhere.
    for line in table.lines():
        for cell in line[4:]:
            assert cell == SECRET or not (isinstance(cell, int) and 0 < cell < 11)


def test_persons_are_counted_by_departement_and_age_band_at_the_month_s_end(frozen_now, org):
    end_of_october = dt.datetime(2026, 10, 31, 23, 0, tzinfo=PARIS)
    spip = [org.spip_alpha]
    PersonFactory(birth_date=dt.date(2008, 11, 1), postal_code="67000", followed_by=spip)  # 17
    PersonFactory(birth_date=dt.date(2008, 10, 31), postal_code="67200", followed_by=spip)  # 18
    PersonFactory(birth_date=dt.date(1960, 1, 1), postal_code="97300", followed_by=spip)
    PersonFactory(birth_date=dt.date(1990, 1, 1), postal_code="20090", followed_by=spip)
    PersonFactory(birth_date=dt.date(1990, 1, 1), lives_abroad=True, followed_by=spip)
    PersonFactory(birth_date=dt.date(1990, 1, 1), postal_code="", followed_by=spip)
    # Not counted: archived before the end, followed after it, created after it, not followed.
    archived = PersonFactory(postal_code="67000", followed_by=spip)
    Person.objects.filter(pk=archived.pk).update(archived_at=end_of_october)
    later = PersonFactory(postal_code="67000")
    later.follows.create(service=org.spip_alpha, since=end_of_october + dt.timedelta(hours=2))
    created_later = PersonFactory(postal_code="67000", followed_by=spip)
    Person.objects.filter(pk=created_later.pk).update(
        created_at=end_of_october + dt.timedelta(hours=2)
    )
    PersonFactory(postal_code="67000")
    for person in Person.objects.exclude(pk__in=[later.pk, created_later.pk]):
        person.follows.update(since=end_of_october - dt.timedelta(days=30))
    Person.objects.exclude(pk=created_later.pk).update(
        created_at=end_of_october - dt.timedelta(days=60)
    )
    table = infocentre.persons_table(month_period(OCTOBER))
    rows = {labels[0]: values for labels, values in table.rows}
    assert rows["67"] == [1, 1, 0, 0, 0, 0]
    assert rows["973"] == [0, 0, 0, 0, 0, 1]
    assert rows["2A"] == [0, 0, 0, 1, 0, 0]
    assert rows["Étranger"] == [0, 0, 0, 1, 0, 0]
    assert rows["Non renseigné"] == [0, 0, 0, 1, 0, 0]
    assert set(rows) == {"67", "973", "2A", "Étranger", "Non renseigné"}
    # All small: every non-zero cell is secret, totals included; zeros are published.
    assert all(cell in (SECRET, 0) for line in table.lines() for cell in line[1:]), table.lines()
    assert table.lines()[-1][-1] == SECRET


def test_the_zip_holds_csv_tables_and_a_dictionary_and_no_identifier(frozen_now, org, agendas):
    person = PersonFactory(
        last_name="Zorglubienne", first_names="Honorine", birth_date=dt.date(1987, 3, 14),
        phone="+33612345678", postal_code="67000", city="Strasbourg", appi_number=None,
        followed_by=[org.spip_alpha],
    )  # fmt: skip
    for day in range(1, 25):
        AppointmentFactory(
            agenda=agendas.spip_alpha, person=person, status="honoured",
            starts_at=dt.datetime(2026, 10, day, 10, tzinfo=PARIS),
        )  # fmt: skip
    tables = build_tables(OCTOBER, now=frozen_now)
    content = infocentre.write_zip(tables, OCTOBER, frozen_now)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "convocations.csv", "dictionnaire.md", "personnes_suivies.csv", "sms.csv"
    ]  # fmt: skip
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    for identifier in ["Zorglub", "Honorine", "1987", "14/03", "612345678", "Strasbourg",
                       "67000"]:  # fmt: skip
        assert identifier not in everything, identifier
    csv = archive.read("convocations.csv").decode("utf-8")
    assert csv.startswith("\ufeffCour d’appel;Tribunal judiciaire;Type de service;")
    assert ";24;" in csv  # 24 honoured convocations, published
    dictionary = archive.read("dictionnaire.md").decode("utf-8")
    assert "octobre 2026" in dictionary and "secret" in dictionary
    for table in tables:
        for column in [*table.labels, *table.counts]:
            assert f"| {column.name} |" in dictionary


# --- Asking, generating, nothing computed twice --------------------------------------------


def test_a_second_request_while_one_runs_is_refused_and_nothing_is_queued_twice(
    frozen_now, org, make_agent
):
    admin = make_agent("national_admin", service=org.national)
    export = infocentre_actions.request_export(OCTOBER, agent=admin)
    assert export.status == ExportStatus.QUEUED and jobs("2026-10") == 1
    with pytest.raises(infocentre_actions.ExportRefused, match="déjà en cours"):
        infocentre_actions.request_export(OCTOBER, agent=admin)
    assert jobs("2026-10") == 1
    assert infocentre_actions.generate(export.pk) is True
    assert infocentre_actions.generate(export.pk) is False  # the same job twice: once
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.content
    assert export.row_counts == {"convocations": 0, "sms": 0, "personnes_suivies": 0}
    assert Event.objects.filter(action="stats.infocentre_generated").count() == 1
    with pytest.raises(infocentre_actions.ExportRefused, match="existe déjà"):
        infocentre_actions.request_export(OCTOBER, agent=admin)
    again = infocentre_actions.request_export(OCTOBER, agent=admin, regenerate=True)
    assert again.pk == export.pk and again.status == ExportStatus.QUEUED


def test_a_job_that_died_long_ago_can_be_asked_again(frozen_now, org):
    export = infocentre_actions.request_export(OCTOBER, agent=None)
    MonthlyExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, started_at=frozen_now - dt.timedelta(minutes=10)
    )
    with pytest.raises(infocentre_actions.ExportRefused):
        infocentre_actions.request_export(OCTOBER, agent=None)
    MonthlyExport.objects.filter(pk=export.pk).update(started_at=frozen_now - dt.timedelta(hours=2))
    assert infocentre_actions.request_export(OCTOBER, agent=None).status == ExportStatus.QUEUED


def test_a_failure_is_recorded_in_french(frozen_now, org, monkeypatch):
    export = infocentre_actions.request_export(OCTOBER, agent=None)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(infocentre, "build_tables", broken)
    infocentre_actions.generate(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "Relancez" in export.error
    assert infocentre_actions.request_export(OCTOBER, agent=None).status == ExportStatus.QUEUED


def test_on_the_second_of_the_month_the_previous_month_is_queued(frozen_now, org):
    second = dt.datetime(2026, 12, 2, 4, 30, tzinfo=dt.UTC)
    schedule_monthly_export(int(second.timestamp()))
    schedule_monthly_export(int(second.timestamp()))  # twice: still one
    assert MonthlyExport.objects.get().month == dt.date(2026, 11, 1)
    assert jobs("2026-11") == 1


# --- The page ---------------------------------------------------------------------------------

PROFILES = [
    ("national_admin", "national", 200),
    ("dpip", "spip_alpha", 404),
    ("cpip", "spip_alpha", 404),
    ("local_admin", "spip_alpha", 404),
    ("dir_greff_sap", "sap_alpha", 404),
]


@pytest.mark.parametrize(("profile", "service", "status"), PROFILES)
def test_only_national_profiles_reach_the_export(frozen_now, org, make_agent, client_for,
                                                 profile, service, status):  # fmt: skip
    client = client_for(make_agent(profile, service=getattr(org, service)))
    MonthlyExport.objects.create(
        month=OCTOBER, status=ExportStatus.DONE, requested_at=frozen_now, content=b"PK"
    )
    assert client.get(reverse("stats_infocentre")).status_code == status
    download = client.get(reverse("stats_infocentre_download", args=["2026-10"]))
    assert download.status_code == status
    posted = client.post(reverse("stats_infocentre_request"), {"mois": "2026-09"})
    assert posted.status_code == (302 if status == 200 else 404)
    assert MonthlyExport.objects.filter(month=dt.date(2026, 9, 1)).exists() == (status == 200)


def test_the_page_offers_each_month_and_every_download_is_in_history(
    frozen_now, org, make_agent, client_for
):
    admin = make_agent("national_admin", service=org.national)
    client = client_for(admin)
    page = client.get(reverse("stats_infocentre")).content.decode()
    assert "Générer l’export de juin 2027" in page
    assert "Générer l’export de juillet 2026" in page
    assert "juillet 2027" not in page  # the current month is not finished
    response = client.post(reverse("stats_infocentre_request"), {"mois": "2027-06"}, follow=True)
    assert "L’export de juin 2027 est lancé" in response.content.decode()
    response = client.post(reverse("stats_infocentre_request"), {"mois": "2027-06"}, follow=True)
    assert "Un export de ce mois est déjà en cours" in response.content.decode()
    assert jobs("2027-06") == 1
    export = MonthlyExport.objects.get(month=dt.date(2027, 6, 1))
    infocentre_actions.generate(export.pk)
    page = client.get(reverse("stats_infocentre")).content.decode()
    assert "Télécharger l’export de juin 2027" in page
    assert "Regénérer l’export de juin 2027" in page
    download = client.get(reverse("stats_infocentre_download", args=["2027-06"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "jalon_export_statistique_2027-06.zip" in download["Content-Disposition"]
    zipfile.ZipFile(io.BytesIO(download.content)).testzip()
    event = Event.objects.get(action="stats.infocentre_downloaded")
    assert event.actor == admin and event.details == {"month": "2027-06"}
    # Not ready, or unknown: 404.
    assert client.get(reverse("stats_infocentre_download", args=["2027-05"])).status_code == 404
    assert client.get(reverse("stats_infocentre_download", args=["2027-13"])).status_code == 404


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2027-07", "n’est pas terminé"),
        ("2030-01", "n’est pas terminé"),
        ("juin", "Ce mois n’est pas valide"),
        ("2027-13", "Ce mois n’est pas valide"),
        ("", "Indiquez le mois"),
        ("1999-12", "à partir de janvier 2000"),
    ],
)
def test_a_bad_month_gets_a_french_message_and_keeps_what_was_typed(
    frozen_now, org, make_agent, client_for, typed, message
):
    client = client_for(make_agent("national_admin", service=org.national))
    response = client.post(reverse("stats_infocentre_request"), {"mois": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html or not typed
    assert not MonthlyExport.objects.exists()


def test_the_page_costs_the_same_queries_whatever_the_exports(
    frozen_now, org, make_agent, client_for
):
    client = client_for(make_agent("national_admin", service=org.national))
    months = iter([dt.date(2026, m, 1) for m in range(1, 12)])

    def grow():
        for _ in range(3):
            MonthlyExport.objects.create(
                month=next(months), status=ExportStatus.DONE, requested_at=frozen_now,
                row_counts={"convocations": 3}, content=b"PK",
            )  # fmt: skip

    assert_queries_do_not_grow(lambda: client.get(reverse("stats_infocentre")), grow)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_the_month_once(org, agendas):
    """The job as ``manage.py procrastinate worker`` runs it (its own connection)."""
    from tests.jobs import run_pending_jobs

    for day in (5, 6):
        AppointmentFactory(
            agenda=agendas.spip_alpha, status="honoured",
            starts_at=dt.datetime(2026, 10, day, 10, tzinfo=PARIS),
        )  # fmt: skip
    export = infocentre_actions.request_export(OCTOBER, agent=None)
    run_pending_jobs()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    assert export.row_counts["convocations"] == 1
    archive = zipfile.ZipFile(io.BytesIO(bytes(export.content)))
    assert "secret" in archive.read("convocations.csv").decode("utf-8")
    assert Event.objects.filter(action="stats.infocentre_generated").count() == 1
