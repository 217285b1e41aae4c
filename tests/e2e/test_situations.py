"""A JAF opens a VIF situation in a real browser: the Documents and Procédures tabs are not
offered, and a message says data exists there and invites them to contact the parquet (SIS-26)."""

from __future__ import annotations

import pytest

from tests.factories import SituationFactory
from tests.situations.world import agents, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_jaf_sees_the_message_instead_of_the_documents_tab(log_in, page, org, make_agent):
    world = build_world(org)
    jaf = agents(world, make_agent)["jaf_alpha"]
    situation = SituationFactory(jurisdiction=org.tj_alpha, mec_procedure_jaf=True)
    situation.documents.create(
        title="Plainte",
        original_name="plainte.pdf",
        stored_name="0" * 32,
        content_type="application/pdf",
        size=10,
    )
    log_in(jaf.email)
    page.goto(f"/situations/{situation.pk}/")
    tabs = page.get_by_test_id("situation-tabs")
    assert tabs.get_by_role("link", name="MEC").is_visible()
    assert tabs.get_by_role("link", name="Partie JAF").is_visible()
    assert tabs.get_by_role("link", name="Documents").count() == 0
    assert tabs.get_by_role("link", name="Procédures").count() == 0
    notice = page.get_by_test_id("parquet-only-notice")
    assert "1 document" in notice.inner_text()
    assert "contactez les services du parquet" in notice.inner_text()
    page.goto(f"/situations/{situation.pk}/documents/")
    refused = page.get_by_test_id("tab-refused")
    assert "Des données y sont enregistrées : contactez les services du parquet." in (
        refused.inner_text()
    )
    assert page.get_by_text("plainte.pdf").count() == 0
