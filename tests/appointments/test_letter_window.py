"""The paper convocation in a window envelope: address, sender, signature, non-appearance."""

from __future__ import annotations

import datetime
import re
from typing import Any

from jalon.appointments.documents import (
    NON_APPEARANCE_SAP,
    NON_APPEARANCE_SPIP,
    convocation_letter_pdf,
)
from jalon.appointments.models import Appointment
from jalon.public.models import ServicePage
from tests.factories import AgendaFactory, AppointmentFactory, PersonFactory, PlaceFactory
from tests.pdf import accessibility_failures, runs

UTC = datetime.UTC
# The window of a DL envelope seen on the folded A4 sheet (jalon/templates/print/_letter_style.html).
WINDOW_LEFT, WINDOW_RIGHT, WINDOW_TOP, WINDOW_BOTTOM = 100, 200, 45, 95


def letter(org: Any, service: Any = None, **person: Any) -> bytes:
    place = PlaceFactory(
        service=service or org.spip_alpha, address="1 place du Marché\n67000 Strasbourg"
    )
    appointment: Appointment = AppointmentFactory.create(
        agenda=AgendaFactory(place=place),
        person=PersonFactory(last_name="Lévêque", first_names="Jean-Pierre", **person),
        starts_at=datetime.datetime(2027, 3, 29, 8, 30, tzinfo=UTC),
        appointment_type=_type_for(service or org.spip_alpha),
    )
    return convocation_letter_pdf(appointment)


def _type_for(service: Any) -> Any:
    from tests.factories import appointment_type

    return appointment_type("spip_first" if service.is_spip else "jap_follow_up")


def in_window(pdf: bytes) -> list[str]:
    return [
        run.text
        for run in runs(pdf)
        if WINDOW_LEFT <= run.left_mm <= WINDOW_RIGHT and WINDOW_TOP <= run.top_mm <= WINDOW_BOTTOM
    ]


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(run.text for run in runs(pdf)))


def test_the_postal_address_shows_through_the_window(org: Any) -> None:
    pdf = letter(
        org,
        address="3 rue des Juifs",
        address_complement="Chez M. Weber, bâtiment B",
        postal_code="67000",
        city="Strasbourg",
    )

    assert in_window(pdf) == [
        "LÉVÊQUE Jean-Pierre",
        "Chez M. Weber, bâtiment B",
        "3 rue des Juifs",
        "67000 STRASBOURG",
    ]
    assert accessibility_failures(pdf) == []


def test_without_an_address_the_window_shows_the_name_alone(org: Any) -> None:
    pdf = letter(org)

    assert in_window(pdf) == ["LÉVÊQUE Jean-Pierre"]
    # The birth date stays inside, out of sight of the window.
    assert "03/07/1985" not in " ".join(in_window(pdf))
    assert "Convocation" in text_of(pdf)


def test_the_letter_carries_the_service_identity_from_its_public_page(org: Any) -> None:
    ServicePage.objects.create(
        service=org.spip_alpha,
        address="4 quai Finkwiller\n67000 Strasbourg",
        phone="03 88 00 00 01",
        email="spip.strasbourg@justice.fr",
        opening_hours="Du lundi au vendredi, 9h-12h et 14h-17h",
    )

    text = text_of(letter(org))

    assert "SPIP Alpha" in text
    assert "4 quai Finkwiller" in text
    assert "Tél. : 03 88 00 00 01" in text
    assert "spip.strasbourg@justice.fr" in text
    assert "Du lundi au vendredi, 9h-12h et 14h-17h" in text


def test_the_signature_is_the_convoking_agent_else_the_service_head(
    org: Any, make_agent: Any
) -> None:
    head = make_agent("dpip", service=org.spip_alpha, first_name="Hélène", last_name="Roth")
    assert "Hélène ROTH" in text_of(letter(org))
    assert "DPIP, SPIP Alpha" in text_of(letter(org))

    cpip = make_agent("cpip", service=org.spip_alpha, first_name="Marc", last_name="Klein")
    place = PlaceFactory(service=org.spip_alpha)
    appointment: Appointment = AppointmentFactory.create(
        agenda=AgendaFactory(place=place),
        person=PersonFactory(),
        starts_at=datetime.datetime(2027, 3, 29, 8, 30, tzinfo=UTC),
        assigned_agent=cpip,
    )
    text = text_of(convocation_letter_pdf(appointment))
    assert "Marc KLEIN" in text
    assert head.full_name not in text


def test_without_a_head_the_service_signs(org: Any) -> None:
    assert "Pour le service SPIP Alpha" in text_of(letter(org))


def test_the_letter_says_what_happens_if_the_person_does_not_come(org: Any) -> None:
    spip = text_of(letter(org))
    sap = text_of(letter(org, service=org.sap_alpha))

    assert "Si vous ne vous présentez pas" in spip
    assert "juge de l’application des peines en sera informé" in spip
    assert "article 132-44 du code pénal" in spip
    assert "723-15-2" not in spip
    assert "article 723-15-2" in sap
    assert NON_APPEARANCE_SPIP != NON_APPEARANCE_SAP
