"""The personal link of a convocation SMS: signed, birth-date check, then calendar, confirm,
or ask to move it; agents answer from the convocation page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.core import links
from jalon.history.models import Event
from jalon.public.models import LinkState, MoveRequest
from jalon.sms import content
from jalon.sms import text as sms_text
from tests.factories import AppointmentFactory, MessageFactory, PersonFactory

BIRTH = datetime.date(1990, 5, 17)
GOOD = {"birth_date": "17/05/1990"}
BAD = {"birth_date": "18/05/1990"}


@pytest.fixture
def appointment(org, agendas, cpip):
    person = PersonFactory(
        followed_by=[org.spip_alpha], birth_date=BIRTH, last_name="Secret", first_names="Nom"
    )
    return AppointmentFactory(person=person, agenda=agendas.spip_alpha, assigned_agent=cpip)


def url(appointment, name="public_convocation"):
    return reverse(name, args=[links.convocation_token(appointment.pk)])


def refusals(reason):
    return Event.objects.filter(action="public.link_refused", details__reason=reason)


def open_link(client, appointment):
    response = client.post(url(appointment), GOOD)
    assert response.status_code == 302
    return client


# --- The SMS --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "path"), [("convocation", "/c/"), ("reminder", "/c/"), ("cancellation", "/s/")]
)
def test_the_sms_carries_the_personal_link_or_the_service_page(
    public_site, appointment, kind, path
):
    message = MessageFactory(appointment=appointment, kind=kind)
    rendered = content.render(message)
    token = (
        links.convocation_token(appointment.pk)
        if path == "/c/"
        else links.service_page_token(appointment.service_id)
    )
    assert f"https://jalon.gouv.fr{path}{token}" in rendered
    assert "Secret" not in rendered and "1990" not in rendered


def test_the_longest_link_fits_the_length_the_template_check_counts(public_site):
    longest = links.convocation_url(36**6 - 1)  # two billion convocations
    assert len(longest) <= sms_text.LINK_MAX_CHARS
    assert len(links.service_page_url(36**4)) <= sms_text.LINK_MAX_CHARS


def test_no_public_site_no_link(settings, appointment):
    settings.JALON_PUBLIC_BASE_URL = ""
    assert "/c/" not in content.render(MessageFactory(appointment=appointment))


# --- Opening the link -------------------------------------------------------------------


def test_the_link_asks_the_birth_date_first_and_shows_nothing_before(client, appointment):
    response = client.get(url(appointment))
    assert response.status_code == 200
    body = response.content.decode()
    assert "date de naissance" in body
    assert appointment.agenda.place.name not in body and "Secret" not in body
    assert response["Cache-Control"] == "no-store"


def test_the_right_birth_date_opens_the_convocation_and_nothing_else(client, appointment):
    response = client.post(url(appointment), GOOD)
    assert response.status_code == 302
    page = client.get(url(appointment))
    body = page.content.decode()
    assert page.status_code == 200
    assert appointment.agenda.place.name in body and "1 rue du Palais" in body
    assert appointment.appointment_type.label in body
    assert "10 h 00" in body  # service-local time
    assert "Secret" not in body and "1990" not in body and "Nom" not in body
    assert Event.objects.filter(action="public.link_opened").count() == 1


def test_the_check_is_valid_for_this_link_only(client, appointment, org, agendas):
    other = AppointmentFactory(person=appointment.person, agenda=agendas.spip_alpha)
    open_link(client, appointment)
    assert "date de naissance" in client.get(url(other)).content.decode()


def test_other_date_formats_are_read(client, appointment):
    assert client.post(url(appointment), {"birth_date": "17-05-1990"}).status_code == 302


@pytest.mark.parametrize("typed", ["", "31/02/1990", "hier", "17/05"])
def test_an_unreadable_date_is_a_french_message_and_no_attempt_counted(client, appointment, typed):
    response = client.post(url(appointment), {"birth_date": typed})
    assert response.status_code == 400
    assert "JJ/MM/AAAA" in response.content.decode() or "Saisissez" in response.content.decode()
    assert not LinkState.objects.filter(failures__gt=0).exists()


def test_a_wrong_birth_date_is_refused_recorded_and_counted(client, appointment):
    response = client.post(url(appointment), BAD)
    assert response.status_code == 400
    body = response.content.decode()
    assert "ne correspond pas" in body and "4 essais" in body
    assert "18/05/1990" in body  # the form keeps what was typed
    assert refusals("wrong_birth_date").get().target_id == str(appointment.pk)


def test_the_link_locks_after_five_wrong_dates_even_for_the_right_one(client, appointment):
    for _ in range(LinkState.MAX_FAILURES - 1):
        assert client.post(url(appointment), BAD).status_code == 400
    assert client.post(url(appointment), BAD).status_code == 403
    response = client.post(url(appointment), GOOD)
    assert response.status_code == 403
    assert 'data-testid="link-locked"' in response.content.decode()
    assert "link-locked" in client.get(url(appointment)).content.decode()
    assert Event.objects.filter(action="public.link_locked").count() == 1
    assert refusals("locked").count() == 1
    assert not Event.objects.filter(action="public.link_opened").exists()


@pytest.mark.parametrize(
    "token", ["1-aaaaaaaa", "zz-12345678", "abc", "-", "1-" + "0" * 8, "%00", "1-abcdefgh-x"]
)
def test_a_forged_link_is_refused_in_french_and_recorded(client, appointment, token):
    response = client.get(f"/c/{token}")
    assert response.status_code in {400, 404}
    if response.status_code == 404:
        assert "Lien invalide" in response.content.decode()
        assert refusals("invalid_token").count() == 1


def test_a_token_signed_for_a_service_page_does_not_open_a_convocation(client, appointment):
    token = links.service_page_token(appointment.pk)
    assert client.get(f"/c/{token}").status_code == 404


def test_the_link_expires_a_day_after_the_convocation(client, appointment):
    with time_machine.travel(appointment.ends_at + datetime.timedelta(hours=23), tick=False):
        assert client.get(url(appointment)).status_code == 200
    with time_machine.travel(
        appointment.ends_at + datetime.timedelta(days=1, minutes=1), tick=False
    ):
        response = client.post(url(appointment), GOOD)
    assert response.status_code == 410
    assert "Lien expiré" in response.content.decode()
    assert refusals("expired").count() == 1
    assert not Event.objects.filter(action="public.link_opened").exists()


def test_actions_need_the_check_first(client, appointment):
    assert client.post(url(appointment, "public_convocation_confirm")).status_code == 302
    assert client.get(url(appointment, "public_convocation_ics")).status_code == 302
    assert not LinkState.objects.filter(confirmed_at__isnull=False).exists()
    assert refusals("not_checked").count() == 2


# --- What the person can do ---------------------------------------------------------------


def test_the_calendar_file(client, appointment):
    open_link(client, appointment)
    response = client.get(url(appointment, "public_convocation_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Secret" not in body


def test_confirming_presence_twice_is_one_confirmation(client, appointment):
    open_link(client, appointment)
    for _ in range(2):
        response = client.post(url(appointment, "public_convocation_confirm"))
        assert response.status_code == 302
    assert LinkState.objects.get(appointment=appointment).confirmed_at is not None
    assert Event.objects.filter(action="public.presence_confirmed").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "présence est confirmée" in page and 'data-testid="confirmed"' in page


def test_asking_to_move_changes_nothing_until_an_agent_answers(client, appointment):
    open_link(client, appointment)
    for _ in range(2):  # double click
        response = client.post(
            url(appointment, "public_convocation_move"), {"reason": "Opération prévue ce jour-là"}
        )
        assert response.status_code == 302
    move = MoveRequest.objects.get()
    assert (
        move.status == MoveRequest.Status.PENDING and move.reason == "Opération prévue ce jour-là"
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert Event.objects.filter(action="public.move_requested").count() == 1
    assert 'data-testid="move-pending"' in client.get(url(appointment)).content.decode()


def test_an_empty_reason_is_refused_with_the_form(client, appointment):
    open_link(client, appointment)
    response = client.post(url(appointment, "public_convocation_move"), {"reason": " "})
    assert response.status_code == 400
    assert "Indiquez la raison" in response.content.decode()
    assert not MoveRequest.objects.exists()
    assert refusals("move_invalid_input").count() == 1


def test_a_cancelled_convocation_cannot_be_confirmed_nor_moved(client, appointment):
    open_link(client, appointment)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    response = client.post(url(appointment, "public_convocation_move"), {"reason": "Travail"})
    assert response.status_code == 409
    assert "annulée" in response.content.decode()
    assert client.post(url(appointment, "public_convocation_confirm")).status_code == 409
    assert not MoveRequest.objects.exists()
    assert not LinkState.objects.filter(confirmed_at__isnull=False).exists()
    assert refusals("move_not_possible").count() == 1
    assert refusals("confirm_not_possible").count() == 1


def test_a_past_convocation_cannot_be_moved(client, appointment):
    with time_machine.travel(appointment.starts_at + datetime.timedelta(minutes=5), tick=False):
        open_link(client, appointment)
        response = client.post(url(appointment, "public_convocation_move"), {"reason": "Retard"})
    assert response.status_code == 409
    assert "passée" in response.content.decode()
    assert not MoveRequest.objects.exists()


# --- Agents answer ------------------------------------------------------------------------


@pytest.fixture
def move(appointment):
    return MoveRequest.objects.create(appointment=appointment, reason="Rendez-vous médical")


def test_the_queue_lists_the_service_requests(client_for, cpip, move, org, agendas):
    def grow():
        for _ in range(3):
            other = AppointmentFactory(agenda=agendas.spip_alpha)
            MoveRequest.objects.create(appointment=other, reason="Travail")

    from tests.queries import assert_queries_do_not_grow

    MoveRequest.objects.create(
        appointment=AppointmentFactory(agenda=agendas.spip_alpha), reason="Famille"
    )
    agent_client = client_for(cpip)
    response = assert_queries_do_not_grow(lambda: agent_client.get(reverse("move_requests")), grow)
    body = response.content.decode()
    assert "Rendez-vous médical" in body and body.count("Travail") == 3
    record = Event.objects.filter(action="person.viewed", details__read="move_requests")
    assert record.filter(target_id=str(move.appointment.person_id)).exists()


def test_another_service_does_not_see_the_request(client_for, make_agent, org, move):
    agent = make_agent("greff_sap", service=org.sap_beta)
    assert (
        "Rendez-vous médical"
        not in client_for(agent).get(reverse("move_requests")).content.decode()
    )
    response = client_for(agent).post(
        reverse("move_request_answer", args=[move.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    move.refresh_from_db()
    assert move.status == MoveRequest.Status.PENDING


def test_the_assigned_agent_answers_and_the_person_sees_it(
    client_for, cpip, move, appointment, client
):
    detail = client_for(cpip).get(reverse("appointment_detail", args=[appointment.pk]))
    assert 'data-testid="move-request"' in detail.content.decode()
    assert "move-" in detail.content.decode() and "Répondre" in detail.content.decode()
    for _ in range(2):  # double click: one answer
        response = client_for(cpip).post(
            reverse("move_request_answer", args=[move.pk]),
            {"decision": "refuse", "answer": "Merci de venir à la date prévue."},
        )
        assert response.status_code == 302
    move.refresh_from_db()
    assert move.status == MoveRequest.Status.REFUSED and move.answered_by == cpip
    assert Event.objects.filter(action="public.move_declined").count() == 1
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    client.logout()
    open_link(client, appointment)
    body = client.get(url(appointment)).content.decode()
    assert 'data-testid="move-answer"' in body and "Merci de venir à la date prévue." in body
    assert "refusée" in body


def test_an_answer_without_a_decision_changes_nothing(client_for, cpip, move):
    response = client_for(cpip).post(reverse("move_request_answer", args=[move.pk]), {})
    assert response.status_code == 302
    move.refresh_from_db()
    assert move.status == MoveRequest.Status.PENDING


def test_a_base_url_too_long_for_the_sms_is_reported(settings):
    from jalon.public.checks import link_fits_the_sms

    settings.JALON_PUBLIC_BASE_URL = "https://jalon.gouv.fr"
    assert link_fits_the_sms() == []
    settings.JALON_PUBLIC_BASE_URL = "https://mon-suivi-justice.justice.gouv.fr"
    assert [message.id for message in link_fits_the_sms()] == ["public.W001"]


@pytest.mark.parametrize("field", ["birth_date", "reason"])
def test_nul_bytes_in_the_forms_are_refused_without_writing(client, appointment, field):
    if field == "reason":
        open_link(client, appointment)
        target = url(appointment, "public_convocation_move")
    else:
        target = url(appointment)
    response = client.post(target, {field: "17/05\x001990"})
    assert response.status_code == 400
    assert not MoveRequest.objects.exists()
    assert not LinkState.objects.filter(failures__gt=0).exists()


@pytest.mark.parametrize("path", ["/c/" + "1" * 5000, "/c/%C3%28%FF%FE", "/s/%00"])
def test_odd_paths_are_refused_cleanly(client, db, path):
    assert client.get(path).status_code in {400, 404}


def test_agents_see_the_confirmation_on_the_convocation_page(client, client_for, cpip, appointment):
    open_link(client, appointment)
    client.post(url(appointment, "public_convocation_confirm"))
    client.logout()
    detail = client_for(cpip).get(reverse("appointment_detail", args=[appointment.pk]))
    assert 'data-testid="presence-confirmed"' in detail.content.decode()


def test_an_agent_who_may_not_answer_sees_the_request_without_the_form(
    client_for, make_agent, org, move, appointment
):
    bex = make_agent("bex", service=org.bex_alpha)
    Appointment.objects.filter(pk=appointment.pk).update(created_by_service=org.bex_alpha)
    response = client_for(bex).get(reverse("appointment_detail", args=[appointment.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="move-request"' in body and "Répondre" not in body
