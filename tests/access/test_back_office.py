"""The national back office and the foundation's page costs."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from jalon.access.models import Jurisdiction
from tests.queries import assert_queries_do_not_grow


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:access_jurisdiction_changelist",
        "admin:access_jurisdiction_add",
        "admin:access_service_changelist",
        "admin:access_service_add",
        "admin:access_profile_changelist",
        "admin:access_profile_add",
        "admin:access_agent_changelist",
    ],
)
def test_operators_manage_the_reference_lists(client_for, make_agent, org, url_name):
    client = client_for(make_agent("national_admin", service=org.national, is_staff=True))
    assert client.get(reverse(url_name)).status_code == 200


def test_an_operator_adds_a_tribunal(client_for, make_agent, org):
    client = client_for(make_agent("national_admin", service=org.national, is_staff=True))
    response = client.post(
        reverse("admin:access_jurisdiction_add"),
        {"kind": "tj", "name": "TJ Gamma", "code": "tj-gamma", "court_of_appeal": org.ca.pk},
    )
    assert response.status_code == 302
    assert Jurisdiction.objects.get(code="tj-gamma").court_of_appeal == org.ca


def test_passwords_are_hashed_with_argon2():
    with override_settings(PASSWORD_HASHERS=__import__("jalon.settings").settings.PASSWORD_HASHERS):
        assert make_password("Une-phrase-de-passe").startswith("argon2$")


def test_the_agent_list_costs_the_same_whatever_the_number_of_agents(client_for, make_agent):
    client = client_for(make_agent("local_admin"))
    make_agent()
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("agent_list")),
        lambda: [make_agent() for _ in range(30)],
        at_most=8,
    )
    assert response.status_code == 200


def test_the_home_page_query_count_is_fixed(client_for, make_agent, django_assert_num_queries):
    client = client_for(make_agent("local_admin"))
    client.get(reverse("home"))
    # The session, the agent with service and profile, the two outcome-backlog aggregates,
    # then the daily-work blocks (jalon/home.py; tests/test_home.py checks they do not grow
    # with the data): convocation types, services, today's and the week's convocations.
    with django_assert_num_queries(8):
        client.get(reverse("home"))


def test_operators_see_convocation_types_in_the_technical_console(client_for, make_agent, org):
    client = client_for(make_agent("national_admin", service=org.national, is_staff=True))
    response = client.get("/admin/appointments/appointmenttype/")
    assert response.status_code == 200
    assert "Sortie d’audience SAP" in response.content.decode()
    local = client_for(make_agent("local_admin", service=org.spip_alpha))
    assert local.get("/admin/appointments/appointmenttype/").status_code == 302


def test_persons_are_not_in_the_back_office(client_for, make_agent, org):
    client = client_for(
        make_agent("national_admin", service=org.national, is_staff=True, is_superuser=True)
    )
    assert client.get("/admin/people/person/").status_code == 404
