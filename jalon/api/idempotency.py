"""``Idempotency-Key`` on every POST: the first answer is kept and replayed.

The record is inserted, under a unique constraint on (client, key), in the transaction of the
change itself: a second request with the same key waits on that insert until the first one
commits, then replays its answer (or, if the first one failed, takes its place). A refusal
(4xx problem) rolls the change back and is kept afterwards, replayed the same way. A key
reused with another body is refused (422). Records expire after ``TTL``; a periodic job
deletes them, and an expired key may be used again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from jalon.api.auth import Caller
from jalon.api.models import IdempotencyRecord
from jalon.api.problems import ApiProblem, problem_response
from jalon.core.transactions import whole_transaction

TTL = timedelta(hours=24)
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as a UUID or a ULID
HANDLED = (ApiProblem, Http404, PermissionDenied, DjangoValidationError)


def fingerprint(request: HttpRequest) -> str:
    """The request as the key promises it: method, path, acting service and body (as JSON,
    so that spacing and key order do not count)."""
    try:
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True)
    except ValueError:
        body = request.body.decode("latin-1")
    parts = [request.method or "", request.path, request.headers.get("Jalon-Service", ""), body]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ApiProblem(
            422,
            "invalid_idempotency_key",
            f"L’en-tête « {HEADER} » compte de 1 à 255 caractères ASCII visibles "
            "(un UUID par exemple).",
        )
    return key


def _replay(record: IdempotencyRecord, request_fingerprint: str) -> HttpResponse:
    if record.fingerprint != request_fingerprint:
        return problem_response(
            422,
            "idempotency_key_reused",
            f"Cette clé « {HEADER} » a déjà servi pour une autre requête : "
            "utilisez une nouvelle clé pour chaque opération.",
        )
    response = HttpResponse(
        record.body, status=record.status_code, content_type=record.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(
    client_id: int, key: str, request_fingerprint: str, now: datetime, answer: HttpResponse | None
) -> int | None:
    """Take the key, in one statement: insert its record, or replace an expired one.

    ``None`` when a live record holds the key: it was committed (a concurrent insert of the
    same key is waited for), so it can be read and replayed. ``answer``: the record is
    written with it (a refusal, kept after its transaction was rolled back)."""
    table = IdempotencyRecord._meta.db_table
    status, body, content_type = _answer(answer) if answer is not None else (0, "", "")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (client_id, key, fingerprint, status_code, body, content_type, created_at,
                 expires_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (client_id, key) DO UPDATE SET
                fingerprint = EXCLUDED.fingerprint, status_code = EXCLUDED.status_code,
                body = EXCLUDED.body, content_type = EXCLUDED.content_type,
                created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
            WHERE {table}.expires_at < EXCLUDED.created_at
            RETURNING id
            """,  # noqa: S608 (the table name is the model's)
            [client_id, key, request_fingerprint, status, body, content_type, now, now + TTL],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _answer(response: HttpResponse) -> tuple[int, str, str]:
    return (
        response.status_code,
        response.content.decode(),
        response.get("Content-Type", "application/json"),
    )


def run_idempotent(
    request: HttpRequest, caller: Caller, key: str, produce: Callable[[], HttpResponse]
) -> HttpResponse:
    """Answer with ``produce()`` once per key; replay that answer afterwards.

    The record is claimed and the change made in one transaction, without savepoints
    (``whole_transaction``): a refusal rolls the change back, then the refusal is kept in a
    statement of its own (if a request with the same key took the key in the meantime, it
    keeps its own answer)."""
    check_key(key)
    request_fingerprint = fingerprint(request)
    client_id = caller.client.pk
    try:
        with transaction.atomic(), whole_transaction():
            record_id = _claim(client_id, key, request_fingerprint, timezone.now(), None)
            if record_id is None:
                return _replay(
                    IdempotencyRecord.objects.get(client_id=client_id, key=key),
                    request_fingerprint,
                )
            response = produce()
            status, body, content_type = _answer(response)
            IdempotencyRecord.objects.filter(pk=record_id).update(
                status_code=status, body=body, content_type=content_type
            )
            return response
    except HANDLED as error:
        from jalon.api.main import api  # the handlers turning errors into problems

        response = api.on_exception(request, error)
        _claim(client_id, key, request_fingerprint, timezone.now(), response)
        return response
