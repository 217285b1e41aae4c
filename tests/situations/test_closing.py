"""Closing (clôture) and reopening a situation: the day, the reason, and what a closed
situation no longer does (open table, steering, overdue, reviews)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from jalon.history.models import Event
from jalon.situations.models import Notification, Situation, SituationEvent
from tests.factories import SituationFactory
from tests.situations.world import World

TODAY = datetime.date(2027, 7, 5)  # frozen_now


def _situation(world: World, **kwargs: Any) -> Situation:
    kwargs.setdefault("jurisdiction", world.org.tj_alpha)
    kwargs.setdefault("created_at", datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC))
    return SituationFactory(**kwargs)


def _close(client: Any, situation: Situation, **data: str) -> Any:
    data.setdefault("closed_on", "05/07/2027")
    data.setdefault("reason", "Fin des mesures, plus de signalement")
    return client.post(reverse("situation_close", args=[situation.pk]), data)


def test_closing_records_the_day_the_reason_on_the_timeline_and_in_history(
    world, people, client_for, frozen_now
):
    situation = _situation(world)
    response = _close(client_for(people["parquet_alpha"]), situation, closed_on="01/07/2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("situation_detail", args=[situation.pk])
    situation.refresh_from_db()
    assert situation.closed_on == datetime.date(2027, 7, 1)
    event = SituationEvent.objects.get(situation=situation)
    assert event.occurred_on == datetime.date(2027, 7, 1)
    assert event.text == "Situation clôturée : Fin des mesures, plus de signalement"
    history = Event.objects.get(action="situation.closed", target_id=str(situation.pk))
    assert history.details["closed_on"] == "2027-07-01"
    assert history.details["reason"] == "Fin des mesures, plus de signalement"


def test_followers_are_told_of_the_closing(world, people, client_for, frozen_now):
    situation = _situation(world, mec_procedure_jaf=True)
    jaf = people["jaf_alpha"]
    client_for(jaf).post(reverse("situation_follow", args=[situation.pk]), {"follow": "1"})
    _close(client_for(people["parquet_alpha"]), situation)
    assert Notification.objects.get(agent=jaf).event.text.startswith("Situation clôturée")


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [
        ("06/07/2027", "ne peut pas être dans le futur"),
        ("28/02/2027", "ne peut pas précéder l’ouverture de la situation, le 01/03/2027"),
        ("", "Indiquez la date de clôture."),
        ("31/02/2027", "Le 31/02/2027 n’existe pas"),
    ],
)
def test_a_bad_closing_day_is_refused_in_french_and_saves_nothing(
    world, people, client_for, frozen_now, closed_on, message
):
    situation = _situation(world)
    response = _close(client_for(people["parquet_alpha"]), situation, closed_on=closed_on)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Fin des mesures, plus de signalement" in page  # the typed reason is kept
    situation.refresh_from_db()
    assert situation.closed_on is None
    assert not SituationEvent.objects.exists()
    assert not Event.objects.filter(action="situation.closed").exists()


def test_the_opening_day_itself_is_a_valid_closing_day(world, people, client_for, frozen_now):
    situation = _situation(world)
    assert _close(
        client_for(people["parquet_alpha"]), situation, closed_on="01/03/2027"
    ).status_code == (302)
    situation.refresh_from_db()
    assert situation.closed_on == datetime.date(2027, 3, 1)


def test_a_closing_without_reason_is_refused_and_keeps_the_typed_day(
    world, people, client_for, frozen_now
):
    situation = _situation(world)
    response = _close(
        client_for(people["parquet_alpha"]), situation, closed_on="02/07/2027", reason="   "
    )
    page = response.content.decode()
    assert "Indiquez le motif de la clôture." in page
    assert 'value="02/07/2027"' in page
    situation.refresh_from_db()
    assert situation.closed_on is None


def test_closing_twice_changes_nothing(world, people, client_for, frozen_now):
    situation = _situation(world, closed_on=datetime.date(2027, 6, 1))
    response = _close(client_for(people["parquet_alpha"]), situation)
    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.closed_on == datetime.date(2027, 6, 1)
    assert not SituationEvent.objects.exists()


def test_the_record_offers_closing_in_a_dialog_and_shows_a_closed_badge(
    world, people, client_for, frozen_now
):
    situation = _situation(world)
    client = client_for(people["parquet_alpha"])
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert 'aria-controls="close-dialog"' in page
    assert f'action="{reverse("situation_close", args=[situation.pk])}"' in page
    assert "Clôturée le" not in page
    _close(client, situation, closed_on="04/07/2027")
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert "Clôturée le 04/07/2027" in page
    assert 'aria-controls="close-dialog"' not in page
    assert 'aria-controls="reopen-dialog"' in page


def test_the_closing_page_shows_the_form_filled_with_today(world, people, client_for, frozen_now):
    situation = _situation(world)
    page = client_for(people["parquet_alpha"]).get(reverse("situation_close", args=[situation.pk]))
    assert page.status_code == 200
    assert 'value="05/07/2027"' in page.content.decode()


def _table(client: Any, **params: str) -> str:
    return client.get(reverse("situation_list"), params).content.decode()


def test_a_closed_situation_leaves_the_open_table_and_the_overdue_list(
    world, people, client_for, frozen_now
):
    late = _situation(
        world, next_review_on=TODAY - datetime.timedelta(days=10), mec__last_name="CLOSEDLATE"
    )
    _situation(world, mec__last_name="STILLOPEN")
    client = client_for(people["parquet_alpha"])
    assert "CLOSEDLATE" in _table(client, echeance="retard")
    _close(client, late)
    default = _table(client)
    assert "CLOSEDLATE" not in default and "STILLOPEN" in default
    assert "CLOSEDLATE" not in _table(client, echeance="retard")
    closed = _table(client, etat="cloturees")
    assert "CLOSEDLATE" in closed and "STILLOPEN" not in closed
    assert "Clôturée le 05/07/2027" in closed
    assert "En retard" not in closed
    everything = _table(client, etat="toutes")
    assert "CLOSEDLATE" in everything and "STILLOPEN" in everything


def test_a_closed_situation_leaves_the_steering_counts(world, people, client_for, frozen_now):
    late = _situation(world, next_review_on=TODAY - datetime.timedelta(days=10))
    _situation(world, next_review_on=TODAY + datetime.timedelta(days=5))
    client = client_for(people["parquet_alpha"])
    rows = client.get(reverse("situation_steering")).context["counts"]
    assert [(r.open, r.due_soon, r.overdue) for r in rows] == [(2, 1, 1)]
    _close(client, late)
    rows = client.get(reverse("situation_steering")).context["counts"]
    assert [(r.open, r.due_soon, r.overdue) for r in rows] == [(1, 1, 0)]


def test_a_closed_situation_is_no_longer_overdue_on_its_record(
    world, people, client_for, frozen_now
):
    situation = _situation(world, next_review_on=TODAY - datetime.timedelta(days=10))
    client = client_for(people["parquet_alpha"])
    assert (
        "En retard" in client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    )
    _close(client, situation)
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert "En retard" not in page
    situation.refresh_from_db()
    assert situation.is_overdue(TODAY) is False


def test_a_closed_situation_gets_no_new_review(world, people, client_for, frozen_now):
    situation = _situation(world, closed_on=datetime.date(2027, 6, 1))
    client = client_for(people["parquet_alpha"])
    url = reverse("situation_tab", args=[situation.pk, "revues"])
    tab = client.get(url).content.decode()
    assert 'data-testid="closed-no-review"' in tab
    assert 'data-testid="tab-form"' not in tab
    response = client.post(url, {"held_on": "05/07/2027", "participants": "Parquet, SPIP"})
    assert response.status_code == 200
    assert "Cette situation est clôturée depuis le 01/06/2027" in response.content.decode()
    assert "rouvrez-la pour enregistrer une revue" in response.content.decode()
    assert not situation.reviews.exists()


def test_reopening_brings_the_situation_back(world, people, client_for, frozen_now):
    situation = _situation(world, closed_on=datetime.date(2027, 6, 1), mec__last_name="REOPENED")
    client = client_for(people["parquet_alpha"])
    assert "REOPENED" not in _table(client)
    response = client.post(
        reverse("situation_reopen", args=[situation.pk]), {"reason": "Nouvelle plainte"}
    )
    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.closed_on is None
    assert "REOPENED" in _table(client)
    assert SituationEvent.objects.get(situation=situation).text == (
        "Situation rouverte : Nouvelle plainte"
    )
    history = Event.objects.get(action="situation.reopened")
    assert history.details["closed_on"] == "2027-06-01"
    review = client.post(
        reverse("situation_tab", args=[situation.pk, "revues"]),
        {"held_on": "05/07/2027", "participants": "Parquet, SPIP"},
    )
    assert review.status_code == 302
    assert situation.reviews.count() == 1


def test_reopening_needs_a_reason_and_a_closed_situation(world, people, client_for, frozen_now):
    client = client_for(people["parquet_alpha"])
    closed = _situation(world, closed_on=datetime.date(2027, 6, 1))
    response = client.post(reverse("situation_reopen", args=[closed.pk]), {"reason": ""})
    assert "Indiquez le motif de la réouverture." in response.content.decode()
    closed.refresh_from_db()
    assert closed.closed_on == datetime.date(2027, 6, 1)
    still_open = _situation(world)
    response = client.post(reverse("situation_reopen", args=[still_open.pk]), {"reason": "Oui"})
    assert "Cette situation n’est pas clôturée." in response.content.decode()
    assert not Event.objects.filter(action="situation.reopened").exists()


def test_reopening_is_a_post(world, people, client_for, frozen_now):
    closed = _situation(world, closed_on=datetime.date(2027, 6, 1))
    response = client_for(people["parquet_alpha"]).get(
        reverse("situation_reopen", args=[closed.pk])
    )
    assert response.status_code == 405


def test_the_jaf_neither_closes_nor_reopens(world, people, client_for, frozen_now):
    situation = _situation(world, mec_procedure_jaf=True)
    client = client_for(people["jaf_alpha"])
    page = client.get(reverse("situation_detail", args=[situation.pk])).content.decode()
    assert "close-dialog" not in page
    assert _close(client, situation).status_code == 403
    assert client.get(reverse("situation_close", args=[situation.pk])).status_code == 403
    situation.refresh_from_db()
    assert situation.closed_on is None


def test_a_closed_situation_is_not_proposed_for_a_meeting_agenda(
    world, people, client_for, frozen_now
):
    from jalon.situations.models import ListEntry, Meeting

    instance = ListEntry.objects.create(
        jurisdiction=world.org.tj_alpha, kind="instance", name="Comité VIF"
    )
    meeting = Meeting.objects.create(instance=instance, held_on=datetime.date(2027, 7, 12))
    still_open = _situation(world)
    closed = _situation(world, closed_on=datetime.date(2027, 6, 1))
    for situation in (still_open, closed):
        situation.instances.add(instance)
    page = client_for(people["parquet_alpha"]).get(reverse("meeting_detail", args=[meeting.pk]))
    assert [s.pk for s in page.context["candidates"]] == [still_open.pk]
