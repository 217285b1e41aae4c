"""The end of a measure: its SAP or SPIP records the day and why; the measure leaves the
"in execution" lists and stays on the person's record with its end, in history.

TJ Alpha's judgment of Monday 5 July 2027 (sursis probatoire, provisional execution) hands a
measure to SPIP Alpha; the clock is frozen on that day, 10:00 in Paris.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalon.cases.actions.measures import MEASURE_ENDED, end_measure
from jalon.cases.models import Measure
from jalon.history.models import Event
from tests.people.test_person_measures import measure_of, page

TODAY = dt.date(2027, 7, 5)
LATER = dt.date(2029, 7, 5)

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def person(org):
    from tests.factories import PersonFactory

    return PersonFactory(last_name="BAUER", followed_by=[org.spip_alpha])


@pytest.fixture
def greffier(org, make_agent):
    from jalon.access.roles import ServiceKind
    from tests.factories import ServiceFactory

    registry = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_alpha)
    return make_agent("greff_co", service=registry)


@pytest.fixture
def measure(org, greffier, person, agendas):
    return measure_of(org, greffier, person, agendas, convocations=0)


def test_the_service_ends_a_measure_once_and_history_says_so(make_agent, org, measure):
    cpip = make_agent("cpip", service=org.spip_alpha)
    ended = end_measure(
        agent=cpip, measure=measure, ended_on=LATER, reason="completed", today=LATER
    )
    assert (ended.ended_on, ended.end_reason, ended.ended_by) == (LATER, "completed", cpip)
    # The same form sent twice: nothing more.
    end_measure(agent=cpip, measure=measure, ended_on=LATER, reason="completed", today=LATER)
    events = Event.objects.filter(action=MEASURE_ENDED)
    assert events.count() == 1
    assert events.get().details["measure"] == measure.pk
    assert list(Measure.objects.running()) == []
    with pytest.raises(ValidationError) as error:
        end_measure(agent=cpip, measure=measure, ended_on=LATER, reason="revoked", today=LATER)
    assert "déjà terminée depuis le 05/07/2029" in str(error.value)


@pytest.mark.parametrize(
    ("ended_on", "reason", "comment", "field", "message"),
    [
        (dt.date(2027, 7, 6), "completed", "", "ended_on", "dans le futur"),
        (dt.date(2027, 7, 4), "completed", "", "ended_on", "avant le jugement du 05/07/2027"),
        (TODAY, "other", "  ", "comment", "Précisez le motif"),
        (TODAY, "forgotten", "", "reason", "Choisissez le motif"),
    ],
)
def test_a_wrong_end_is_refused_and_nothing_is_saved(
    make_agent, org, measure, ended_on, reason, comment, field, message
):
    cpip = make_agent("cpip", service=org.spip_alpha)
    with pytest.raises(ValidationError) as error:
        end_measure(
            agent=cpip,
            measure=measure,
            ended_on=ended_on,
            reason=reason,
            comment=comment,
            today=TODAY,
        )
    assert message in " ".join(error.value.message_dict[field])
    measure.refresh_from_db()
    assert measure.ended_on is None
    assert not Event.objects.filter(action=MEASURE_ENDED).exists()


def test_the_measure_page_records_the_end_and_keeps_what_was_typed_when_wrong(
    client, make_agent, org, measure, person
):
    client.force_login(make_agent("cpip", service=org.spip_alpha))
    url = reverse("measure", args=[measure.pk])
    response = client.get(url)
    assert "Enregistrer la fin de la mesure" in response.content.decode()
    wrong = client.post(url, {"ended_on": "06/07/2027", "reason": "other", "comment": "Décès"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert "La date de fin ne peut pas être dans le futur." in text
    assert 'value="06/07/2027"' in text and "Décès" in text
    done = client.post(url, {"ended_on": "05/07/2027", "reason": "other", "comment": "Décès"})
    assert done.status_code == 302
    text = client.get(url).content.decode()
    assert "Mesure terminée le 05/07/2027" in text and "Décès" in text
    assert "Enregistrer la fin de la mesure" not in text
    # The person's page: no longer in execution, listed as ended, and in the timeline.
    person_page = page(client, person).content.decode()
    assert "Aucune mesure en cours d’exécution." in person_page
    assert "terminée le 05/07/2027 (autre fin (à préciser))" in person_page
    assert "Fin de la mesure" in person_page
    listing = client.get(reverse("measure_list")).content.decode()
    assert "Terminée le 05/07/2027" in listing


@pytest.mark.parametrize(
    ("profile", "service", "status"),
    [
        ("bex", "bex_alpha", 404),  # the BEX opens the judgment, not the measure
        ("jap", "sap_alpha", 404),  # a sursis probatoire goes to the SPIP only
        ("jap", "sap_beta", 404),  # another ressort
    ],
)
def test_only_the_measure_s_service_ends_it(
    client, make_agent, org, measure, profile, service, status
):
    client.force_login(make_agent(profile, service=getattr(org, service)))
    response = client.post(
        reverse("measure", args=[measure.pk]), {"ended_on": "05/07/2027", "reason": "completed"}
    )
    assert response.status_code == status
    measure.refresh_from_db()
    assert measure.ended_on is None


def test_an_ended_measure_cannot_be_ended_again_from_its_page(client, make_agent, org, measure):
    cpip = make_agent("cpip", service=org.spip_alpha)
    end_measure(agent=cpip, measure=measure, ended_on=TODAY, reason="completed", today=TODAY)
    client.force_login(cpip)
    response = client.post(
        reverse("measure", args=[measure.pk]), {"ended_on": "05/07/2027", "reason": "revoked"}
    )
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.end_reason == "completed"
