"""A sortie d'audience convocation booked from a judgment executes a measure (issue 14,
point 8): linked when booked (the measure exists already) or when the judgment becomes
executable; shown on the convocation and on the measure; offered only for sentences the SAP
or the SPIP follow; after the art. 474 deadline only when confirmed.

The clock is frozen on Monday 5 July 2027, 10:00 in Paris (``frozen_now``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalon.appointments import actions
from jalon.appointments.models import Appointment
from jalon.cases.actions import judgments as judgment_actions
from jalon.cases.models import ChargeDecision, Measure
from jalon.history.models import Event
from tests.cases.judgment_world import oriented_case
from tests.factories import SlotFactory, appointment_type

TODAY = dt.date(2027, 7, 5)
S = judgment_actions.SentenceInput
PROBATION = S("probation", months=6, suspended_months=6, probation_months=18)

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def case(org):
    return oriented_case(org)


@pytest.fixture
def greffier(case, make_agent):
    return make_agent("greff_co", service=case.registry)


@pytest.fixture
def bex(org, make_agent):
    return make_agent("bex", service=org.bex_alpha)


@pytest.fixture
def spip_slot(agendas):
    return SlotFactory(
        agenda=agendas.spip_alpha, appointment_type=appointment_type("sortie_audience_spip")
    )


@pytest.fixture
def sap_slot(agendas):
    return SlotFactory(agenda=agendas.sap_alpha)


def judge(case, agent, *sentences):
    return judgment_actions.record_judgment(
        agent=agent,
        procedure=case.procedure,
        party=case.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=list(sentences),
    )


def book(client, judgment, slot, **extra):
    url = f"{reverse('hearing_exit')}?jugement={judgment.pk}"
    data = {
        "prosecution_number": judgment.procedure.parquet_number_display,
        f"creneau_{slot.appointment_type_id}": slot.pk,
        **extra,
    }
    return client.post(url, data)


def test_a_convocation_booked_from_an_executable_judgment_executes_its_measure(
    case, greffier, bex, client, spip_slot
):
    provisional = S(
        "probation",
        months=6,
        suspended_months=6,
        obligations=["Obligation de soins"],
        provisional_execution=True,
    )
    judgment = judge(case, greffier, provisional)
    measure = Measure.objects.get(execution__judgment=judgment)
    client.force_login(bex)
    assert book(client, judgment, spip_slot).status_code == 302
    convocation = Appointment.objects.get()
    assert (convocation.judgment, convocation.measure) == (judgment, measure)
    event = Event.objects.for_object(convocation).get(action="appointment.booked")
    assert event.details["measure"] == measure.pk and event.details["late_confirmed"] is False
    # On the convocation: the measure it executes and the judgment (the BEX sees the judgment).
    detail = client.get(reverse("appointment_detail", args=[convocation.pk])).content.decode()
    assert 'data-testid="appointment-measure"' in detail
    assert "Sursis probatoire" in detail and "05/07/2027" in detail
    assert reverse("judgment", args=[judgment.pk]) in detail


def test_the_measure_page_lists_its_convocations_and_the_convocation_links_to_it(
    case, greffier, bex, client, make_agent, org, spip_slot
):
    judgment = judge(case, greffier, S("probation", months=6, provisional_execution=True))
    client.force_login(bex)
    book(client, judgment, spip_slot)
    convocation = Appointment.objects.get()
    client.force_login(make_agent("cpip", service=org.spip_alpha))
    measure = convocation.measure
    page = client.get(reverse("measure", args=[measure.pk])).content.decode()
    assert reverse("appointment_detail", args=[convocation.pk]) in page
    assert "Sortie d’audience SPIP" in page
    detail = client.get(reverse("appointment_detail", args=[convocation.pk])).content.decode()
    assert reverse("measure", args=[measure.pk]) in detail


def test_a_convocation_booked_before_the_judgment_is_executable_is_linked_when_it_is(
    case, greffier, bex, client, spip_slot
):
    judgment = judge(case, greffier, PROBATION)
    assert not Measure.objects.exists()  # not final, no provisional execution
    client.force_login(bex)
    assert book(client, judgment, spip_slot).status_code == 302
    convocation = Appointment.objects.get()
    assert (convocation.judgment, convocation.measure) == (judgment, None)
    detail = client.get(reverse("appointment_detail", args=[convocation.pk])).content.decode()
    assert "la mesure sera liée à cette convocation quand le jugement sera exécutoire" in detail
    # The appeal delay runs out (final on 16 July): the measure is created and linked.
    assert judgment_actions.finalize_due_judgments(today=dt.date(2027, 7, 16)) == 1
    convocation.refresh_from_db()
    assert convocation.measure == Measure.objects.get(execution__judgment=judgment)


def test_a_rescheduled_convocation_keeps_the_measure_it_executes(
    case, greffier, bex, agendas, spip_slot
):
    judgment = judge(case, greffier, S("probation", months=6, provisional_execution=True))
    _, (first,) = actions.register_and_book(
        agent=bex,
        person=case.party.person,
        bookings=[actions.BookingRequest(slot=spip_slot)],
        judgment=judgment,
    )
    later = SlotFactory(agenda=agendas.spip_alpha, appointment_type=spip_slot.appointment_type)
    moved = actions.reschedule_appointment(agent=bex, appointment=first, slot=later)
    assert (moved.judgment_id, moved.measure_id) == (judgment.pk, first.measure_id)
    assert moved.measure_id is not None


@pytest.mark.parametrize(
    "sentences",
    [
        (S("fine", amount_euros=Decimal(500)),),
        (S("fine", amount_euros=Decimal(500)), S("licence", months=6)),
        (S("suspended", months=4, suspended_months=4),),
        (S("prison", months=18),),  # over a year firm: not art. 474, no SAP/SPIP convocation
    ],
)
def test_a_judgment_no_sap_or_spip_follows_offers_no_sortie_d_audience(
    case, greffier, bex, client, sentences
):
    judgment = judge(case, greffier, *sentences)
    client.force_login(greffier)
    page = client.get(reverse("judgment", args=[judgment.pk])).content.decode()
    assert "Convoquer en sortie d’audience" not in page
    client.force_login(bex)
    response = client.get(f"{reverse('hearing_exit')}?jugement={judgment.pk}", follow=True)
    assert response.redirect_chain[-1][0] == reverse("judgment", args=[judgment.pk])
    assert "aucune peine suivie par le SAP ou le SPIP" in response.content.decode()


def test_a_sursis_probatoire_is_offered_the_spip_only_and_a_prison_sentence_both(
    case, greffier, bex, client, org, spip_slot, sap_slot
):
    spip_field = f"creneau_{spip_slot.appointment_type_id}"
    sap_field = f"creneau_{sap_slot.appointment_type_id}"
    client.force_login(bex)
    probation = judge(case, greffier, PROBATION)
    page = client.get(f"{reverse('hearing_exit')}?jugement={probation.pk}").content.decode()
    assert spip_field in page and sap_field not in page
    other = oriented_case(org)
    prison = judgment_actions.record_judgment(
        agent=greffier,
        procedure=other.procedure,
        party=other.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in other.charges},
        sentences=[S("prison", months=6)],
    )
    page = client.get(f"{reverse('hearing_exit')}?jugement={prison.pk}").content.decode()
    assert spip_field in page and sap_field in page
    judgment_page = client.get(reverse("judgment", args=[prison.pk])).content.decode()
    assert "Convoquer en sortie d’audience" in judgment_page


def test_the_booking_itself_refuses_a_late_convocation_unless_confirmed(
    case, greffier, bex, agendas
):
    judgment = judge(case, greffier, PROBATION)  # SPIP by 19 August 2027
    late = SlotFactory(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=dt.datetime(2027, 8, 25, 9, tzinfo=dt.UTC),
    )
    request = actions.BookingRequest(slot=late, key="spip")
    with pytest.raises(actions.BookingRefused) as refused:
        actions.register_and_book(
            agent=bex, person=case.party.person, bookings=[request], judgment=judgment
        )
    assert "au plus tard le 19/08/2027" in str(refused.value.error.message_dict["slot"])
    assert not Appointment.objects.exists()
    _, (booked,) = actions.register_and_book(
        agent=bex,
        person=case.party.person,
        bookings=[request],
        judgment=judgment,
        confirm_late=True,
    )
    event = Event.objects.for_object(booked).get(action="appointment.booked")
    assert event.details["late_confirmed"] is True and event.actor == bex


def test_a_convocation_from_a_judgment_is_for_its_defendant_only(
    case, greffier, bex, spip_slot, org
):
    judgment = judge(case, greffier, PROBATION)
    with pytest.raises(actions.BookingRefused) as refused:
        actions.register_and_book(
            agent=bex,
            person=case.victim.person,
            bookings=[actions.BookingRequest(slot=spip_slot)],
            judgment=judgment,
        )
    assert isinstance(refused.value.error, ValidationError)
    assert "n’est pas le prévenu" in str(refused.value.error)
    assert not Appointment.objects.exists()


def test_provisional_execution_and_the_measures_name_the_agent_who_recorded_the_judgment(
    case, greffier
):
    judge(case, greffier, S("probation", months=6, provisional_execution=True))
    event = Event.objects.get(action=judgment_actions.JUDGMENT_EXECUTABLE)
    assert event.actor == greffier
    assert event.details["reason"] == "provisional" and event.details["services"]


def test_a_judgment_typed_after_its_delay_is_final_in_the_name_of_who_typed_it(case, greffier):
    judgment_actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=dt.date(2027, 5, 3),
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[PROBATION],
    )
    for action in (judgment_actions.JUDGMENT_FINAL, judgment_actions.JUDGMENT_EXECUTABLE):
        assert Event.objects.get(action=action).actor == greffier
