"""Who may see a judgment, the BEX's queue, the measures and the pre-filled sortie d'audience:
one table of real requests (docs/access.md, "Audience, jugement et exécution").

TJ Alpha has a greffe correctionnel, a siège pénal, a BEX, a SAP, a SPIP; TJ Beta a BEX and a
greffe; the court of appeal a siège pénal. One procedure of TJ Alpha was judged (sursis
probatoire, provisional execution: executable and handed to the SPIP at once); a second one,
under appeal, is judged with a TIG; a third one awaits its hearing (scheduled).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.cases.actions import judgments as actions
from jalon.cases.models import Appeal, ChargeDecision, Measure
from tests.cases.judgment_world import oriented_case
from tests.factories import ServiceFactory

OK, DENIED, HIDDEN, MOVED = 200, 403, 404, 302
TODAY = dt.date(2027, 7, 5)

AGENTS = {
    "greff_co": ("greff_co", "registry"),
    "juge_penal": ("juge_penal", "bench"),
    "jaf": ("jaf_tj", "bench"),
    "bex": ("bex", "bex_alpha"),
    "bex_beta": ("bex", "bex_beta"),
    "greff_co_beta": ("greff_co", "registry_beta"),
    "cpip": ("cpip", "spip_alpha"),
    "jap": ("jap", "sap_alpha"),
    "conseiller_ca": ("juge_penal", "bench_ca"),
    "parquet_general": ("parquet_general", "general_prosecution"),
}

MATRIX: dict[str, dict[str, int]] = {
    "judgment": {"greff_co": OK, "juge_penal": OK, "bex": OK},
    "judgment_under_appeal": {
        "greff_co": OK,
        "juge_penal": OK,
        "bex": OK,
        "conseiller_ca": OK,
        "parquet_general": OK,
    },
    "bex_queue": {"bex": OK, "bex_beta": OK},
    "bex_take": {"bex": MOVED},
    "measure_list": dict.fromkeys(AGENTS, OK),
    "measure": {"cpip": OK},
    # The sortie d'audience screen keeps its own gate (403); from another TJ's judgment: 404.
    "hearing_from_judgment": {
        "greff_co": OK,
        "bex": OK,
        "bex_beta": HIDDEN,
        "greff_co_beta": HIDDEN,
    },
    # The screens of the hearing and the judgment (a procedure awaiting its hearing).
    "procedure_hearing": {"greff_co": OK, "juge_penal": OK},
    "hearing_schedule": {"greff_co": OK, "juge_penal": DENIED},
    "judgment_form": {"greff_co": OK, "juge_penal": OK},
    "hearing_letter": {"greff_co": OK, "juge_penal": DENIED},
    "service_form": {"greff_co": OK, "bex": OK, "juge_penal": DENIED},
    "appeal_form": {"greff_co": OK, "bex": DENIED, "juge_penal": DENIED},
    # Under appeal: the court of appeal decides; the TJ's greffe and siège may open the form
    # (the action refuses their judgment with its reason); the parquet général reads only.
    "appeal_decision_form": {
        "conseiller_ca": OK,
        "greff_co": OK,
        "juge_penal": OK,
        "bex": DENIED,
        "parquet_general": DENIED,
    },
}
DEFAULTS = {
    "judgment": HIDDEN,
    "judgment_under_appeal": HIDDEN,
    "bex_queue": DENIED,
    "bex_take": HIDDEN,
    "measure_list": OK,
    "measure": HIDDEN,
    "hearing_from_judgment": DENIED,
    "procedure_hearing": HIDDEN,
    "hearing_schedule": HIDDEN,
    "judgment_form": HIDDEN,
    "hearing_letter": HIDDEN,
    "service_form": HIDDEN,
    "appeal_form": HIDDEN,
    "appeal_decision_form": HIDDEN,
}
CASES = [
    (action, key, MATRIX[action].get(key, DEFAULTS[action])) for action in MATRIX for key in AGENTS
]


@pytest.fixture
def world(org, make_agent, frozen_now):
    registry = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_alpha)
    first = oriented_case(org)
    second = oriented_case(org)
    services = {
        "registry": registry,
        "bench": ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha),
        "bex_beta": ServiceFactory(kind=ServiceKind.BEX, jurisdiction=org.tj_beta),
        "registry_beta": ServiceFactory(
            kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_beta
        ),
        "bench_ca": ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.ca),
        "general_prosecution": ServiceFactory(
            kind=ServiceKind.GENERAL_PROSECUTION, jurisdiction=org.ca
        ),
    }
    greffier = make_agent("greff_co", service=registry)

    def judge(case, sentence):
        return actions.record_judgment(
            agent=greffier,
            procedure=case.procedure,
            party=case.party,
            delivered_on=TODAY,
            delivery_mode="contradictoire",
            verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
            sentences=[sentence],
        )

    executed = judge(
        first,
        actions.SentenceInput(
            "probation", months=6, suspended_months=6, provisional_execution=True
        ),
    )
    appealed = judge(second, actions.SentenceInput("tig", hours=50))
    actions.record_appeal(
        agent=greffier, judgment=appealed, by=Appeal.By.DEFENDANT, lodged_on=TODAY
    )
    waiting = oriented_case(org)
    hearing = actions.schedule_hearing(
        agent=greffier,
        procedure=waiting.procedure,
        starts_at=dt.datetime(2027, 9, 14, 11, 30, tzinfo=dt.UTC),
        chamber="10e chambre",
    )
    return {
        **services,
        "waiting": waiting,
        "hearing": hearing,
        "second": second,
        "executed": executed,
        "appealed": appealed,
        "measure": Measure.objects.get(execution__judgment=executed),
    }


def url_for(action, world):
    if action == "judgment":
        return reverse("judgment", args=[world["executed"].pk])
    if action == "judgment_under_appeal":
        return reverse("judgment", args=[world["appealed"].pk])
    if action == "bex_queue":
        return reverse("bex_queue")
    if action == "bex_take":
        return reverse("bex_take", args=[world["executed"].execution.pk])
    if action == "measure_list":
        return reverse("measure_list")
    if action == "measure":
        return reverse("measure", args=[world["measure"].pk])
    waiting = world["waiting"]
    if action == "procedure_hearing":
        return reverse("procedure_hearing", args=[waiting.procedure.pk])
    if action == "hearing_schedule":
        return reverse("hearing_schedule", args=[waiting.procedure.pk])
    if action == "judgment_form":
        return reverse("judgment_record", args=[waiting.procedure.pk, waiting.party.pk])
    if action == "hearing_letter":
        return reverse(
            "hearing_letter", args=[waiting.procedure.pk, world["hearing"].pk, waiting.party.pk]
        )
    if action == "service_form":
        return reverse("judgment_service", args=[world["executed"].pk])
    if action == "appeal_form":
        return reverse("judgment_appeal", args=[world["executed"].pk])
    if action == "appeal_decision_form":
        second = world["second"]
        return reverse("judgment_record", args=[second.procedure.pk, second.party.pk])
    return f"{reverse('hearing_exit')}?jugement={world['executed'].pk}"


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_judgment_access_matrix(client, org, world, make_agent, action, key, expected):
    profile_code, where = AGENTS[key]
    service = world[where] if where in world else getattr(org, where)
    client.force_login(make_agent(profile_code, service=service))
    url = url_for(action, world)
    response = client.post(url) if action == "bex_take" else client.get(url)
    assert response.status_code == expected


def test_the_spip_sees_the_sentence_and_obligations_but_not_the_victim(
    client, org, world, make_agent
):
    client.force_login(make_agent("cpip", service=org.spip_alpha))
    page = client.get(reverse("measure", args=[world["measure"].pk])).content.decode()
    assert "Sursis probatoire" in page
    assert "VICTIME" not in page
    assert world["measure"].execution.judgment.procedure.parquet_number_display in page


def test_the_sortie_d_audience_opens_prefilled_from_the_judgment(client, org, world, make_agent):
    client.force_login(make_agent("greff_co", service=world["registry"]))
    page = client.get(f"{reverse('hearing_exit')}?jugement={world['executed'].pk}")
    html = page.content.decode()
    assert world["executed"].procedure.parquet_number_display in html
    assert "DUPONT" in html
    assert "au plus tard le 19/08/2027" in html


def test_a_convocation_after_the_art_474_delay_needs_a_confirmation(
    client, org, world, make_agent, agendas
):
    from jalon.appointments.models import Appointment
    from tests.factories import SlotFactory, appointment_type

    late = SlotFactory(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=dt.datetime(2027, 8, 25, 9, tzinfo=dt.UTC),  # after 19 August
    )
    client.force_login(make_agent("bex", service=org.bex_alpha))
    url = f"{reverse('hearing_exit')}?jugement={world['executed'].pk}"
    field = f"creneau_{late.appointment_type_id}"
    number = world["executed"].procedure.parquet_number_display
    refused = client.post(url, {"prosecution_number": number, field: late.pk})
    assert refused.status_code == 200
    assert "dépasse le délai légal" in refused.content.decode()
    assert not Appointment.objects.exists()
    confirmed = client.post(
        url, {"prosecution_number": number, field: late.pk, "confirm_late": "on"}
    )
    assert confirmed.status_code == 302
    assert (
        Appointment.objects.get().prosecution_number == world["executed"].procedure.parquet_number
    )
