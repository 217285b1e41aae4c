"""Convocation letter, day list and ICS file (MSJ-42, MSJ-48, MSJ-79)."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader

from jalon.appointments.documents import (
    agenda_day_pdf,
    appointment_ics,
    convocation_letter_pdf,
)
from jalon.appointments.models import Agenda, Appointment
from jalon.core.dates import french_date, french_time
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    PersonFactory,
    PlaceFactory,
    ServiceFactory,
    appointment_type,
)
from tests.pdf import accessibility_failures

UTC = datetime.UTC


def pdf_pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def one_line(text: str) -> str:
    """Extracted text with line breaks and repeated spaces collapsed."""
    return re.sub(r"\s+", " ", text)


def make_appointment(org: Any, **kwargs: Any) -> Appointment:
    place = kwargs.pop("place", None) or PlaceFactory(
        service=org.spip_alpha,
        name="Antenne de Strasbourg",
        address="12 rue de la Nuée-Bleue\n67000 Strasbourg",
        phone="03 88 11 22 33",
        accessibility_notes="Entrée accessible en fauteuil par la rue Brûlée.",
    )
    defaults: dict[str, Any] = {
        "agenda": AgendaFactory(place=place, name="CPIP équipe 1"),
        "person": PersonFactory(
            last_name="Lévêque", first_names="jean-pierre", birth_date=datetime.date(1985, 7, 3)
        ),
        "appointment_type": appointment_type("spip_first"),
        "starts_at": datetime.datetime(2027, 3, 29, 8, 30, tzinfo=UTC),
        "prosecution_number": "25123000123",
    }
    appointment: Appointment = AppointmentFactory.create(**{**defaults, **kwargs})
    return appointment


# --- French formatters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 4, 14), "lundi 14 avril 2025"),
        (datetime.date(2025, 4, 1), "mardi 1er avril 2025"),
        (datetime.date(2025, 1, 8), "mercredi 8 janvier 2025"),
        (datetime.date(2025, 2, 13), "jeudi 13 février 2025"),
        (datetime.date(2025, 3, 21), "vendredi 21 mars 2025"),
        (datetime.date(2025, 5, 31), "samedi 31 mai 2025"),
        (datetime.date(2025, 6, 29), "dimanche 29 juin 2025"),
        (datetime.date(2025, 7, 14), "lundi 14 juillet 2025"),
        (datetime.date(2025, 8, 15), "vendredi 15 août 2025"),
        (datetime.date(2025, 9, 1), "lundi 1er septembre 2025"),
        (datetime.date(2025, 10, 2), "jeudi 2 octobre 2025"),
        (datetime.date(2025, 11, 11), "mardi 11 novembre 2025"),
        (datetime.date(2025, 12, 25), "jeudi 25 décembre 2025"),
    ],
)
def test_french_date(day: datetime.date, expected: str) -> None:
    assert french_date(day) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.time(15, 30), "15 h 30"),
        (datetime.time(9, 5), "9 h 05"),
        (datetime.time(10, 0), "10 h 00"),
        (datetime.time(0, 0), "0 h 00"),
    ],
)
def test_french_time(moment: datetime.time, expected: str) -> None:
    assert french_time(moment) == expected


# --- Letter -------------------------------------------------------------------------------


def test_letter_is_one_page_with_everything_the_person_needs(org: Any) -> None:
    appointment = make_appointment(org)

    pages = pdf_pages(convocation_letter_pdf(appointment))

    assert len(pages) == 1
    text = one_line(pages[0])
    assert "MINISTÈRE DE LA JUSTICE" in text  # upper-cased by the letterhead's CSS
    assert "Liberté Égalité Fraternité" in text
    assert "SPIP Alpha" in text
    assert "LÉVÊQUE Jean-Pierre" in text
    assert "03/07/1985" in text
    assert "Convocation" in text
    assert "1er rendez-vous SPIP" in text
    # 08:30 UTC is 10:30 in Paris (summer time started on 28 March 2027).
    assert "lundi 29 mars 2027 à 10 h 30" in text
    assert "Antenne de Strasbourg" in text
    assert "12 rue de la Nuée-Bleue" in text
    assert "67000 Strasbourg" in text
    assert "Entrée accessible en fauteuil par la rue Brûlée." in text
    assert "Documents à apporter" in text
    assert "justificatif de domicile" in text
    assert "En cas d’empêchement" in text
    assert "03 88 11 22 33" in text
    assert "25 123 000123" in text  # the numéro de parquet as printed
    assert "directive (UE) 2016/680 « Police-Justice »" in text
    assert "le droit d’opposition ne s’applique pas" in text
    assert "Seule la présente lettre vaut convocation." in text


def test_letter_in_winter_time(org: Any) -> None:
    appointment = make_appointment(org, starts_at=datetime.datetime(2027, 1, 4, 8, 30, tzinfo=UTC))

    text = one_line(pdf_pages(convocation_letter_pdf(appointment))[0])

    assert "lundi 4 janvier 2027 à 9 h 30" in text


def test_letter_of_a_guyane_service_shows_cayenne_time(org: Any) -> None:
    service = ServiceFactory(
        name="SPIP Guyane",
        kind=org.spip_alpha.kind,
        jurisdiction=org.tj_alpha,
        time_zone="America/Cayenne",
        holiday_subdivision="973",
    )
    place = PlaceFactory(service=service, name="SPIP de Cayenne", address="1 rue Schoelcher")
    appointment = make_appointment(
        org, place=place, starts_at=datetime.datetime(2027, 3, 29, 1, 15, tzinfo=UTC)
    )

    text = one_line(pdf_pages(convocation_letter_pdf(appointment))[0])

    # UTC−3 all year: 01:15 UTC on Monday is 22:15 on Sunday in Cayenne.
    assert "dimanche 28 mars 2027 à 22 h 15" in text
    assert "SPIP Guyane" in text


def test_letter_without_prosecution_number_or_notes(org: Any) -> None:
    place = PlaceFactory(service=org.spip_alpha, phone="", email="accueil@spip.test")
    appointment = make_appointment(org, place=place, prosecution_number="")

    text = one_line(pdf_pages(convocation_letter_pdf(appointment))[0])

    assert "parquet" not in text
    assert "accueil@spip.test" in text


def test_letter_stays_on_one_page_with_long_texts(org: Any) -> None:
    """Texts that would spill onto a second page at the normal size shrink the font."""
    place = PlaceFactory(
        service=org.spip_alpha,
        accessibility_notes="Prendre le tram A, arrêt Homme de Fer, puis marcher. " * 22,
    )
    kind = appointment_type("spip_first")
    kind.what_to_bring = "Une pièce d’identité, un justificatif de domicile. " * 22
    kind.save()

    pages = pdf_pages(convocation_letter_pdf(make_appointment(org, place=place)))

    assert len(pages) == 1
    assert "Police-Justice" in one_line(pages[0])


def test_letter_escapes_html(org: Any) -> None:
    place = PlaceFactory(service=org.spip_alpha, name="Lieu <b>gras</b> & co")

    text = one_line(pdf_pages(convocation_letter_pdf(make_appointment(org, place=place)))[0])

    assert "Lieu <b>gras</b> & co" in text


# --- Day list -----------------------------------------------------------------------------


def test_day_list_shows_each_person_in_order(org: Any) -> None:
    first = make_appointment(org, starts_at=datetime.datetime(2027, 3, 29, 7, 0, tzinfo=UTC))
    agenda = first.agenda
    second: Appointment = AppointmentFactory.create(
        agenda=agenda,
        person=PersonFactory(last_name="Nguyen", first_names="Thi", phone="+33612345678"),
        starts_at=datetime.datetime(2027, 3, 29, 12, 45, tzinfo=UTC),
        status=Appointment.Status.HONOURED,
    )

    pages = pdf_pages(agenda_day_pdf(agenda, datetime.date(2027, 3, 29), [first, second]))

    text = one_line("\n".join(pages))
    assert "CPIP équipe 1" in text
    assert "Antenne de Strasbourg" in text
    assert "SPIP Alpha" in text
    assert "lundi 29 mars 2027" in text
    assert "LÉVÊQUE Jean-Pierre" in text
    assert "NGUYEN Thi" in text
    assert "03/07/1985" in text
    assert "06 12 34 56 78" in text
    assert "25 123 000123" in text
    assert "Planifiée" in text
    assert "Honorée" in text
    assert (
        text.index("9 h 00") < text.index("LÉVÊQUE") < text.index("14 h 45") < text.index("NGUYEN")
    )
    assert "Aucune convocation" not in text
    assert accessibility_failures(agenda_day_pdf(agenda, datetime.date(2027, 3, 29), [])) == []


def test_empty_day_list(org: Any) -> None:
    agenda: Agenda = AgendaFactory.create(
        place=PlaceFactory(service=org.spip_alpha), name="Agenda vide"
    )

    pages = pdf_pages(agenda_day_pdf(agenda, datetime.date(2027, 3, 30), []))

    text = one_line("\n".join(pages))
    assert "Agenda vide" in text
    assert "mardi 30 mars 2027" in text
    assert "Aucune convocation ce jour." in text


# --- ICS ----------------------------------------------------------------------------------


def parse(ics: str) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_ics_is_a_valid_calendar_in_utc(org: Any) -> None:
    place = PlaceFactory(
        service=org.spip_alpha,
        name="Antenne; nord",
        address="Bâtiment B, 2e étage\n5 place de l’Étoile\n67000 Strasbourg",
        phone="03 88 11 22 33",
    )
    appointment = make_appointment(org, place=place)
    now = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=UTC)

    ics = appointment_ics(appointment, now=now)

    assert ics.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    calendar, event = parse(ics)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Jalon//Convocations//FR"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert str(event["UID"]) == f"appointment-{appointment.pk}@jalon"
    assert event.decoded("DTSTAMP") == now
    assert event.decoded("DTSTART") == datetime.datetime(2027, 3, 29, 8, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.datetime(2027, 3, 29, 9, 0, tzinfo=UTC)  # 30 min
    assert "DTSTART:20270329T083000Z" in ics  # UTC, readable by every calendar
    assert str(event["SUMMARY"]) == "Convocation : 1er rendez-vous SPIP"
    assert str(event["LOCATION"]) == (
        "Antenne; nord, Bâtiment B, 2e étage, 5 place de l’Étoile, 67000 Strasbourg"
    )
    assert "LOCATION:Antenne\\; nord\\, Bâtiment B" in ics.replace("\r\n ", "")  # escaped
    description = str(event["DESCRIPTION"])
    assert description.startswith("Convocation du lundi 29 mars 2027 à 10 h 30")
    assert "03 88 11 22 33" in description
    assert "justificatif de domicile" in description
    assert "\n" in description
    assert str(event["STATUS"]) == "CONFIRMED"


def test_ics_dtstart_matches_the_start_of_an_overseas_appointment(org: Any) -> None:
    service = ServiceFactory(
        kind=org.spip_alpha.kind, jurisdiction=org.tj_alpha, time_zone="America/Cayenne"
    )
    starts_at = datetime.datetime(2027, 6, 1, 9, 0, tzinfo=ZoneInfo("America/Cayenne"))
    appointment = make_appointment(org, place=PlaceFactory(service=service), starts_at=starts_at)

    calendar, event = parse(appointment_ics(appointment))

    assert event.decoded("DTSTART") == datetime.datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Cayenne"


def test_ics_of_a_cancelled_convocation_says_so(org: Any) -> None:
    appointment = make_appointment(org)
    appointment.status = Appointment.Status.CANCELLED

    _, event = parse(appointment_ics(appointment))

    assert str(event["STATUS"]) == "CANCELLED"


def test_ics_contains_no_personal_data(org: Any) -> None:
    appointment = make_appointment(org)

    ics = appointment_ics(appointment).replace("\r\n ", "")
    text = ics.upper()

    assert "LÉVÊQUE" not in text
    assert "JEAN-PIERRE" not in text
    assert "1985" not in text
    assert "25123000123" not in text
    assert appointment.person.phone
    assert appointment.person.phone not in text
