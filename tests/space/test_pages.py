"""What the person sees in their space and what they do there; the space and the agents'
pages never open each other's sessions; each page within its byte budget, without script."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.space import BUDGET, has_script, subresources
from jalon.appointments.models import Appointment, AppointmentType
from jalon.core.dates import french_time
from jalon.history.models import Event
from jalon.public import actions as public_actions
from jalon.public.models import LinkState, MoveRequest
from jalon.space import actions, sessions
from tests.factories import AgendaFactory, AppointmentFactory, PersonFactory
from tests.queries import assert_queries_do_not_grow
from tests.space.conftest import PASSWORD, TYPED


@pytest.fixture
def upcoming(person, agendas, cpip):
    kind = AppointmentType.objects.get(code="spip_follow_up")
    kind.what_to_bring = "Une pièce d’identité"
    kind.save(update_fields=["what_to_bring"])
    return AppointmentFactory(person=person, agenda=agendas.spip_alpha, assigned_agent=cpip)


@pytest.fixture
def past(person, agendas, cpip):
    starts = timezone.now() - datetime.timedelta(days=20)
    return AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        assigned_agent=cpip,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
    )  # still "planifiée": no outcome typed yet


def detail(appointment, name="space_convocation"):
    return reverse(name, args=[appointment.pk])


def test_the_home_lists_past_and_future_convocations_of_every_service(
    space_client, person, upcoming, past, agendas
):
    other_service = AppointmentFactory(person=person, agenda=agendas.sap_beta)
    page = space_client.get("/espace/").content.decode()
    assert page.count('data-testid="space-convocation"') == 3
    assert "TJ Beta — SAP" in page and "SAP Beta" in page
    assert reverse("space_convocation", args=[other_service.pk]) in page
    upcoming_part = page.split('id="upcoming-title"')[1].split('id="contacts-title"')[0]
    assert reverse("space_convocation", args=[upcoming.pk]) in upcoming_part
    assert reverse("space_convocation", args=[past.pk]) not in upcoming_part


def test_someone_elses_convocation_is_404(space_client, agendas, org):
    stranger = AppointmentFactory(person=PersonFactory(followed_by=[org.spip_alpha]))
    for name in ("space_convocation", "space_convocation_ics"):
        assert space_client.get(detail(stranger, name)).status_code == 404
    assert space_client.post(detail(stranger, "space_convocation_confirm")).status_code == 404
    assert not LinkState.objects.exists()


def test_a_convocation_in_local_time_with_map_and_what_to_bring(space_client, upcoming, org):
    org.spip_alpha.time_zone = "America/Cayenne"
    org.spip_alpha.save(update_fields=["time_zone"])
    upcoming.refresh_from_db()
    page = space_client.get(detail(upcoming)).content.decode()
    local = upcoming.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=-3)))
    assert f"à {french_time(local.time())} (heure locale)" in page
    assert "https://www.openstreetmap.org/search?query=1+rue+du+Palais%2C+67000+Strasbourg" in page
    assert "Une pièce d’identité" in page
    assert "03 88 00 00 00" in page  # the place's contact
    assert "<script" not in page


def test_nothing_else_than_convocations_and_contacts(space_client, person, upcoming):
    page = space_client.get("/espace/").content.decode()
    for word in ("APPI", "Situation", "procédure", "Note"):
        assert word not in page


def test_the_calendar_file(space_client, upcoming):
    response = space_client.get(detail(upcoming, "space_convocation_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_the_agents_who_share_their_contacts_until_the_follow_ends(
    space_client, person, cpip, make_agent, org, upcoming
):
    cpip.phone, cpip.share_phone = "03 88 11 22 33", True
    cpip.save(update_fields=["phone", "share_phone"])
    silent = make_agent("cpip", service=org.spip_alpha, phone="03 88 99 99 99")
    AppointmentFactory(person=person, agenda=upcoming.agenda, assigned_agent=silent)
    page = space_client.get("/espace/").content.decode()
    assert "03 88 11 22 33" in page
    assert cpip.email not in page  # the phone only
    assert "03 88 99 99 99" not in page and silent.email not in page
    person.follows.filter(service=org.spip_alpha).delete()
    page = space_client.get("/espace/").content.decode()
    assert "03 88 11 22 33" not in page


def test_confirming_presence(space_client, upcoming):
    response = space_client.post(detail(upcoming, "space_convocation_confirm"))
    assert response.status_code == 302
    assert LinkState.objects.get(appointment=upcoming).confirmed_at is not None
    page = space_client.get(response["Location"]).content.decode()
    assert "votre présence est confirmée" in page
    assert Event.objects.filter(action="public.presence_confirmed").count() == 1


def test_a_move_request_reaches_the_agents_queue_and_changes_nothing(
    space_client, client_for, upcoming, cpip
):
    starts = upcoming.starts_at
    response = space_client.post(
        detail(upcoming, "space_convocation_move"), {"reason": "Un rendez-vous médical"}
    )
    assert response.status_code == 302
    move = MoveRequest.objects.get(appointment=upcoming)
    upcoming.refresh_from_db()
    assert upcoming.starts_at == starts and upcoming.status == Appointment.Status.BOOKED
    queue = client_for(cpip).get(reverse("move_requests")).content.decode()
    assert "Un rendez-vous médical" in queue
    public_actions.answer_move_request(
        agent=cpip, move=move, accept=False, answer="Merci de venir comme prévu."
    )
    page = space_client.get(detail(upcoming)).content.decode()
    assert "Merci de venir comme prévu." in page and "refusée" in page


def test_a_move_request_without_reason_keeps_the_page(space_client, upcoming):
    response = space_client.post(detail(upcoming, "space_convocation_move"), {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez la raison" in response.content.decode()
    assert not MoveRequest.objects.exists()


@pytest.mark.parametrize("which", ["past", "cancelled"])
def test_a_move_request_on_a_past_or_cancelled_convocation_is_refused(
    space_client, upcoming, past, which
):
    target = past if which == "past" else upcoming
    if which == "cancelled":
        target.status = Appointment.Status.CANCELLED
        target.save(update_fields=["status"])
    response = space_client.post(
        detail(target, "space_convocation_move"), {"reason": "Je ne peux pas venir"}
    )
    assert response.status_code == 409
    assert ("passée" if which == "past" else "annulée") in response.content.decode()
    assert not MoveRequest.objects.exists()
    assert Event.objects.filter(
        action="public.link_refused", details__reason="move_not_possible"
    ).exists()


# --- Two separate sessions ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/espace/", "/espace/convocations/1/"])
def test_an_agent_session_never_opens_the_space(client_for, cpip, path, account):
    response = client_for(cpip).get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("space_login")


@pytest.mark.parametrize("name", ["home", "person_list", "move_requests"])
def test_a_space_session_never_opens_the_agents_pages(space_client, name):
    # Sent even where the browser would not send it (its path is /espace/).
    space_client.cookies[sessions.COOKIE]["path"] = "/"
    response = space_client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_an_agents_password_does_not_open_the_space(client, cpip):
    response = client.post("/espace/connexion/", {"phone": TYPED, "password": "Jalon-Test-1!"})
    assert response.status_code == 400


def test_no_agent_session_is_created_by_the_space(client, account):
    response = client.post("/espace/connexion/", {"phone": TYPED, "password": PASSWORD})
    assert response.status_code == 302
    assert "jalon_session" not in response.cookies
    assert "_auth_user_id" not in client.session


# --- Light --------------------------------------------------------------------------------


def test_each_page_within_the_byte_budget_and_without_script(
    space_client, client, person, upcoming, agendas, cpip
):
    for days in range(1, 40):
        starts = timezone.now() - datetime.timedelta(days=days * 7)
        AppointmentFactory(
            person=person,
            agenda=agendas.spip_alpha,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=30),
        )
    pages = ["/espace/", detail(upcoming)]
    anonymous = ["/espace/connexion/", "/espace/mot-de-passe-oublie/"]
    for path in pages + anonymous:
        response = space_client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not has_script(html), path
        weight = len(response.content) + sum(
            len(b"".join(space_client.get(asset).streaming_content))  # type: ignore[arg-type]
            for asset in subresources(html)
            if asset.startswith("/static/")
        )
        assert weight <= BUDGET, (path, weight)


def test_the_home_costs_the_same_queries_with_more_convocations(
    space_client, person, agendas, make_agent, org
):
    def more():
        for _ in range(3):
            agent = make_agent("cpip", service=org.spip_alpha, share_email=True)
            AppointmentFactory(person=person, agenda=agendas.spip_alpha, assigned_agent=agent)
            AppointmentFactory(person=person, agenda=agendas.sap_alpha)

    more()
    response = assert_queries_do_not_grow(lambda: space_client.get("/espace/"), more, at_most=6)
    assert response.content.decode().count('data-testid="space-convocation"') == 12


def test_the_convocation_page_query_count_is_bounded(space_client, upcoming):
    assert_queries_do_not_grow(
        lambda: space_client.get(detail(upcoming)),
        lambda: [
            actions.open_session(upcoming.person.space_account),
            AgendaFactory(),
        ],
        at_most=6,
    )
