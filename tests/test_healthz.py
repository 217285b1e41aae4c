from datetime import timedelta

from django.db import connection
from django.utils import timezone


def _heartbeat(seconds_ago: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (%s)",
            [timezone.now() - timedelta(seconds=seconds_ago)],
        )


def test_database_up_and_no_worker_is_reported(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "checks": {"database": "ok", "worker": "down"}}


def test_a_stale_worker_counts_as_down(client, db):
    _heartbeat(seconds_ago=600)
    assert client.get("/healthz").json()["checks"]["worker"] == "down"


def test_a_live_worker_makes_the_platform_healthy(client, db):
    _heartbeat(seconds_ago=2)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}
