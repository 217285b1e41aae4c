"""A POST form sent twice runs its action once (double click, resubmitted POST).

Every POST form of a page carries a random ``submission_token`` (added by
``static/jalon/submit.js``). For an authenticated user, the middleware:

1. takes a PostgreSQL advisory lock on the token, so the second request of a double click
   waits for the first one to finish instead of racing it;
2. if a request with this token already succeeded (answered with a redirect, the
   post/redirect/get of every state-changing form), answers with the same redirect and the
   same flash messages, without calling the view;
3. otherwise calls the view and, when it answers with a redirect, stores the token.

A form that failed validation answers 200 and stores nothing, so correcting and sending it
again works. Forms without a token (no JavaScript, tests' client) behave as before.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from jalon.core.models import Submission

logger = logging.getLogger(__name__)

FIELD = "submission_token"
LOCK_CLASS = 0x4A41  # "JA": advisory-lock namespace of submissions
KEPT_FOR = datetime.timedelta(days=1)


def _lock_key(token: str) -> int:
    return int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "big", signed=True)


def _user_pk(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


def _token(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    token = request.POST.get(FIELD, "")
    if not (16 <= len(token) <= 64):
        return None
    return token


def _replay(request: HttpRequest, done: Submission) -> HttpResponse:
    for level, text in done.messages:
        messages.add_message(request, level, text)
    return HttpResponseRedirect(done.location)


def _remember(request: HttpRequest, token: str, response: HttpResponse) -> None:
    queued = getattr(messages.get_messages(request), "_queued_messages", [])
    try:
        with transaction.atomic():
            Submission.objects.create(
                token=token,
                user_pk=_user_pk(request),
                path=request.path[:500],
                location=response["Location"][:2000],
                messages=[[m.level, str(m.message)] for m in queued],
            )
    except IntegrityError:  # the same token from another user: never replayed to them
        logger.warning("submission token reused", extra={"path": request.path})


class SubmitOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _token(request)
        if token is None:
            return self.get_response(request)
        key = _lock_key(token)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, key])
        try:
            done = Submission.objects.filter(token=token, user_pk=_user_pk(request)).first()
            if done is not None:
                return _replay(request, done)
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and "Location" in response:
                _remember(request, token, response)
            return response
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, key])
            except DatabaseError:  # a broken connection has released its locks already
                logger.warning("could not release a submission lock")


def forget_old_submissions() -> int:
    """Delete the tokens older than a day (idempotent); the number deleted."""
    deleted, _ = Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
