"""The SISPoPP profile matrix (REQUIREMENTS §1.A.5) as tables of real HTTP requests.

Two tables. **Visibility**: every profile, at a TJ or a CA, against situations of its own
jurisdiction, of another TJ of the ressort, of another CA, with the appeal box ticked or
not, VIF or not, with the JAF boxes or not → 200 or 404. **Tabs**: on a situation each
profile sees, every tab read and every tab written → 200/302, or 403 for the JAF on
Procédures and Documents (and on every write but its own part). Then the adjustable lists
(adding, withdrawing, opening the page: SIS-18, SIS-22), the creation form, and the record's
life for every profile on a situation it sees and one it does not: closing, reopening,
correcting and deleting procedures and measures, correcting victims (302 for the parquet
profiles, 403 for the JAF, 404 out of scope), and unticking the appeal (SIS-31).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.access.models import Agent
from jalon.situations.models import JafSection, Situation, SituationEvent
from tests.factories import (
    AppointmentFactory,
    PersonFactory,
    SituationFactory,
    VictimFactory,
    appointment_type,
)
from tests.situations.world import World, agents, build_world


def _situations(world: World) -> dict[str, Situation]:
    org = world.org
    made = {
        "alpha_vif_jaf": SituationFactory(jurisdiction=org.tj_alpha, mec_procedure_jaf=True),
        "alpha_vif_op": SituationFactory(jurisdiction=org.tj_alpha),
        "alpha_vif_plain": SituationFactory(jurisdiction=org.tj_alpha),
        "alpha_other_jaf": SituationFactory(
            jurisdiction=org.tj_alpha, policy=world.other_policy, mec_procedure_jaf=True
        ),
        "alpha_appeal_jaf": SituationFactory(
            jurisdiction=org.tj_alpha, mec_procedure_jaf=True, appeal=True
        ),
        "alpha_appeal_plain": SituationFactory(jurisdiction=org.tj_alpha, appeal=True),
        "beta_vif_jaf": SituationFactory(jurisdiction=org.tj_beta, mec_procedure_jaf=True),
        "ca_vif_jaf": SituationFactory(jurisdiction=org.ca, mec_procedure_jaf=True),
        "ca_vif_plain": SituationFactory(jurisdiction=org.ca),
        "gamma_appeal_jaf": SituationFactory(
            jurisdiction=world.tj_gamma, mec_procedure_jaf=True, appeal=True
        ),
    }
    VictimFactory(situation=made["alpha_vif_op"], protection_order=True)
    VictimFactory(situation=made["alpha_vif_plain"], protection_order=False)
    return made


ALL = {
    "alpha_vif_jaf",
    "alpha_vif_op",
    "alpha_vif_plain",
    "alpha_other_jaf",
    "alpha_appeal_jaf",
    "alpha_appeal_plain",
    "beta_vif_jaf",
    "ca_vif_jaf",
    "ca_vif_plain",
    "gamma_appeal_jaf",
}
ALPHA_ALL = {s for s in ALL if s.startswith("alpha_")}
# Written by hand from the seed's matrix, not derived from the rules under test.
VISIBLE: dict[str, set[str]] = {
    # TJ parquet profiles: every situation of their TJ, appeal or not, any policy (SIS-21/22).
    "procureur_alpha": ALPHA_ALL,
    "parquet_alpha": ALPHA_ALL,
    # TJ JAF: VIF of its TJ with "Procédure JAF" or a victim's "OP" (SIS-24/25).
    "jaf_alpha": {"alpha_vif_jaf", "alpha_vif_op", "alpha_appeal_jaf"},
    # Another TJ of the same CA: nothing of Alpha (SIS-30).
    "parquet_beta": {"beta_vif_jaf"},
    # CA parquet: its own situations plus TJ appeals of its ressort (SIS-17/20/31).
    "procureur_general": {"ca_vif_jaf", "ca_vif_plain", "alpha_appeal_jaf", "alpha_appeal_plain"},
    "parquet_general": {"ca_vif_jaf", "ca_vif_plain", "alpha_appeal_jaf", "alpha_appeal_plain"},
    # CA JAF: the same, narrowed by the JAF predicate.
    "jaf_ca": {"ca_vif_jaf", "alpha_appeal_jaf"},
    # Another CA: only the appeals of its own TJs.
    "parquet_general_other": {"gamma_appeal_jaf"},
}


@pytest.fixture
def world(org: Any) -> World:
    return build_world(org)


@pytest.mark.parametrize(
    ("agent_key", "situation_key"),
    [(agent, situation) for agent in sorted(VISIBLE) for situation in sorted(ALL)],
)
def test_who_opens_which_situation(
    world, make_agent, client_for, frozen_now, agent_key, situation_key
):
    agent = agents(world, make_agent)[agent_key]
    situation = _situations(world)[situation_key]
    response = client_for(agent).get(reverse("situation_detail", args=[situation.pk]))
    assert response.status_code == (200 if situation_key in VISIBLE[agent_key] else 404)


def test_msj_agents_and_national_admins_see_no_situation(world, make_agent, client_for):
    situation = _situations(world)["alpha_vif_jaf"]
    for agent in (
        make_agent("greff_sap"),
        make_agent("prosecutor", service=world.parquet_alpha),
        make_agent("national_admin", service=world.org.national),
    ):
        client = client_for(agent)
        assert client.get(reverse("situation_detail", args=[situation.pk])).status_code == 404
        assert client.get(reverse("situation_list")).status_code == 403


# --- Tabs ---------------------------------------------------------------------------------

READ_TABS = ["mec", "victimes", "procedures", "documents", "mesures", "jaf", "evenements", "revues"]
WRITES: dict[str, dict[str, str]] = {
    "victimes": {"last_name": "Durand", "first_names": "Léa"},
    "procedures": {"nature": "penal", "reference": "24/123/45"},
    "mesures": {"label": "Interdiction de contact"},
    "jaf": {"decisions": "Ordonnance de protection délivrée"},
    "evenements": {"occurred_on": "05/07/2027", "text": "Plainte pour menaces"},
    "revues": {"held_on": "05/07/2027", "participants": "Parquet, SPIP"},
    "general": {"policy": "", "summary": "Mis à jour"},
    "documents": {"title": "Plainte"},
}
PARQUET_WRITES = set(WRITES)
JAF_WRITES = {"jaf"}
# (agent, situation it sees, tabs it reads, writes it makes)
TAB_CASES = [
    ("parquet_alpha", "alpha_vif_jaf", set(READ_TABS), PARQUET_WRITES),
    ("procureur_general", "alpha_appeal_jaf", set(READ_TABS), PARQUET_WRITES),
    ("parquet_general", "ca_vif_jaf", set(READ_TABS), PARQUET_WRITES),
    ("jaf_alpha", "alpha_vif_op", set(READ_TABS) - {"procedures", "documents"}, JAF_WRITES),
    ("jaf_ca", "alpha_appeal_jaf", set(READ_TABS) - {"procedures", "documents"}, JAF_WRITES),
]


@pytest.mark.parametrize(
    ("agent_key", "situation_key", "tab", "expected"),
    [
        (agent, situation, tab, 200 if tab in reads else 403)
        for agent, situation, reads, _ in TAB_CASES
        for tab in READ_TABS
    ],
)
def test_reading_tabs(
    world, make_agent, client_for, frozen_now, agent_key, situation_key, tab, expected
):
    agent = agents(world, make_agent)[agent_key]
    situation = _situations(world)[situation_key]
    response = client_for(agent).get(reverse("situation_tab", args=[situation.pk, tab]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("agent_key", "situation_key", "write", "allowed"),
    [
        (agent, situation, write, write in writes)
        for agent, situation, _, writes in TAB_CASES
        for write in WRITES
    ],
)
def test_writing(
    world,
    make_agent,
    client_for,
    frozen_now,
    settings,
    tmp_path,
    agent_key,
    situation_key,
    write,
    allowed,
):
    settings.MEDIA_ROOT = tmp_path
    agent: Agent = agents(world, make_agent)[agent_key]
    situation = _situations(world)[situation_key]
    data: dict[str, Any] = dict(WRITES[write])
    if write == "documents":
        data["file"] = SimpleUploadedFile("plainte.pdf", b"%PDF-1.7\n%%EOF\n")
    if write == "general":
        data["policy"] = str(situation.policy_id)
        url = reverse("situation_edit", args=[situation.pk])
    else:
        url = reverse("situation_tab", args=[situation.pk, write])
    response = client_for(agent).post(url, data)
    assert response.status_code == (302 if allowed else 403)
    situation.refresh_from_db()
    written = {
        "victimes": situation.victims.filter(last_name="Durand").exists(),
        "procedures": situation.procedures.exists(),
        "mesures": situation.measures.exists(),
        "jaf": JafSection.objects.filter(situation=situation).exists(),
        "evenements": SituationEvent.objects.filter(situation=situation).exists(),
        "revues": situation.reviews.exists(),
        "general": situation.summary == "Mis à jour",
        "documents": situation.documents.exists(),
    }[write]
    assert written is allowed


def test_a_court_of_appeal_edit_is_the_tj_record(world, make_agent, client_for, frozen_now):
    """SIS-33: one record; what the CA writes, the TJ reads."""
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_appeal_jaf"]
    client = client_for(people["parquet_general"])
    client.post(
        reverse("situation_tab", args=[situation.pk, "evenements"]),
        {"occurred_on": "05/07/2027", "text": "Arrêt de la cour : confirmation"},
    )
    client.logout()
    page = client_for(people["parquet_alpha"]).get(
        reverse("situation_tab", args=[situation.pk, "evenements"])
    )
    assert "Arrêt de la cour : confirmation" in page.content.decode()


def test_unticking_appeal_removes_court_of_appeal_access(world, make_agent, client_for, frozen_now):
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_appeal_jaf"]
    url = reverse("situation_detail", args=[situation.pk])
    assert client_for(people["parquet_general"]).get(url).status_code == 200
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_edit", args=[situation.pk]),
        {"policy": str(situation.policy_id), "mec_procedure_jaf": "on", "appeal": ""},
    )
    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.appeal is False
    for key in ("parquet_general", "procureur_general", "jaf_ca"):
        assert client_for(people[key]).get(url).status_code == 404


def test_the_court_of_appeal_cannot_untick_the_appeal_box(
    world, make_agent, client_for, frozen_now
):
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_appeal_jaf"]
    client_for(people["parquet_general"]).post(
        reverse("situation_edit", args=[situation.pk]),
        {"policy": str(situation.policy_id), "mec_procedure_jaf": "on", "appeal": ""},
    )
    situation.refresh_from_db()
    assert situation.appeal is True


def test_appeal_records_carry_an_a_and_the_tj_name_at_the_court(
    world, make_agent, client_for, frozen_now
):
    people = agents(world, make_agent)
    situations = _situations(world)
    page = client_for(people["parquet_general"]).get(reverse("situation_list")).content.decode()
    assert 'title="Appel en cours — TJ Alpha"' in page
    detail = client_for(people["parquet_general"]).get(
        reverse("situation_detail", args=[situations["alpha_appeal_jaf"].pk])
    )
    assert 'data-testid="appeal-marker"' in detail.content.decode()
    own = client_for(people["parquet_alpha"]).get(
        reverse("situation_detail", args=[situations["alpha_appeal_jaf"].pk])
    )
    assert 'data-testid="appeal-marker"' not in own.content.decode()


def test_the_jaf_reads_a_message_instead_of_procedures_with_data(
    world, make_agent, client_for, frozen_now
):
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_vif_jaf"]
    situation.procedures.create(nature="penal", reference="24/999/01")
    client = client_for(people["jaf_alpha"])
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert "contactez les services du parquet" in page
    assert "24/999/01" not in page
    refused = client.get(reverse("situation_tab", args=[situation.pk, "procedures"]))
    assert refused.status_code == 403
    assert "Des données y sont enregistrées" in refused.content.decode()
    assert "24/999/01" not in refused.content.decode()


def test_the_jaf_sees_no_message_when_those_tabs_are_empty(
    world, make_agent, client_for, frozen_now
):
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_vif_jaf"]
    page = client_for(people["jaf_alpha"]).get(reverse("situation_detail", args=[situation.pk]))
    assert 'data-testid="parquet-only-notice"' not in page.content.decode()


# --- Adjustable lists (SIS-18, SIS-22) -------------------------------------------------------

LIST_RIGHTS = {
    # cabinets JE/JAP/JI and instances: heads of parquet; instances only: parquet (TJ);
    # nothing: parquet général, JAF (the seed gives them no list right).
    "procureur_alpha": {"cabinet_je", "cabinet_jap", "cabinet_ji", "instance"},
    "procureur_general": {"cabinet_je", "cabinet_jap", "cabinet_ji", "instance"},
    "parquet_alpha": {"instance"},
    "parquet_general": set(),
    "jaf_alpha": set(),
    "jaf_ca": set(),
}


@pytest.mark.parametrize(
    ("agent_key", "kind", "allowed"),
    [
        (agent, kind, kind in kinds)
        for agent, kinds in LIST_RIGHTS.items()
        for kind in ("cabinet_je", "cabinet_jap", "cabinet_ji", "instance")
    ],
)
def test_who_edits_which_adjustable_list(world, make_agent, client_for, agent_key, kind, allowed):
    from jalon.situations.models import ListEntry

    agent = agents(world, make_agent)[agent_key]
    response = client_for(agent).post(
        reverse("situation_list_edit", args=[kind]), {f"{kind}-name": "Cabinet 1"}
    )
    assert response.status_code == (302 if allowed else 403)
    created = ListEntry.objects.filter(kind=kind, name="Cabinet 1")
    assert created.exists() is allowed
    if allowed:
        assert created.get().jurisdiction == agent.service.jurisdiction


def test_listing_pages_follow_the_list_rights(world, make_agent, client_for):
    """Only the profiles with a list right open the page of adjustable lists."""
    people = agents(world, make_agent)
    for key, kinds in LIST_RIGHTS.items():
        response = client_for(people[key]).get(reverse("situation_lists"))
        assert response.status_code == (200 if kinds else 403), key


@pytest.mark.parametrize(
    ("agent_key", "kind", "allowed"),
    [
        (agent, kind, kind in kinds)
        for agent, kinds in LIST_RIGHTS.items()
        for kind in ("cabinet_je", "cabinet_jap", "cabinet_ji", "instance")
    ],
)
def test_who_withdraws_an_entry_of_which_adjustable_list(
    world, make_agent, client_for, agent_key, kind, allowed
):
    from jalon.situations.models import ListEntry

    agent = agents(world, make_agent)[agent_key]
    entry = ListEntry.objects.create(
        jurisdiction=agent.service.jurisdiction, kind=kind, name="À retirer"
    )
    response = client_for(agent).post(
        reverse("situation_list_edit", args=[kind]), {"entry": str(entry.pk), "active": "0"}
    )
    assert response.status_code == (302 if allowed else 403)
    entry.refresh_from_db()
    assert entry.is_active is not allowed


@pytest.mark.parametrize("agent_key", ["procureur_alpha", "procureur_general", "parquet_alpha"])
def test_another_jurisdictions_list_entry_is_not_found(world, make_agent, client_for, agent_key):
    from jalon.situations.models import ListEntry

    entry = ListEntry.objects.create(jurisdiction=world.tj_gamma, kind="instance", name="Autre")
    agent = agents(world, make_agent)[agent_key]
    response = client_for(agent).post(
        reverse("situation_list_edit", args=["instance"]), {"entry": str(entry.pk), "active": "0"}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.is_active is True


# --- Creation, closing, and the correction of parts, for every profile -------------------------

CREATES = {
    "procureur_alpha": True,
    "parquet_alpha": True,
    "jaf_alpha": False,
    "parquet_beta": True,
    "procureur_general": True,
    "parquet_general": True,
    "jaf_ca": False,
    "parquet_general_other": True,
}


@pytest.mark.parametrize(("agent_key", "allowed"), sorted(CREATES.items()))
def test_who_opens_the_creation_form(world, make_agent, client_for, agent_key, allowed):
    agent = agents(world, make_agent)[agent_key]
    response = client_for(agent).get(reverse("situation_create"))
    assert response.status_code == (200 if allowed else 403)


# (agent, a situation it sees, a situation it does not see); the appeal record is closed and
# corrected by the court of appeal in place (SIS-33), the JAF writes only its part (SIS-23).
RECORD_CASES = {
    "procureur_alpha": ("alpha_vif_jaf", "beta_vif_jaf"),
    "parquet_alpha": ("alpha_appeal_jaf", "beta_vif_jaf"),
    "jaf_alpha": ("alpha_vif_op", "alpha_vif_plain"),
    "parquet_beta": ("beta_vif_jaf", "alpha_vif_jaf"),
    "procureur_general": ("alpha_appeal_jaf", "gamma_appeal_jaf"),
    "parquet_general": ("ca_vif_jaf", "alpha_vif_jaf"),
    "jaf_ca": ("alpha_appeal_jaf", "ca_vif_plain"),
    "parquet_general_other": ("gamma_appeal_jaf", "alpha_appeal_jaf"),
}
WRITERS = {key for key in RECORD_CASES if not key.startswith("jaf")}
RECORD_WRITES = [
    "close",
    "reopen",
    "procedure_edit",
    "procedure_delete",
    "measure_edit",
    "measure_delete",
    "victim_edit",
]


def _record_write(situation: Situation, write: str) -> tuple[str, dict[str, str]]:
    """The URL and data of ``write`` on ``situation`` (its parts made here)."""
    import datetime

    if write == "close":
        return reverse("situation_close", args=[situation.pk]), {
            "closed_on": "05/07/2027",
            "reason": "Fin du suivi",
        }
    if write == "reopen":
        Situation.objects.filter(pk=situation.pk).update(closed_on=datetime.date(2027, 7, 1))
        return reverse("situation_reopen", args=[situation.pk]), {"reason": "Fait nouveau"}
    if write.startswith("procedure"):
        part = situation.procedures.create(nature="penal", reference="24/1/1")
        data = {"nature": "civil", "reference": "RG 27/42"}
    elif write.startswith("measure"):
        part = situation.measures.create(label="Interdiction de contact")
        data = {"label": "Interdiction de paraître"}
    else:
        part = VictimFactory(situation=situation, last_name="Martin")
        return reverse("situation_victim_edit", args=[situation.pk, part.pk]), {
            "last_name": "Bernard",
            "first_names": "Alice",
            "protection_order": "on",
        }
    name = write.split("_")[0]
    action = "edit" if write.endswith("edit") else "delete"
    return reverse(f"situation_{name}_{action}", args=[situation.pk, part.pk]), data


def _record_written(situation: Situation, write: str) -> bool:
    situation.refresh_from_db()
    return {
        "close": situation.closed_on is not None,
        "reopen": situation.closed_on is None,
        "procedure_edit": situation.procedures.filter(reference="RG 27/42").exists(),
        "procedure_delete": not situation.procedures.exists(),
        "measure_edit": situation.measures.filter(label="Interdiction de paraître").exists(),
        "measure_delete": not situation.measures.exists(),
        "victim_edit": situation.victims.filter(last_name="Bernard").exists(),
    }[write]


@pytest.mark.parametrize(
    ("agent_key", "write", "visible"),
    [
        (agent, write, visible)
        for agent in sorted(RECORD_CASES)
        for write in RECORD_WRITES
        for visible in (True, False)
    ],
)
def test_who_closes_reopens_and_corrects_parts(
    world, make_agent, client_for, frozen_now, agent_key, write, visible
):
    """Writers of the record: 302 and done; the JAF: 403 and nothing; out of scope: 404."""
    agent = agents(world, make_agent)[agent_key]
    seen, unseen = RECORD_CASES[agent_key]
    situation = _situations(world)[seen if visible else unseen]
    url, data = _record_write(situation, write)
    response = client_for(agent).post(url, data)
    expected = (302 if agent_key in WRITERS else 403) if visible else 404
    assert response.status_code == expected
    assert _record_written(situation, write) is (expected == 302)


def test_after_unticking_the_appeal_the_court_writes_nothing(
    world, make_agent, client_for, frozen_now
):
    """SIS-31: unticking removes every CA right on the record, writes included."""
    people = agents(world, make_agent)
    situation = _situations(world)["alpha_appeal_jaf"]
    procedure = situation.procedures.create(nature="penal", reference="24/1/1")
    client_for(people["parquet_alpha"]).post(
        reverse("situation_edit", args=[situation.pk]),
        {"policy": str(situation.policy_id), "mec_procedure_jaf": "on", "appeal": ""},
    )
    court = client_for(people["parquet_general"])
    listing = court.get(reverse("situation_list"), {"etat": "toutes"})
    assert situation.pk not in [row[0].pk for row in listing.context["rows"]]
    for url, data in [
        (
            reverse("situation_close", args=[situation.pk]),
            {"closed_on": "05/07/2027", "reason": "x"},
        ),
        (
            reverse("situation_procedure_edit", args=[situation.pk, procedure.pk]),
            {"nature": "civil", "reference": "RG 27/42"},
        ),
        (reverse("situation_procedure_delete", args=[situation.pk, procedure.pk]), {}),
        (
            reverse("situation_tab", args=[situation.pk, "evenements"]),
            {
                "occurred_on": "05/07/2027",
                "text": "Arrêt",
            },
        ),
    ]:
        assert court.post(url, data).status_code == 404
    situation.refresh_from_db()
    assert situation.closed_on is None
    assert situation.procedures.get().reference == "24/1/1"
    assert not situation.events.exists()


# --- A situation's MEC link opens no MSJ data (MSJ-41) -----------------------------------

# Who opens what of a person followed only in ressort Beta, once the parquet of Alpha has made
# them the MEC of one of its situations (the national duplicate check offered them). Written
# by hand: the MSJ agents and the parquet of Alpha see nothing of Beta's file; the parquet
# reads the MEC's identity on its own situation record; Beta keeps everything.
MEC_ELSEWHERE = {
    # agent: (person page, convocation, paper convocation)
    "greffier_sap_alpha": (404, 404, 404),
    "cpip_spip_alpha": (404, 404, 404),
    "agent_bex_alpha": (404, 404, 404),
    "parquet_alpha": (404, 404, 404),
    "greffier_sap_beta": (200, 200, 200),
}


@pytest.fixture
def mec_of_beta(world, make_agent, client_for, agendas, frozen_now) -> dict[str, Any]:
    org = world.org
    person = PersonFactory(
        last_name="LEFEBVRE",
        first_names="Marc",
        birth_date=datetime.date(1985, 3, 12),
        followed_by=[org.sap_beta],
    )
    convocation = AppointmentFactory(
        person=person,
        agenda=agendas.sap_beta,
        appointment_type=appointment_type("jap_follow_up"),
        starts_at=frozen_now + datetime.timedelta(days=3),
    )
    parquet = agents(world, make_agent)["parquet_alpha"]
    created = client_for(parquet).post(
        reverse("situation_create"),
        {
            "mec-last_name": "Lefebvre",
            "mec-first_names": "Marc",
            "mec-birth_date": "12/03/1985",
            "mec-phone": "",
            "mec-appi_number": "",
            "policy": str(world.other_policy.pk),
            "summary": "Signalement",
            "next_review_on": "",
            "mec_person": str(person.pk),
        },
    )
    assert created.status_code == 302
    return {
        "person": person,
        "convocation": convocation,
        "situation": Situation.objects.get(mec=person),
        "agents": {
            "greffier_sap_alpha": make_agent("greff_sap", service=org.sap_alpha),
            "cpip_spip_alpha": make_agent("cpip", service=org.spip_alpha),
            "agent_bex_alpha": make_agent("bex", service=org.bex_alpha),
            "parquet_alpha": parquet,
            "greffier_sap_beta": make_agent("greff_sap", service=org.sap_beta),
        },
    }


def test_linking_a_mec_of_another_ressort_makes_no_service_follow_them(world, mec_of_beta):
    person = mec_of_beta["person"]
    assert list(person.follows.values_list("service", flat=True)) == [world.org.sap_beta.pk]


@pytest.mark.parametrize(("agent_key", "expected"), sorted(MEC_ELSEWHERE.items()))
def test_a_mec_of_another_ressort_stays_out_of_reach(mec_of_beta, client_for, agent_key, expected):
    client = client_for(mec_of_beta["agents"][agent_key])
    person, convocation = mec_of_beta["person"], mec_of_beta["convocation"]
    got = (
        client.get(reverse("person_detail", args=[person.pk])).status_code,
        client.get(reverse("appointment_detail", args=[convocation.pk])).status_code,
        client.get(reverse("appointment_letter", args=[convocation.pk])).status_code,
    )
    assert got == expected
    found = client.get(reverse("person_list"), {"q": "lefebvre"})
    listed = [p.pk for p in found.context["page"]] if found.context["page"] else []
    assert (person.pk in listed) == (expected[0] == 200)


def test_the_parquet_reads_the_mec_identity_on_its_situation_only(mec_of_beta, client_for):
    client = client_for(mec_of_beta["agents"]["parquet_alpha"])
    record = client.get(reverse("situation_detail", args=[mec_of_beta["situation"].pk]))
    page = record.content.decode()
    assert record.status_code == 200
    assert "LEFEBVRE" in page
    assert mec_of_beta["convocation"].agenda.place.name not in page
