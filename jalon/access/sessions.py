"""Which sessions an agent has open: the ``AgentSession`` rows and Django's session rows.

A session is named by the SHA-256 of its key. Django's row is found from that hash by
PostgreSQL's own ``sha256`` (no extension needed), so that ending a session needs no key.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from jalon.access.models import Agent, AgentSession
from jalon.core.request_context import client_ip_from_request

SEEN_KEY = "_jalon_session_seen"
REFRESH_EVERY_SECONDS = 60


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def current_hash(session: SessionBase) -> str | None:
    return key_hash(session.session_key) if session.session_key else None


def touch(request: HttpRequest, agent: Agent, *, now: datetime | None = None) -> None:
    """Create or refresh the row of the request's session (one query)."""
    session = request.session
    if session.session_key is None:
        session.save()
    assert session.session_key is not None
    now = now or timezone.now()
    AgentSession.objects.update_or_create(
        key_hash=key_hash(session.session_key),
        defaults={
            "agent": agent,
            "last_seen_at": now,
            "address": client_ip_from_request(request) or "",
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
        create_defaults={
            "agent": agent,
            "created_at": now,
            "last_seen_at": now,
            "address": client_ip_from_request(request) or "",
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    session[SEEN_KEY] = time.time()


def follow_new_key(before: str | None, session: SessionBase) -> None:
    """The session's key changed (``cycle_key``): its row follows it."""
    after = current_hash(session)
    if before and after and before != after:
        AgentSession.objects.filter(key_hash=before).update(key_hash=after)


def forget(session: SessionBase) -> None:
    """The session ends (logout, expiry): its row goes."""
    current = current_hash(session)
    if current:
        AgentSession.objects.filter(key_hash=current).delete()


def stale_before(now: datetime | None = None) -> datetime:
    """Sessions idle since before this moment are over: their next request logs them out."""
    return (
        (now or timezone.now()) - settings.IDLE_TIMEOUT - timedelta(seconds=REFRESH_EVERY_SECONDS)
    )


def open_sessions(agent: Agent) -> list[AgentSession]:
    return list(
        AgentSession.objects.filter(agent=agent, last_seen_at__gte=stale_before()).order_by(
            "-last_seen_at"
        )
    )


def forget_stale(agent: Agent) -> None:
    """Rows of sessions that expired without a logout (closed browser): gone at next login."""
    AgentSession.objects.filter(agent=agent, last_seen_at__lt=stale_before()).delete()


def due_for_refresh(session: SessionBase) -> bool:
    seen = session.get(SEEN_KEY)
    return seen is None or time.time() - seen > REFRESH_EVERY_SECONDS


def end(hashes: list[str]) -> int:
    """Delete Django's session rows and ours for these hashes; return how many ended."""
    if not hashes:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_session "
            "WHERE encode(sha256(convert_to(session_key, 'UTF8')), 'hex') = ANY(%s)",
            [hashes],
        )
    deleted, _ = AgentSession.objects.filter(key_hash__in=hashes).delete()
    return deleted
