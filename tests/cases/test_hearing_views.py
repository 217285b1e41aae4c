"""The hearing and judgment screens (jalon/cases/hearing_views.py), as real requests.

The clock is frozen on Monday 5 July 2027, 10:00 in Paris (``frozen_now``).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jalon.access.roles import ServiceKind
from jalon.cases.actions import judgments as actions
from jalon.cases.models import (
    Acknowledgement,
    Appeal,
    ChargeDecision,
    Hearing,
    Judgment,
    Sentence,
    Stage,
)
from jalon.history.actions import PERSON_READ
from jalon.history.models import Event
from tests.cases.judgment_world import oriented_case
from tests.factories import ServiceFactory
from tests.pdf import accessibility_failures

TODAY = dt.date(2027, 7, 5)
GUILTY, RELAXE = ChargeDecision.Verdict.GUILTY, ChargeDecision.Verdict.ACQUITTED

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def case(org):
    return oriented_case(org)


@pytest.fixture
def greffier(case, make_agent):
    return make_agent("greff_co", service=case.registry)


@pytest.fixture
def as_greffier(client, greffier):
    client.force_login(greffier)
    return client


def judgment_data(case, **extra):
    data = {
        "delivered_on": "05/07/2027",
        "delivery_mode": "contradictoire",
        **{f"verdict_{charge.pk}": GUILTY for charge in case.charges},
    }
    data.update(extra)
    return data


PROBATION_ROW = {
    "peine1-kind": "probation",
    "peine1-months": "8",
    "peine1-probation_months": "24",
    "peine1-obligations": "Soins\nIndemniser la victime",
}


def html(response):
    return response.content.decode()


# --- Scheduling a hearing ------------------------------------------------------------------


def test_the_greffe_schedules_a_hearing_and_the_procedure_is_audiencee(case, as_greffier):
    url = reverse("hearing_schedule", args=[case.procedure.pk])
    assert as_greffier.get(url).status_code == 200
    data = {
        "court_kind": "correctional",
        "chamber": "10e chambre",
        "day": "14/09/2027",
        "time": "13h30",
    }
    response = as_greffier.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("procedure_hearing", args=[case.procedure.pk])
    hearing = Hearing.objects.get(procedure=case.procedure)
    assert hearing.chamber == "10e chambre"
    assert hearing.starts_at == dt.datetime(2027, 9, 14, 11, 30, tzinfo=dt.UTC)
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.AWAITING_HEARING
    # A double click schedules one hearing.
    assert as_greffier.post(url, data).status_code == 302
    assert Hearing.objects.filter(procedure=case.procedure).count() == 1
    page = html(as_greffier.get(reverse("procedure_hearing", args=[case.procedure.pk])))
    assert "10e chambre" in page and "14/09/2027 à 13 h 30" in page


def test_a_hearing_in_the_past_or_badly_typed_is_refused_keeping_what_was_typed(case, as_greffier):
    url = reverse("hearing_schedule", args=[case.procedure.pk])
    past = as_greffier.post(
        url,
        {"court_kind": "correctional", "chamber": "3e chambre", "day": "01/07/2027", "time": "9"},
    )
    assert past.status_code == 200
    assert "La date d’audience est passée" in html(past)
    assert 'value="3e chambre"' in html(past)
    bad = as_greffier.post(
        url, {"court_kind": "correctional", "chamber": "", "day": "32/13/2027", "time": "25h"}
    )
    page = html(bad)
    assert "Indiquez la chambre qui tiendra l’audience." in page
    assert "Le mois 13 n’existe pas" in page
    assert "Saisissez l’heure au format HH:MM" in page
    assert not Hearing.objects.exists()


def test_the_form_tells_a_hearing_to_come_from_one_that_took_place(case, as_greffier):
    url = reverse("hearing_schedule", args=[case.procedure.pk])
    form = html(as_greffier.get(url))
    assert "Audience à venir" in form and "Audience qui s’est tenue" in form
    data = {
        "moment": "tenue",
        "court_kind": "correctional",
        "chamber": "3e chambre",
        "day": "01/07/2027",
        "time": "13h30",
    }
    response = as_greffier.post(url, data)
    assert response.status_code == 302
    hearing = Hearing.objects.get(procedure=case.procedure)
    assert hearing.starts_at == dt.datetime(2027, 7, 1, 11, 30, tzinfo=dt.UTC)
    assert Event.objects.for_object(case.procedure).filter(action=actions.HEARING_HELD).exists()
    page = html(as_greffier.get(reverse("procedure_hearing", args=[case.procedure.pk])))
    assert "s’est tenue le 01/07/2027 à 13 h 30" in page
    # No hearing convocation letter for a hearing that took place.
    assert (
        reverse("hearing_letter", args=[case.procedure.pk, hearing.pk, case.party.pk]) not in page
    )
    # The judgment form offers it; the judgment is recorded on it.
    judgment = as_greffier.post(
        reverse("judgment_record", args=[case.procedure.pk, case.party.pk]),
        judgment_data(case, hearing=hearing.pk),
    )
    assert judgment.status_code == 302
    assert Judgment.objects.get().hearing == hearing


def test_a_held_hearing_in_the_future_is_refused_keeping_what_was_typed(case, as_greffier):
    url = reverse("hearing_schedule", args=[case.procedure.pk])
    data = {
        "moment": "tenue",
        "court_kind": "correctional",
        "chamber": "3e chambre",
        "day": "14/09/2027",
        "time": "9",
    }
    response = as_greffier.post(url, data)
    page = html(response)
    assert response.status_code == 200
    assert "Une audience qui s’est tenue ne peut pas être dans le futur" in page
    assert 'value="3e chambre"' in page and 'value="tenue" checked' in page
    assert not Hearing.objects.exists()


def test_the_siege_may_not_schedule_and_another_tj_does_not_see_the_procedure(
    case, client, make_agent, org
):
    url = reverse("hearing_schedule", args=[case.procedure.pk])
    bench = ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha)
    client.force_login(make_agent("juge_penal", service=bench))
    assert client.get(url).status_code == 403
    beta = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_beta)
    client.force_login(make_agent("greff_co", service=beta))
    assert client.get(url).status_code == 404
    assert client.post(url, {"chamber": "x", "day": "14/09/2027", "time": "9"}).status_code == 404
    assert not Hearing.objects.exists()


# --- Recording a judgment ------------------------------------------------------------------


def test_a_judgment_at_the_hearing_goes_on_to_the_prefilled_sortie_d_audience(case, as_greffier):
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    form = html(as_greffier.get(url))
    assert "NATINF" in form and 'value="05/07/2027"' in form
    response = as_greffier.post(url, {**judgment_data(case), **PROBATION_ROW})
    judgment = Judgment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('hearing_exit')}?jugement={judgment.pk}"
    sentence = Sentence.objects.get()
    assert (sentence.kind, sentence.months, sentence.suspended_months) == ("probation", 8, 8)
    assert sentence.obligations == ["Soins", "Indemniser la victime"]
    assert judgment.execution.spip_by == dt.date(2027, 8, 19)
    prefilled = html(as_greffier.get(response["Location"]))
    assert case.procedure.parquet_number_display in prefilled and "DUPONT" in prefilled


def test_a_double_click_records_one_judgment(case, as_greffier):
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    data = {**judgment_data(case), **PROBATION_ROW}
    first, second = as_greffier.post(url, data), as_greffier.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Judgment.objects.count() == 1 and Sentence.objects.count() == 1


def test_a_judgment_without_a_convocation_to_give_opens_the_judgment_page(case, as_greffier):
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    data = judgment_data(
        case,
        delivery_mode="par_defaut",
        **{"peine1-kind": "fine", "peine1-amount_euros": "300,50"},
    )
    response = as_greffier.post(url, data)
    judgment = Judgment.objects.get()
    assert response["Location"] == reverse("judgment", args=[judgment.pk])
    assert judgment.sentences.get().amount_euros == pytest.approx(300.5)


def test_the_siege_records_a_judgment_and_lands_on_its_page(case, client, make_agent, org):
    bench = ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha)
    client.force_login(make_agent("juge_penal", service=bench))
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    response = client.post(url, {**judgment_data(case), **PROBATION_ROW})
    judgment = Judgment.objects.get()
    # The siège does not book convocations: the judgment's page, with its deadlines.
    assert response["Location"] == reverse("judgment", args=[judgment.pk])


def test_bad_input_is_refused_in_french_keeping_what_was_typed(case, as_greffier):
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    data = judgment_data(case, delivered_on="06/07/2027")
    del data[f"verdict_{case.charges[0].pk}"]
    data.update({"peine1-kind": "tig", "peine1-obligations": "Stage de citoyenneté"})
    data.update({"peine2-kind": "", "peine2-months": "6"})
    response = as_greffier.post(url, data)
    page = html(response)
    assert response.status_code == 200
    assert "Indiquez « coupable » ou « relaxe » pour cette infraction." in page
    assert "Indiquez le nombre d’heures de TIG." in page
    assert "Choisissez la peine à laquelle ces précisions se rapportent." in page
    assert "Stage de citoyenneté" in page and 'value="6"' in page
    assert not Judgment.objects.exists()
    # The form is right now, but the date is tomorrow: the action refuses it.
    data[f"verdict_{case.charges[0].pk}"] = GUILTY
    data.update({"peine1-hours": "120", "peine2-months": ""})
    future = html(as_greffier.post(url, data))
    assert "Le jugement ne peut pas être daté du 06/07/2027" in future
    assert 'value="120"' in future and 'value="06/07/2027"' in future
    assert not Judgment.objects.exists() and not Sentence.objects.exists()


def test_imprisonment_for_a_contravention_is_refused_and_nothing_is_saved(org, client, make_agent):
    case = oriented_case(org, kinds=("contravention",))
    client.force_login(make_agent("greff_co", service=case.registry))
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    response = client.post(
        url, judgment_data(case, **{"peine1-kind": "prison", "peine1-months": "2"})
    )
    assert "ne peut pas être prononcé pour une contravention" in html(response)
    assert not Judgment.objects.exists() and not Sentence.objects.exists()


def test_a_warning_is_shown_with_a_checkbox_and_saved_once_acknowledged(org, client, make_agent):
    case = oriented_case(org, kinds=("contravention",))
    client.force_login(make_agent("greff_co", service=case.registry))
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    data = judgment_data(case, **{"peine1-kind": "tig", "peine1-hours": "40"})
    warned = html(client.post(url, data))
    assert 'name="acknowledge"' in warned and "vérifiez le texte" in warned
    assert 'value="40"' in warned
    assert not Judgment.objects.exists()
    saved = client.post(url, {**data, "acknowledge": "sentence_doubtful_for_contravention"})
    assert saved.status_code == 302
    assert Acknowledgement.objects.get().judgment == Judgment.objects.get()


def test_a_judgment_on_a_procedure_under_appeal_is_refused_at_first_instance(
    case, as_greffier, greffier
):
    first = actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: GUILTY for c in case.charges},
    )
    actions.record_appeal(agent=greffier, judgment=first, by=Appeal.By.DEFENDANT, lodged_on=TODAY)
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    page = html(as_greffier.post(url, judgment_data(case, delivered_on="04/07/2027")))
    assert "Cette procédure est en appel : seule la cour d’appel peut statuer" in page
    assert Judgment.objects.count() == 1


def test_the_court_of_appeal_records_the_decision_that_replaces_the_first(
    case, greffier, client, make_agent, org
):
    first = actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: GUILTY for c in case.charges},
    )
    actions.record_appeal(agent=greffier, judgment=first, by=Appeal.By.DEFENDANT, lodged_on=TODAY)
    bench_ca = ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.ca)
    client.force_login(make_agent("juge_penal", service=bench_ca))
    url = reverse("judgment_record", args=[case.procedure.pk, case.party.pk])
    assert "Décision de la cour d’appel" in html(client.get(url))
    response = client.post(url, judgment_data(case, **{f"verdict_{case.charges[0].pk}": RELAXE}))
    assert response.status_code == 302
    decision = Judgment.objects.get(replaces=first)
    assert decision.decisions.get().verdict == RELAXE


def test_a_victim_has_no_judgment_form(case, as_greffier):
    url = reverse("judgment_record", args=[case.procedure.pk, case.victim.pk])
    assert as_greffier.get(url).status_code == 404


# --- Service and appeal --------------------------------------------------------------------


@pytest.fixture
def by_default(case, greffier):
    return actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=dt.date(2027, 6, 30),
        delivery_mode="par_defaut",
        verdicts={c.pk: GUILTY for c in case.charges},
        sentences=[actions.SentenceInput("fine", amount_euros=300)],
    )


def test_the_service_of_a_judgment_by_default_starts_its_appeal_delay(by_default, as_greffier):
    url = reverse("judgment_service", args=[by_default.pk])
    refused = html(as_greffier.post(url, {"served_on": "29/06/2027"}))
    assert "ne peut pas précéder le jugement" in refused and 'value="29/06/2027"' in refused
    by_default.refresh_from_db()
    assert by_default.served_on is None
    assert as_greffier.post(url, {"served_on": "02/07/2027"}).status_code == 302
    assert as_greffier.post(url, {"served_on": "02/07/2027"}).status_code == 302
    by_default.refresh_from_db()
    assert by_default.served_on == dt.date(2027, 7, 2)
    assert by_default.execution.appeal_last_day == dt.date(2027, 7, 12)
    assert Event.objects.filter(action=actions.JUDGMENT_SERVED).count() == 1


def test_an_appeal_is_recorded_once_and_bad_input_is_refused(by_default, as_greffier):
    url = reverse("judgment_appeal", args=[by_default.pk])
    missing = html(as_greffier.post(url, {"lodged_on": "01/07/2027"}))
    assert "Indiquez qui fait appel." in missing and 'value="01/07/2027"' in missing
    future = html(as_greffier.post(url, {"by": "defendant", "lodged_on": "08/07/2027"}))
    assert "L’appel ne peut pas dater du 08/07/2027" in future
    assert not Appeal.objects.exists()
    data = {"by": "prosecutor", "lodged_on": "01/07/2027"}
    assert as_greffier.post(url, data).status_code == 302
    assert as_greffier.post(url, data).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.by == "prosecutor" and appeal.suspends
    by_default.procedure.refresh_from_db()
    assert by_default.procedure.stage == Stage.UNDER_APPEAL


def test_the_bex_records_a_service_but_not_an_appeal(by_default, client, make_agent, org):
    client.force_login(make_agent("bex", service=org.bex_alpha))
    assert client.get(reverse("judgment_service", args=[by_default.pk])).status_code == 200
    assert client.get(reverse("judgment_appeal", args=[by_default.pk])).status_code == 403


# --- The hearing convocation letter --------------------------------------------------------


def test_the_hearing_letter_is_a_pdf_and_opening_it_is_a_read_of_the_file(
    case, greffier, as_greffier
):
    hearing = actions.schedule_hearing(
        agent=greffier,
        procedure=case.procedure,
        starts_at=dt.datetime(2027, 9, 14, 11, 30, tzinfo=dt.UTC),
        chamber="10e chambre",
    )
    url = reverse("hearing_letter", args=[case.procedure.pk, hearing.pk, case.party.pk])
    response = as_greffier.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "Convocation à l’audience" in text
    assert "mardi 14 septembre 2027 à 13 h 30" in text
    assert "10e chambre" in text and "DUPONT" in text
    assert case.procedure.parquet_number_display in text
    assert case.charges[0].qualification_text in text
    reads = Event.objects.for_object(case.party.person).filter(action=PERSON_READ)
    assert reads.filter(details__read="hearing_letter").exists()
    assert Event.objects.filter(action="procedure.hearing_letter_printed").count() == 1
    # A tagged PDF in Marianne, saying what happens if the defendant does not come.
    assert accessibility_failures(response.content) == []
    assert "jugé(e) en votre absence" in text
    assert "article 410 du code de procédure pénale" in text
    # The victim gets no defendant's convocation.
    victim = reverse("hearing_letter", args=[case.procedure.pk, hearing.pk, case.victim.pk])
    assert as_greffier.get(victim).status_code == 404
