"""The national back office's referential screens: French messages, history, page costs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.access.models import Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.backoffice.registry import REFERENTIALS
from jalon.history.models import Event
from jalon.situations.models import Policy
from tests.factories import ServiceFactory, TribunalFactory
from tests.queries import assert_queries_do_not_grow

POLICIES = "politiques-penales"


@pytest.fixture
def admin_client(client_for, make_agent, org):
    return client_for(make_agent("national_admin", service=org.national))


def test_the_home_page_links_every_referential_and_the_other_national_screens(admin_client):
    page = admin_client.get(reverse("backoffice_home")).content.decode()
    assert "<h1>Administration nationale</h1>" in page
    for referential in REFERENTIALS:
        assert reverse("backoffice_list", args=[referential.slug]) in page
    for name in ("natinf_import", "commune_import", "agent_list", "api_client_list"):
        assert reverse(name) in page
    assert "/admin/" not in page


def test_an_empty_policy_form_says_what_is_missing_in_french(admin_client):
    response = admin_client.post(reverse("backoffice_create", args=[POLICIES]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "« Libellé » est obligatoire." in page
    assert "« Code » est obligatoire." in page
    assert not Policy.objects.filter(label="").exists()


def test_a_policy_code_is_unique_within_its_scope_and_the_form_keeps_what_was_typed(
    admin_client, org
):
    Policy.objects.create(code="stups", label="Stupéfiants")
    url = reverse("backoffice_create", args=[POLICIES])
    data = {"label": "Trafic de stupéfiants", "code": "stups", "default_review_days": "30"}
    page = admin_client.post(url, data).content.decode()
    assert "Une politique porte déjà ce code pour cette juridiction." in page
    assert 'value="Trafic de stupéfiants"' in page
    # The same code for one jurisdiction is another policy.
    response = admin_client.post(url, {**data, "jurisdiction": org.tj_alpha.pk})
    assert response.status_code == 302
    assert Policy.objects.get(code="stups", jurisdiction=org.tj_alpha).default_review_days == 30


def test_a_review_interval_must_be_positive(admin_client):
    page = admin_client.post(
        reverse("backoffice_create", args=[POLICIES]),
        {"label": "Atteintes aux élus", "code": "elus", "default_review_days": "0"},
    ).content.decode()
    assert "L’intervalle de revue est d’au moins un jour." in page
    assert not Policy.objects.filter(code="elus").exists()


def test_editing_records_the_changed_fields_and_the_page_shows_the_history(admin_client):
    policy = Policy.objects.create(code="stups", label="Stupéfiants", default_review_days=60)
    url = reverse("backoffice_edit", args=[POLICIES, policy.pk])
    admin_client.post(url, {"label": "Stupéfiants", "code": "stups", "default_review_days": "45"})
    event = Event.objects.get(action="referential.updated")
    assert event.details == {"referential": POLICIES, "fields": ["default_review_days"]}
    page = admin_client.get(url).content.decode()
    assert "Modification d’un référentiel national" in page
    # Saving without a change writes nothing.
    admin_client.post(url, {"label": "Stupéfiants", "code": "stups", "default_review_days": "45"})
    assert Event.objects.filter(action="referential.updated").count() == 1


def test_deactivating_twice_is_one_change(admin_client):
    policy = Policy.objects.create(code="stups", label="Stupéfiants")
    url = reverse("backoffice_toggle", args=[POLICIES, policy.pk])
    for _ in range(2):
        assert admin_client.post(url, {"active": "0"}).status_code == 302
    policy.refresh_from_db()
    assert not policy.is_active
    assert Event.objects.filter(action="referential.deactivated").count() == 1
    admin_client.post(url, {"active": "1"})
    policy.refresh_from_db()
    assert policy.is_active
    assert Event.objects.filter(action="referential.reactivated").count() == 1


def test_a_tribunal_needs_its_court_of_appeal(admin_client, org):
    url = reverse("backoffice_create", args=["juridictions"])
    page = admin_client.post(url, {"kind": "tj", "name": "TJ Gamma", "code": "tj-gamma"})
    assert "Choisissez la cour d’appel du tribunal." in page.content.decode()
    page = admin_client.post(
        url, {"kind": "ca", "name": "CA Delta", "code": "ca-delta", "court_of_appeal": org.ca.pk}
    )
    assert "Une cour d’appel ne relève d’aucune autre." in page.content.decode()
    assert not Jurisdiction.objects.filter(code__in=["tj-gamma", "ca-delta"]).exists()


def test_jurisdictions_cannot_be_deactivated(admin_client, org):
    url = reverse("backoffice_toggle", args=["juridictions", org.tj_alpha.pk])
    assert admin_client.post(url, {"active": "0"}).status_code == 403


def test_a_service_is_checked_by_its_own_rules(admin_client, org):
    response = admin_client.post(
        reverse("backoffice_create", args=["services"]),
        {
            "name": "Antenne de Haguenau",
            "kind": ServiceKind.SPIP_ANTENNA,
            "jurisdiction": org.tj_alpha.pk,
            "time_zone": "Europe/Paris",
            "holiday_subdivision": "",
        },
    )
    assert "Une antenne relève d’un SPIP." in response.content.decode()
    assert not Service.objects.filter(name="Antenne de Haguenau").exists()


def test_an_unknown_referential_or_entry_is_not_found(admin_client, org):
    assert admin_client.get(reverse("backoffice_list", args=["profils"])).status_code == 404
    url = reverse("backoffice_edit", args=[POLICIES, 999999])
    assert admin_client.get(url).status_code == 404


def test_the_service_list_costs_the_same_whatever_the_number_of_services(admin_client):
    response = assert_queries_do_not_grow(
        lambda: admin_client.get(reverse("backoffice_list", args=["services"])),
        lambda: [ServiceFactory(jurisdiction=TribunalFactory()) for _ in range(20)],
        at_most=8,
    )
    assert response.status_code == 200
    assert "Service n°" in response.content.decode()


RULES = "regles-de-droit"


def test_a_legal_rule_gets_a_new_dated_value_without_overlap(admin_client):
    from jalon.cases.law import rule
    from jalon.cases.models import LegalRule

    current = LegalRule.objects.filter(key="limitation.years.delit", valid_until__isnull=True).get()
    create = reverse("backoffice_create", args=[RULES])
    values = {
        "key": "limitation.years.delit",
        "label": current.label,
        "value": "7",
        "valid_from": "01/01/2031",
        "source": "Loi de test",
    }
    before = LegalRule.objects.filter(key="limitation.years.delit").count()
    page = admin_client.post(create, values).content.decode()
    assert "chevauche" in page  # the current value has no end yet
    assert LegalRule.objects.filter(key="limitation.years.delit").count() == before
    edit = reverse("backoffice_edit", args=[RULES, current.pk])
    admin_client.post(
        edit,
        {
            "key": current.key,
            "label": current.label,
            "value": str(current.value),
            "valid_from": f"{current.valid_from:%d/%m/%Y}",
            "valid_until": "31/12/2030",
            "source": current.source,
        },
    )
    assert admin_client.post(create, values).status_code == 302
    import datetime

    assert rule("limitation.years.delit", datetime.date(2030, 12, 31)) == current.value
    assert rule("limitation.years.delit", datetime.date(2031, 1, 1)) == 7
    assert Event.objects.filter(action="referential.created").exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("key", "regle.inconnue", "Cette règle n’existe pas"),
        ("value", "sept ans", "Écrivez un nombre, un texte entre guillemets"),
    ],
)
def test_a_legal_rule_form_explains_bad_input(admin_client, field, typed, message):
    values = {"key": "limitation.years.delit", "label": "Prescription", "value": "7",
              "valid_from": "01/01/2031", field: typed}  # fmt: skip
    response = admin_client.post(reverse("backoffice_create", args=[RULES]), values)
    page = response.content.decode()
    assert message in page
    assert typed in page  # what was typed is kept
