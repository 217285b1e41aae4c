"""Who reaches the national back office (/administration/) and the operators' console
(/admin/): a table of real requests for each kind of agent.

Expected: an HTTP status, and for state changes whether the change happened and was recorded
in history (302 after a POST that changed something).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.history.models import Event
from jalon.situations.models import Policy

AGENTS = {
    # key: (profile, service attribute on ``org``, operator flags)
    "national_admin": ("national_admin", "national", {}),
    "staff_operator": ("national_admin", "national", {"is_staff": True}),
    "superuser_operator": (
        "national_admin",
        "national",
        {"is_staff": True, "is_superuser": True},
    ),
    "local_admin": ("local_admin", "spip_alpha", {}),
    "dpip": ("dpip", "spip_alpha", {}),
    "cpip": ("cpip", "spip_alpha", {}),
    "greff_sap": ("greff_sap", "sap_alpha", {}),
    "dir_greff_sap": ("dir_greff_sap", "sap_alpha", {}),
    "bex": ("bex", "bex_alpha", {}),
}
NATIONAL = ("national_admin", "staff_operator", "superuser_operator")
OK, DENIED, HIDDEN, MOVED = 200, 403, 404, 302

MATRIX: dict[str, dict[str, int]] = {
    "home": dict.fromkeys(NATIONAL, OK),
    "policy_list": dict.fromkeys(NATIONAL, OK),
    "policy_create_form": dict.fromkeys(NATIONAL, OK),
    "policy_create": dict.fromkeys(NATIONAL, MOVED),
    "policy_edit": dict.fromkeys(NATIONAL, MOVED),
    "policy_deactivate": dict.fromkeys(NATIONAL, MOVED),
    "type_edit": dict.fromkeys(NATIONAL, MOVED),
    "type_create": {},  # convocation types come with the application
    "service_list": dict.fromkeys(NATIONAL, OK),
    "jurisdiction_create": dict.fromkeys(NATIONAL, MOVED),
}
CASES = [(action, key, MATRIX[action].get(key, DENIED)) for action in MATRIX for key in AGENTS]
CHANGES = {
    "policy_create": "referential.created",
    "policy_edit": "referential.updated",
    "policy_deactivate": "referential.deactivated",
    "type_edit": "referential.updated",
    "jurisdiction_create": "referential.created",
}


@pytest.fixture
def policy(db):
    return Policy.objects.create(code="stups", label="Stupéfiants", default_review_days=60)


def request(client, action, org, policy):
    slug = "politiques-penales"
    if action == "home":
        return client.get(reverse("backoffice_home"))
    if action == "policy_list":
        return client.get(reverse("backoffice_list", args=[slug]))
    if action == "policy_create_form":
        return client.get(reverse("backoffice_create", args=[slug]))
    if action == "policy_create":
        return client.post(
            reverse("backoffice_create", args=[slug]),
            {"label": "Atteintes aux élus", "code": "elus", "default_review_days": "30"},
        )
    if action == "policy_edit":
        return client.post(
            reverse("backoffice_edit", args=[slug, policy.pk]),
            {"label": "Stupéfiants (trafic)", "code": "stups", "default_review_days": "45"},
        )
    if action == "policy_deactivate":
        return client.post(reverse("backoffice_toggle", args=[slug, policy.pk]), {"active": "0"})
    if action == "type_edit":
        kind = org_type()
        return client.post(
            reverse("backoffice_edit", args=["types-de-convocation", kind.pk]),
            {
                "label": kind.label,
                "what_to_bring": "Une pièce d’identité.",
                "default_duration_minutes": "50",
                "reminder_delay_hours": str(kind.reminder_delay_hours),
                "position": str(kind.position),
            },
        )
    if action == "type_create":
        return client.get(reverse("backoffice_create", args=["types-de-convocation"]))
    if action == "service_list":
        return client.get(reverse("backoffice_list", args=["services"]))
    if action == "jurisdiction_create":
        return client.post(
            reverse("backoffice_create", args=["juridictions"]),
            {"kind": "tj", "name": "TJ Gamma", "code": "tj-gamma", "court_of_appeal": org.ca.pk},
        )
    raise AssertionError(action)


def org_type():
    from tests.factories import appointment_type

    return appointment_type("spip_first")


def changed(action, policy) -> bool:
    policy.refresh_from_db()
    if action == "policy_create":
        return Policy.objects.filter(code="elus", jurisdiction=None).exists()
    if action == "policy_edit":
        return policy.label == "Stupéfiants (trafic)" and policy.default_review_days == 45
    if action == "policy_deactivate":
        return not policy.is_active
    if action == "type_edit":
        return org_type().default_duration_minutes == 50
    if action == "jurisdiction_create":
        from jalon.access.models import Jurisdiction

        return Jurisdiction.objects.filter(code="tj-gamma").exists()
    return False


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_back_office_access_matrix(client_for, org, make_agent, policy, action, key, expected):
    profile_code, where, flags = AGENTS[key]
    agent = make_agent(profile_code, service=getattr(org, where), **flags)
    response = request(client_for(agent), action, org, policy)
    assert response.status_code == expected
    assert changed(action, policy) is (expected == MOVED)
    if action in CHANGES:
        recorded = Event.objects.filter(action=CHANGES[action], actor=agent)
        assert recorded.exists() is (expected == MOVED)


# /admin/: operators only; national administrators are sent to the DSFR back office.
ADMIN = {
    "national_admin": "backoffice",
    "staff_operator": OK,
    "superuser_operator": OK,
    "local_admin": DENIED,
    "cpip": DENIED,
    "bex": DENIED,
}


@pytest.mark.parametrize(("key", "expected"), ADMIN.items())
def test_the_technical_console_is_for_operators(client_for, org, make_agent, key, expected):
    profile_code, where, flags = AGENTS[key]
    client = client_for(make_agent(profile_code, service=getattr(org, where), **flags))
    response = client.get("/admin/", follow=True)
    if expected == "backoffice":
        assert response.redirect_chain[-1][0] == reverse("backoffice_home")
        assert response.status_code == OK
        assert "Administration nationale" in response.content.decode()
    else:
        assert response.status_code == expected


TECHNICAL = [
    "/admin/procrastinate/procrastinatejob/",
    "/admin/otp_totp/totpdevice/",
    "/admin/auth/group/",
    "/admin/dsfr/dsfrconfig/",
]


@pytest.mark.parametrize("url", TECHNICAL)
def test_technical_tables_are_for_superuser_operators_only(client_for, org, make_agent, url):
    staff = client_for(make_agent("national_admin", service=org.national, is_staff=True))
    assert staff.get(url).status_code == DENIED
    index = staff.get("/admin/").content.decode()
    assert "Procrastinate" not in index and "TOTP" not in index
    assert "Juridictions" in index or "juridictions" in index

    superuser = client_for(
        make_agent("national_admin", service=org.national, is_staff=True, is_superuser=True)
    )
    assert superuser.get(url).status_code == OK
