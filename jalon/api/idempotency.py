"""``Idempotency-Key`` on every POST: the first answer is kept and replayed.

The record is inserted, under a unique constraint on (client, key), in the transaction of the
change itself: a second request with the same key waits on that insert until the first one
commits, then replays its answer (or, if the first one failed, takes its place). A key
reused with another body is refused (422). Records expire after ``TTL``; a periodic job
deletes them, and an expired key may be used again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from jalon.api.auth import Caller
from jalon.api.models import IdempotencyRecord
from jalon.api.problems import ApiProblem, problem_response

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


def run_idempotent(
    request: HttpRequest, caller: Caller, key: str, produce: Callable[[], HttpResponse]
) -> HttpResponse:
    """Answer with ``produce()`` once per key; replay that answer afterwards."""
    check_key(key)
    request_fingerprint = fingerprint(request)
    with transaction.atomic():
        now = timezone.now()
        IdempotencyRecord.objects.filter(client=caller.client, key=key, expires_at__lt=now).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=caller.client,
                    key=key,
                    fingerprint=request_fingerprint,
                    expires_at=now + TTL,
                )
        except IntegrityError:
            # Another request with this key committed first (we waited for it on the insert).
            return _replay(
                IdempotencyRecord.objects.get(client=caller.client, key=key), request_fingerprint
            )
        try:
            response = produce()
        except HANDLED as error:
            from jalon.api.main import api  # the handlers turning errors into problems

            response = api.on_exception(request, error)
        record.status_code = response.status_code
        record.body = response.content.decode()
        record.content_type = response.get("Content-Type", "application/json")
        record.save(update_fields=["status_code", "body", "content_type"])
        return response
