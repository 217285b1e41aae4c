"""Situation screens: creation with the MEC duplicate check, the record, reviews, table, steering."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from jalon.history.models import Event
from jalon.people.models import Person
from jalon.situations.models import ListEntry, Notification, Situation
from tests.factories import PersonFactory, SituationFactory, VictimFactory
from tests.queries import assert_queries_do_not_grow

TODAY = datetime.date(2027, 7, 5)  # frozen_now


def _create_data(**overrides: str) -> dict[str, str]:
    from jalon.situations.models import Policy

    data = {
        "mec-last_name": "Lefebvre",
        "mec-first_names": "Marc",
        "mec-birth_date": "12/03/1985",
        "mec-phone": "",
        "mec-appi_number": "",
        "policy": str(Policy.objects.get(code="vif", jurisdiction=None).pk),
        "mec_procedure_jaf": "on",
        "summary": "Violences conjugales signalées",
        "next_review_on": "",
    }
    data.update(overrides)
    return data


# --- Creation ------------------------------------------------------------------------------


def test_creating_a_situation_registers_its_mec_and_computes_the_review(
    people, client_for, frozen_now
):
    agent = people["parquet_alpha"]
    response = client_for(agent).post(reverse("situation_create"), _create_data())
    situation = Situation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("situation_detail", args=[situation.pk])
    assert situation.jurisdiction == agent.service.jurisdiction
    assert situation.mec.last_name == "LEFEBVRE"
    assert situation.next_review_on == TODAY + datetime.timedelta(days=90)
    assert situation.review_date_is_manual is False
    assert Event.objects.filter(action="situation.created").count() == 1
    assert Event.objects.filter(action="person.created").count() == 1


def test_a_freely_chosen_review_date_replaces_the_computed_one(people, client_for, frozen_now):
    client_for(people["parquet_alpha"]).post(
        reverse("situation_create"), _create_data(next_review_on="01/09/2027")
    )
    situation = Situation.objects.get()
    assert situation.next_review_on == datetime.date(2027, 9, 1)
    assert situation.review_date_is_manual is True


def test_a_review_date_in_the_past_saves_nothing(people, client_for, frozen_now):
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_create"), _create_data(next_review_on="01/07/2027")
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le passé" in response.content.decode()
    assert 'value="Lefebvre"' in response.content.decode()  # what was typed is kept
    assert not Situation.objects.exists()
    assert not Person.objects.exists()


def test_a_situation_without_mec_is_refused_in_french(people, client_for, frozen_now):
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_create"),
        _create_data(**{"mec-last_name": "", "mec-first_names": "", "mec-birth_date": ""}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "« Nom » est obligatoire." in page  # each message names its field
    assert "Ce champ est obligatoire" not in page
    assert not Situation.objects.exists()


def test_a_known_mec_is_proposed_instead_of_being_typed_twice(
    world, people, client_for, frozen_now
):
    existing = PersonFactory(
        last_name="LEFEBVRE",
        first_names="Marc",
        birth_date=datetime.date(1985, 3, 12),
        followed_by=[world.org.spip_alpha],
    )
    client = client_for(people["parquet_alpha"])
    first = client.post(reverse("situation_create"), _create_data())
    assert first.status_code == 200
    assert 'data-testid="mec-candidates"' in first.content.decode()
    assert not Situation.objects.exists()
    second = client.post(reverse("situation_create"), _create_data(mec_person=str(existing.pk)))
    assert second.status_code == 302
    assert Situation.objects.get().mec == existing
    assert Person.objects.count() == 1


def test_a_probable_duplicate_can_be_created_anyway(world, people, client_for, frozen_now):
    PersonFactory(last_name="LEFEBVRE", first_names="Marc", birth_date=datetime.date(1985, 3, 12))
    client_for(people["parquet_alpha"]).post(
        reverse("situation_create"), _create_data(mec_person="new")
    )
    assert Person.objects.count() == 2
    assert Situation.objects.count() == 1


def test_an_unrelated_person_id_cannot_be_slipped_in_as_mec(world, people, client_for, frozen_now):
    stranger = PersonFactory(last_name="AUTRE", first_names="Paul")
    client_for(people["parquet_alpha"]).post(
        reverse("situation_create"), _create_data(mec_person=str(stranger.pk))
    )
    assert Situation.objects.get().mec != stranger


@pytest.mark.parametrize("key", ["jaf_alpha", "jaf_ca"])
def test_the_jaf_does_not_create_situations(people, client_for, key):
    assert client_for(people[key]).get(reverse("situation_create")).status_code == 403


def test_a_court_of_appeal_situation_has_no_appeal_box(world, people, client_for, frozen_now):
    response = client_for(people["parquet_general"]).post(
        reverse("situation_create"), _create_data(appeal="on")
    )
    assert response.status_code == 302
    situation = Situation.objects.get()
    assert situation.jurisdiction == world.org.ca
    assert situation.appeal is False


# --- Record, events, follow -----------------------------------------------------------------


def test_opening_the_record_is_recorded(world, people, client_for, frozen_now):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    client_for(people["parquet_alpha"]).get(reverse("situation_detail", args=[situation.pk]))
    assert Event.objects.filter(action="situation.viewed", target_id=str(situation.pk)).count() == 1


def test_followers_are_notified_of_a_new_event_and_it_is_read_on_opening(
    world, people, client_for, frozen_now
):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, mec_procedure_jaf=True)
    jaf = people["jaf_alpha"]
    client = client_for(jaf)
    client.post(reverse("situation_follow", args=[situation.pk]), {"follow": "1"})
    client.logout()
    client_for(people["parquet_alpha"]).post(
        reverse("situation_tab", args=[situation.pk, "evenements"]),
        {"occurred_on": "05/07/2027", "text": "Nouvelle plainte"},
    )
    notification = Notification.objects.get(agent=jaf)
    assert notification.read_at is None
    client.logout()
    client = client_for(jaf)
    listing = client.get(reverse("situation_notifications")).content.decode()
    assert "Nouvelle plainte" in listing
    client.get(reverse("situation_detail", args=[situation.pk]))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_follower_who_lost_access_is_not_notified(world, people, client_for, frozen_now):
    situation = SituationFactory(
        jurisdiction=world.org.tj_alpha, appeal=True, mec_procedure_jaf=True
    )
    client_for(people["parquet_general"]).post(
        reverse("situation_follow", args=[situation.pk]), {"follow": "1"}
    )
    Situation.objects.filter(pk=situation.pk).update(appeal=False)
    client_for(people["parquet_alpha"]).post(
        reverse("situation_tab", args=[situation.pk, "evenements"]),
        {"occurred_on": "05/07/2027", "text": "Fait nouveau"},
    )
    assert not Notification.objects.exists()


def test_ticking_op_on_a_victim_opens_the_situation_to_the_jaf(
    world, people, client_for, frozen_now
):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    victim = VictimFactory(situation=situation)
    url = reverse("situation_detail", args=[situation.pk])
    assert client_for(people["jaf_alpha"]).get(url).status_code == 404
    client_for(people["parquet_alpha"]).post(
        reverse("situation_victim_edit", args=[situation.pk, victim.pk]),
        {"last_name": victim.last_name, "first_names": "Alice", "protection_order": "on"},
    )
    assert client_for(people["jaf_alpha"]).get(url).status_code == 200


# --- Reviews -----------------------------------------------------------------------------


def test_recording_a_review_sets_the_next_one_from_the_policy(
    world, people, client_for, frozen_now
):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, next_review_on=TODAY)
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_tab", args=[situation.pk, "revues"]),
        {"held_on": "01/07/2027", "participants": "Parquet, SPIP, JAF", "decisions": "Maintien"},
    )
    assert response.status_code == 302
    situation.refresh_from_db()
    assert situation.next_review_on == datetime.date(2027, 9, 29)  # 1 July + 90 days
    assert situation.reviews.get().participants == "Parquet, SPIP, JAF"


def test_a_review_with_a_next_date_in_the_past_saves_nothing(world, people, client_for, frozen_now):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, next_review_on=TODAY)
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_tab", args=[situation.pk, "revues"]),
        {"held_on": "01/07/2027", "participants": "Parquet", "next_review_on": "03/07/2027"},
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le passé" in response.content.decode()
    assert not situation.reviews.exists()
    situation.refresh_from_db()
    assert situation.next_review_on == TODAY


def test_a_review_held_in_the_future_is_refused(world, people, client_for, frozen_now):
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_tab", args=[situation.pk, "revues"]),
        {"held_on": "10/07/2027", "participants": "Parquet"},
    )
    assert "date future" in response.content.decode()
    assert not situation.reviews.exists()


# --- Tracking table and steering ----------------------------------------------------------


def _table(client: Any, **params: str) -> str:
    return client.get(reverse("situation_list"), params).content.decode()


def test_the_table_filters_by_policy_due_date_appeal_cabinet_and_instance(
    world, people, client_for, frozen_now
):
    tj = world.org.tj_alpha
    cabinet = ListEntry.objects.create(jurisdiction=tj, kind="cabinet_jap", name="JAP 2")
    instance = ListEntry.objects.create(jurisdiction=tj, kind="instance", name="Comité VIF")
    overdue = SituationFactory(
        jurisdiction=tj, next_review_on=TODAY - datetime.timedelta(days=1), mec__last_name="RETARD"
    )
    SituationFactory(jurisdiction=tj, policy=world.other_policy, mec__last_name="STUPS")
    SituationFactory(jurisdiction=tj, appeal=True, mec__last_name="APPEL", cabinet_jap=cabinet)
    overdue.instances.add(instance)
    client = client_for(people["parquet_alpha"])
    assert "RETARD" in _table(client, echeance="retard")
    assert "STUPS" not in _table(client, echeance="retard")
    only_other = _table(client, politique=str(world.other_policy.pk))
    assert "STUPS" in only_other and "RETARD" not in only_other
    appeal = _table(client, appel="oui")
    assert "APPEL" in appeal and "STUPS" not in appeal
    assert "APPEL" in _table(client, cabinet=str(cabinet.pk))
    assert "RETARD" not in _table(client, cabinet=str(cabinet.pk))
    by_instance = _table(client, instance=str(instance.pk))
    assert "RETARD" in by_instance and "APPEL" not in by_instance
    assert "En retard" in _table(client)


def test_the_table_sorts_by_name(world, people, client_for, frozen_now):
    for name in ("BRAVO", "ALPHA", "CHARLIE"):
        SituationFactory(jurisdiction=world.org.tj_alpha, mec__last_name=name)
    page = _table(client_for(people["parquet_alpha"]), tri="nom")
    assert page.index("ALPHA") < page.index("BRAVO") < page.index("CHARLIE")
    page = _table(client_for(people["parquet_alpha"]), tri="-nom")
    assert page.index("CHARLIE") < page.index("BRAVO") < page.index("ALPHA")


def test_the_table_is_paginated_and_its_queries_do_not_grow(world, people, client_for, frozen_now):
    client = client_for(people["parquet_alpha"])
    SituationFactory.create_batch(3, jurisdiction=world.org.tj_alpha)
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("situation_list")),
        lambda: SituationFactory.create_batch(60, jurisdiction=world.org.tj_alpha, appeal=True),
    )
    assert "Page 1 sur 2" in response.content.decode()


def test_the_csv_export_holds_only_what_the_agent_sees(world, people, client_for, frozen_now):
    SituationFactory(jurisdiction=world.org.tj_alpha, mec__last_name="VISIBLE")
    SituationFactory(jurisdiction=world.org.tj_alpha, mec__last_name="SANSJAF")
    SituationFactory(
        jurisdiction=world.org.tj_alpha, mec__last_name="AVECJAF", mec_procedure_jaf=True
    )
    SituationFactory(jurisdiction=world.org.tj_beta, mec__last_name="AILLEURS")
    response = client_for(people["jaf_alpha"]).get(reverse("situation_list"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "AVECJAF" in text
    assert "SANSJAF" not in text and "VISIBLE" not in text and "AILLEURS" not in text
    assert Event.objects.filter(action="situations.exported").count() == 1


def test_steering_counts_open_due_and_overdue_per_policy(world, people, client_for, frozen_now):
    tj = world.org.tj_alpha
    SituationFactory(jurisdiction=tj, next_review_on=TODAY - datetime.timedelta(days=3))
    SituationFactory(jurisdiction=tj, next_review_on=TODAY + datetime.timedelta(days=10))
    SituationFactory(jurisdiction=tj, next_review_on=TODAY + datetime.timedelta(days=100))
    SituationFactory(
        jurisdiction=tj, next_review_on=TODAY - datetime.timedelta(days=3), closed_on=TODAY
    )
    SituationFactory(jurisdiction=world.org.tj_beta, next_review_on=TODAY)
    page = client_for(people["parquet_alpha"]).get(reverse("situation_steering"))
    rows = page.context["counts"]
    assert [(r.label, r.open, r.due_soon, r.overdue) for r in rows] == [
        ("Violences intrafamiliales (VIF)", 3, 1, 1)
    ]


# --- Person page --------------------------------------------------------------------------


def test_the_person_page_lists_the_situations_the_agent_sees(world, people, client_for, frozen_now):
    mec = PersonFactory(followed_by=[world.parquet_alpha, world.org.sap_alpha])
    SituationFactory(jurisdiction=world.org.tj_alpha, mec=mec)
    page = client_for(people["parquet_alpha"]).get(reverse("person_detail", args=[mec.pk]))
    assert 'data-testid="person-situations"' in page.content.decode()
    assert "Violences intrafamiliales" in page.content.decode()


def test_the_person_page_shows_no_situation_to_msj_agents(world, make_agent, client_for):
    mec = PersonFactory(followed_by=[world.org.sap_alpha])
    SituationFactory(jurisdiction=world.org.tj_alpha, mec=mec)
    page = client_for(make_agent("greff_sap")).get(reverse("person_detail", args=[mec.pk]))
    assert page.status_code == 200
    assert 'data-testid="person-situations"' not in page.content.decode()


# --- Adjustable lists -----------------------------------------------------------------------


def test_a_withdrawn_cabinet_leaves_the_choices_but_stays_on_its_situations(
    world, people, client_for, frozen_now
):
    entry = ListEntry.objects.create(
        jurisdiction=world.org.tj_alpha, kind="cabinet_je", name="JE 1"
    )
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, cabinet_je=entry)
    client = client_for(people["procureur_alpha"])
    client.post(
        reverse("situation_list_edit", args=["cabinet_je"]), {"entry": entry.pk, "active": "0"}
    )
    entry.refresh_from_db()
    assert entry.is_active is False
    form = client.get(reverse("situation_edit", args=[situation.pk])).context["form"]
    assert entry not in form.fields["cabinet_je"].queryset
    situation.refresh_from_db()
    assert situation.cabinet_je == entry


def test_a_duplicate_list_entry_is_refused_in_french(world, people, client_for):
    ListEntry.objects.create(jurisdiction=world.org.tj_alpha, kind="instance", name="Comité VIF")
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_list_edit", args=["instance"]), {"instance-name": "comité vif"}
    )
    assert "existe déjà" in response.content.decode()
    assert ListEntry.objects.count() == 1


def test_another_jurisdictions_entry_cannot_be_chosen(world, people, client_for, frozen_now):
    foreign = ListEntry.objects.create(jurisdiction=world.org.tj_beta, kind="instance", name="X")
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_edit", args=[situation.pk]),
        {"policy": str(situation.policy_id), "instances": [str(foreign.pk)]},
    )
    assert response.status_code == 200
    assert not situation.instances.exists()
