"""Closed by default: every URL needs a login unless it is on this allow-list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "session_status",
    # ProConnect sign-in (404 unless configured): the button's POST starts it before any
    # login, the provider sends the browser back to the callback (state, nonce, PKCE
    # checked) and, after its logout, to the return page (docs/access.md, "ProConnect").
    "proconnect_start",
    "proconnect_callback",
    "proconnect_logged_out",
    "healthz",
    "livez",
    "accessibility_statement",  # the accessibility statement, linked from every footer
    "admin:login",
    "sms_receipt_webhook",  # authenticated by the provider's HMAC signature
    "sms_inbound_webhook",
    "sms_stop_link",  # the personal STOP link of an SMS, signed (MSJ-60)
    # Public pages (MSJ-72, MSJ-73): a page per service (signed id) and general information.
    "public_service_page",
    "public_info_index",
    "public_info_page",
    # The personal link of a convocation SMS: signed, then a birth-date check (docs/public.md).
    "public_convocation",
    "public_convocation_ics",
    "public_convocation_confirm",
    "public_convocation_move",
    # The probationer space (docs/space.md): its own session, checked by each view
    # (jalon/space/sessions.py, space_login_required) or, for these, not needed yet.
    "space_login",
    "space_logout",
    "space_invitation",  # single-use signed link, valid 7 days
    "space_forgotten",
    "space_reset",
    # Behind the space's session, never the agents' one.
    "space_home",
    "space_convocation",
    "space_convocation_ics",
    "space_convocation_confirm",
    "space_convocation_move",
}


def _walk(
    patterns: list, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, object]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, child_namespace, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name or ''}",
                prefix + str(pattern.pattern),
                pattern.callback,
            )


ALL_URLS = list(_walk(get_resolver().url_patterns))


# The partners' API does not use the agents' login: every operation authenticates with its
# key (Authorization: Bearer), and tests/api/test_access_matrix.py calls each operation of the
# OpenAPI document without a key and expects 401. Its URLs are all under /api/v1/.
API_NAMESPACE = "api:"


def _is_api(name: str) -> bool:
    return name.startswith(API_NAMESPACE)


def test_the_public_urls_are_exactly_the_allow_list():
    public = {
        name
        for name, _, view in ALL_URLS
        if getattr(view, "login_required", True) is False and not _is_api(name)
    }
    assert public == PUBLIC_URL_NAMES


def test_the_api_namespace_is_only_under_api_v1():
    routes = {route for name, route, _ in ALL_URLS if _is_api(name)}
    assert routes
    assert all(route.startswith("api/v1/") for route in routes)


@pytest.mark.parametrize(
    "name",
    sorted(
        {
            name
            for name, route, view in ALL_URLS
            if name
            and "<" not in route
            and "(?P" not in route
            and name not in PUBLIC_URL_NAMES
            and not _is_api(name)
        }
    ),
)
def test_anonymous_visitors_are_sent_to_login(client, db, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/connexion/", "/admin/login/"))


def test_the_health_probe_is_public(client, db):
    assert client.get("/healthz").status_code in {200, 503}


def test_the_liveness_probe_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
