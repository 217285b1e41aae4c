"""The person's side in a browser with JavaScript off: a cheap phone, a poor network."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from jalon.core import links
from jalon.public.models import LinkState, MoveRequest
from tests.factories import AppointmentFactory, PersonFactory


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A small screen without JavaScript."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        java_script_enabled=False,
        viewport={"width": 360, "height": 640},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_personal_link_works_without_javascript(phone, org, agendas):
    person = PersonFactory(followed_by=[org.spip_alpha], birth_date=datetime.date(1990, 5, 17))
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    phone.goto(f"/c/{links.convocation_token(appointment.pk)}")
    phone.get_by_label("Votre date de naissance").fill("17/05/1990")
    phone.get_by_role("button", name="Voir ma convocation").click()
    assert phone.get_by_test_id("convocation").is_visible()
    assert "1 rue du Palais" in phone.get_by_test_id("convocation").inner_text()
    phone.get_by_role("button", name="Je confirme ma présence").click()
    assert phone.get_by_test_id("confirmed").is_visible()
    phone.get_by_label("Pourquoi souhaitez-vous déplacer ce rendez-vous ?").fill("Hospitalisation")
    phone.get_by_role("button", name="Demander un report").click()
    assert phone.get_by_test_id("move-pending").is_visible()
    assert LinkState.objects.get(appointment=appointment).confirmed_at is not None
    assert MoveRequest.objects.get(appointment=appointment).reason == "Hospitalisation"


def test_the_service_page_reads_on_a_small_screen_without_javascript(phone, org):
    phone.goto(f"/s/{links.service_page_token(org.spip_alpha.pk)}")
    assert phone.get_by_role("heading", level=1).inner_text() == "SPIP Alpha"
    phone.get_by_role(
        "link", name="Informations générales : peine en milieu ouvert", exact=False
    ).click()
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Informations générales")
