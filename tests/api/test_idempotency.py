"""``Idempotency-Key`` on every POST: replay, refusal of another body, per client, expiry,
and two requests with one key at the same moment."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from jalon.api.actions import purge_idempotency_records
from jalon.api.models import IdempotencyRecord
from jalon.people.models import Person
from tests.api.conftest import Api, assert_problem
from tests.api.test_persons import NEW_PERSON


def test_the_same_key_and_body_replay_the_first_answer(api, partner):
    first = api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-1")
    second = api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Person.objects.count() == 1


def test_spacing_and_key_order_of_the_body_do_not_count(api, partner):
    api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-1")
    reordered = dict(reversed(list(NEW_PERSON.items())))
    replay = api.post("/persons", partner.key, reordered, idempotency_key="k-1")
    assert replay.status_code == 201
    assert Person.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, partner):
    api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-1")
    other = {**NEW_PERSON, "last_name": "Durand"}
    response = api.post("/persons", partner.key, other, idempotency_key="k-1")
    assert_problem(response, 422, "idempotency_key_reused")
    assert Person.objects.count() == 1


def test_a_refusal_is_replayed_too(api, partner, org):
    from tests.factories import PersonFactory

    existing = PersonFactory(followed_by=[org.spip_alpha])
    body = {**NEW_PERSON, "phone": existing.phone}
    first = api.post("/persons", partner.key, body, idempotency_key="k-dup")
    again = api.post("/persons", partner.key, body, idempotency_key="k-dup")
    assert first.status_code == again.status_code == 409
    assert again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == "application/problem+json"


def test_keys_belong_to_their_client(api, make_partner, org):
    first, second = make_partner(), make_partner()
    a = api.post("/persons", first.key, NEW_PERSON, idempotency_key="shared")
    b = api.post(
        "/persons",
        second.key,
        {**NEW_PERSON, "phone": "06 98 76 54 32", "last_name": "Autre"},
        idempotency_key="shared",
    )
    assert a.status_code == b.status_code == 201
    assert Person.objects.count() == 2


def test_a_post_without_key_is_refused(api, partner):
    response = api.post("/persons", partner.key, NEW_PERSON, idempotency_key=None)
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert body["errors"][0]["location"] == "header"
    assert Person.objects.count() == 0


def test_a_malformed_key_is_refused(api, partner):
    response = api.post("/persons", partner.key, NEW_PERSON, idempotency_key="é t é")
    assert_problem(response, 422, "invalid_idempotency_key")


def test_a_request_refused_before_the_action_keeps_no_record(api, partner):
    api.post("/persons", partner.key, {"last_name": "X"}, idempotency_key="k-bad")
    assert not IdempotencyRecord.objects.exists()
    assert api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-bad").status_code == 201


def test_an_expired_key_may_be_used_again_and_is_purged(api, partner):
    api.post("/persons", partner.key, NEW_PERSON, idempotency_key="k-1")
    later = timezone.now() + datetime.timedelta(hours=25)
    with time_machine.travel(later):
        other = {**NEW_PERSON, "last_name": "Durand", "phone": "06 98 76 54 32"}
        response = api.post("/persons", partner.key, other, idempotency_key="k-1")
        assert response.status_code == 201
        assert purge_idempotency_records() == 0  # the fresh one is kept
    with time_machine.travel(later + datetime.timedelta(hours=25)):
        assert purge_idempotency_records() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_create_one_person(make_partner):
    partner = make_partner()
    answers: list[int] = []
    barrier = threading.Barrier(2)

    def post() -> None:
        try:
            barrier.wait()
            response = Api(Client()).post(
                "/persons", partner.key, NEW_PERSON, idempotency_key="same-moment"
            )
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201, 201]
    assert Person.objects.count() == 1
