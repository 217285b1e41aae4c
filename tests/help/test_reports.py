"""Signaler un problème: stored with the page, the time and its request id, e-mailed to
support; national administrators list the reports and mark them handled."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jalon.help import actions
from jalon.help.models import ProblemReport
from jalon.history.models import Event
from tests.queries import assert_queries_do_not_grow
from tests.transfers.conftest import queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_admin(make_agent: Any, org: Any) -> Any:
    return make_agent("national_admin", service=org.national)


def test_the_footer_link_carries_the_page_and_its_request_id(client_for: Any, cpip: Any) -> None:
    response = client_for(cpip).get(reverse("help_index"))
    request_id = response["X-Request-ID"]

    page = response.content.decode()

    assert f"ref={request_id}" in page
    assert "page=/aide/" in page.replace("%2F", "/")


def test_report_is_stored_emailed_and_recorded(
    client_for: Any, cpip: Any, settings: Any, frozen_now: Any
) -> None:
    settings.JALON_SUPPORT_EMAIL = "assistance@justice.test"
    client = client_for(cpip)
    form = client.get(
        reverse("report_problem"), {"page": "/convocations/statut-inconnu/", "ref": "abc123"}
    ).content.decode()
    assert 'value="/convocations/statut-inconnu/"' in form and "abc123" in form

    response = client.post(
        reverse("report_problem"),
        {
            "description": "La liste ne se charge pas.",
            "page": "/convocations/statut-inconnu/",
            "ref": "abc123",
        },
        HTTP_USER_AGENT="Firefox",
    )

    assert response.status_code == 302 and response["Location"] == "/convocations/statut-inconnu/"
    report = ProblemReport.objects.get()
    assert (report.agent, report.service) == (cpip, cpip.service)
    assert (report.page_url, report.request_id, report.user_agent) == (
        "/convocations/statut-inconnu/",
        "abc123",
        "Firefox",
    )
    assert report.created_at == frozen_now
    (email,) = queued_emails()
    assert email["to"] == ["assistance@justice.test"]
    assert f"Signalement n° {report.pk}" in email["subject"]
    assert "abc123" in email["body"] and "La liste ne se charge pas." in email["body"]
    assert "/convocations/statut-inconnu/" in email["body"]
    assert "05/07/2027 à 10 h 00" in email["body"]  # Paris time
    assert Event.objects.filter(action="help.problem_reported", actor=cpip).exists()


def test_empty_description_keeps_the_context_and_says_why(client_for: Any, cpip: Any) -> None:
    response = client_for(cpip).post(
        reverse("report_problem"), {"description": " ", "page": "/personnes/", "ref": "r1"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Décrivez le problème rencontré." in page
    assert 'value="/personnes/"' in page and 'value="r1"' in page
    assert not ProblemReport.objects.exists()


def test_a_foreign_address_is_neither_linked_nor_kept(client_for: Any, cpip: Any) -> None:
    form = client_for(cpip).get(
        reverse("report_problem"), {"page": "javascript:alert(1)", "ref": "<b>"}
    )
    assert "javascript:" not in form.content.decode() and "&lt;b&gt;" not in form.content.decode()

    response = client_for(cpip).post(
        reverse("report_problem"),
        {"description": "x", "page": "https://ailleurs.example/", "ref": "<script>"},
    )

    assert response["Location"] == reverse("home")
    report = ProblemReport.objects.get()
    assert (report.page_url, report.request_id) == ("", "")


def test_national_admins_list_and_handle_reports(
    client_for: Any, cpip: Any, national_admin: Any
) -> None:
    report = actions.report_problem(
        agent=cpip, description="Bouton sans effet", page_url="/", request_id="r9"
    )
    client = client_for(national_admin)

    page = client.get(reverse("problem_reports")).content.decode()
    assert "Bouton sans effet" in page and "r9" in page

    client.post(reverse("problem_report_handled", args=[report.pk]))
    client.post(reverse("problem_report_handled", args=[report.pk]))  # twice: no harm

    report.refresh_from_db()
    assert report.handled_by == national_admin and report.handled_at is not None
    assert Event.objects.filter(action="help.problem_handled").count() == 1
    assert "Bouton sans effet" not in client.get(reverse("problem_reports")).content.decode()
    assert (
        "Bouton sans effet"
        in client.get(reverse("problem_reports"), {"tous": "1"}).content.decode()
    )


def test_other_agents_neither_see_nor_handle_reports(client_for: Any, cpip: Any) -> None:
    report = actions.report_problem(agent=cpip, description="x", page_url="/", request_id="")
    client = client_for(cpip)

    assert client.get(reverse("problem_reports")).status_code == 403
    assert client.post(reverse("problem_report_handled", args=[report.pk])).status_code == 404
    assert client.post(reverse("problem_report_handled", args=[999999])).status_code == 404
    report.refresh_from_db()
    assert report.handled_at is None


def test_report_list_queries_do_not_grow(client_for: Any, cpip: Any, national_admin: Any) -> None:
    client = client_for(national_admin)
    actions.report_problem(agent=cpip, description="x", page_url="/", request_id="")

    def run() -> None:
        assert client.get(reverse("problem_reports"), {"tous": "1"}).status_code == 200

    def grow() -> None:
        actions.report_problem(agent=cpip, description="x", page_url="/", request_id="")

    assert_queries_do_not_grow(run, grow)


def test_the_500_page_offers_to_report_with_its_request_id(rf: Any) -> None:
    from jalon.core import request_context
    from jalon.views import server_error

    request = rf.get("/personnes/12/")
    token = request_context.begin(request)
    try:
        html = server_error(request).content.decode()
        request_id = request_context.current().request_id  # type: ignore[union-attr]
    finally:
        request_context.end(token)

    assert f"ref={request_id}" in html
    assert "page=/personnes/12/" in html.replace("%2F", "/")
    assert "Signaler un problème" in html
