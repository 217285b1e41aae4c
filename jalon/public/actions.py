"""State changes of the public side: page edits (agents) and the personal link (the person).

The person acts without an account: ``actor=None`` in history, the convocation as target, and
the client address noted by the request context. Every refusal is recorded too.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.appointments.models import Appointment
from jalon.core.markdown import to_html
from jalon.history.actions import record
from jalon.public import cache as public_cache
from jalon.public.models import InfoPage, LinkState, MoveRequest, ServicePage

# A personal link still opens this long after its convocation ended (to read an answer).
LINK_GRACE = timedelta(days=1)
SERVICE_PAGE_FIELDS = ("address", "opening_hours", "access", "phone", "email", "organisations")


# --- Pages (agents) --------------------------------------------------------------------


def save_service_page(*, agent: Agent, service: Service, data: dict[str, Any]) -> ServicePage:
    with transaction.atomic():
        page, _ = ServicePage.objects.select_for_update().get_or_create(service=service)
        changed = [name for name in SERVICE_PAGE_FIELDS if getattr(page, name) != data[name]]
        if not changed:
            return page
        for name in changed:
            setattr(page, name, data[name])
        page.version = F("version") + 1
        page.updated_at = timezone.now()
        page.updated_by = agent
        page.save()
        record(
            "public.service_page_edited", actor=agent, target=service, details={"fields": changed}
        )
    public_cache.forget(public_cache.service_key(service.pk))
    page.refresh_from_db()
    return page


def save_info_page(*, agent: Agent, page: InfoPage, data: dict[str, Any]) -> InfoPage:
    with transaction.atomic():
        page = InfoPage.objects.select_for_update().get(pk=page.pk)
        fields = ("title", "summary", "body_markdown", "position")
        changed = [name for name in fields if getattr(page, name) != data[name]]
        if not changed:
            return page
        for name in changed:
            setattr(page, name, data[name])
        page.body_html = to_html(page.body_markdown)
        page.version = F("version") + 1
        page.updated_at = timezone.now()
        page.updated_by = agent
        page.save()
        record("public.info_page_edited", actor=agent, target=page, details={"fields": changed})
    public_cache.forget(public_cache.info_key(page.slug))
    page.refresh_from_db()
    return page


# --- The personal link (the person, no account) ----------------------------------------


def link_expired(appointment: Appointment) -> bool:
    return appointment.ends_at + LINK_GRACE < timezone.now()


def refuse(appointment: Appointment | None, reason: str, **details: Any) -> None:
    """Record a refused use of a personal link (forged, expired, wrong birth date …)."""
    record(
        "public.link_refused", actor=None, target=appointment, details={"reason": reason, **details}
    )


class Check(enum.Enum):
    OPENED = "opened"
    WRONG = "wrong"
    LOCKED = "locked"


def check_birth_date(appointment: Appointment, given: date) -> tuple[Check, int]:
    """Compare ``given`` with the person's birth date; (outcome, attempts left).

    The link locks after ``LinkState.MAX_FAILURES`` wrong dates; a locked link refuses even
    the right date (the service can send a new SMS). The state row is locked, so parallel
    guesses count one by one.
    """
    with transaction.atomic():
        LinkState.objects.get_or_create(appointment=appointment)
        state = LinkState.objects.select_for_update().get(appointment=appointment)
        if state.is_locked:
            refuse(appointment, "locked")
            return Check.LOCKED, 0
        if given == appointment.person.birth_date:
            record("public.link_opened", actor=None, target=appointment)
            return Check.OPENED, LinkState.MAX_FAILURES - state.failures
        state.failures += 1
        fields = ["failures"]
        if state.failures >= LinkState.MAX_FAILURES:
            state.locked_at = timezone.now()
            fields.append("locked_at")
        state.save(update_fields=fields)
        refuse(appointment, "wrong_birth_date", failures=state.failures)
        if state.is_locked:
            record("public.link_locked", actor=None, target=appointment)
            return Check.LOCKED, 0
        return Check.WRONG, LinkState.MAX_FAILURES - state.failures


def act_objection(appointment: Appointment) -> str | None:
    """Why the person can no longer confirm or ask to move this convocation (French)."""
    if appointment.status == Appointment.Status.CANCELLED:
        return "Cette convocation a été annulée : il n’y a rien à confirmer ni à reporter."
    if appointment.status != Appointment.Status.BOOKED:
        return "Cette convocation n’est plus prévue : elle ne peut plus être modifiée ici."
    if appointment.is_past:
        return "Cette convocation est passée : elle ne peut plus être confirmée ni reportée."
    return None


def confirm_presence(appointment: Appointment) -> str | None:
    """Note that the person will come; idempotent. Returns a French refusal, or None."""
    with transaction.atomic():
        LinkState.objects.get_or_create(appointment=appointment)
        state = LinkState.objects.select_for_update().get(appointment=appointment)
        objection = act_objection(appointment)
        if objection:
            refuse(appointment, "confirm_not_possible", status=appointment.status)
            return objection
        if state.confirmed_at is None:
            state.confirmed_at = timezone.now()
            state.save(update_fields=["confirmed_at"])
            record("public.presence_confirmed", actor=None, target=appointment)
    return None


def request_move(appointment: Appointment, reason: str) -> str | None:
    """Ask to move the convocation; one pending request at a time (a second click is the same
    request). Nothing changes on the convocation. Returns a French refusal, or None."""
    objection = act_objection(appointment)
    if objection:
        refuse(appointment, "move_not_possible", status=appointment.status)
        return objection
    try:
        with transaction.atomic():
            if MoveRequest.objects.filter(
                appointment=appointment, status=MoveRequest.Status.PENDING
            ).exists():
                return None
            MoveRequest.objects.create(appointment=appointment, reason=reason)
            record("public.move_requested", actor=None, target=appointment)
    except IntegrityError:  # a parallel click created it first
        pass
    return None


# --- Answers (agents) ------------------------------------------------------------------


def answer_move_request(*, agent: Agent, move: MoveRequest, accept: bool, answer: str) -> bool:
    """Accept or refuse a pending request; False when it was already answered (double click)."""
    status = MoveRequest.Status.ACCEPTED if accept else MoveRequest.Status.REFUSED
    with transaction.atomic():
        updated = MoveRequest.objects.filter(pk=move.pk, status=MoveRequest.Status.PENDING).update(
            status=status, answer=answer, answered_at=timezone.now(), answered_by=agent
        )
        if not updated:
            return False
        record(
            "public.move_accepted" if accept else "public.move_declined",
            actor=agent,
            target=move.appointment,
            details={"request": move.pk},
        )
    move.refresh_from_db()
    return True


# What the person is told after acting (``?fait=``), on the personal link and in the space.
DONE_MESSAGES = {
    "confirme": "Merci : votre présence est confirmée.",
    "report": (
        "Votre demande est envoyée au service. Tant qu’il n’a pas répondu, "
        "votre convocation reste prévue à la date indiquée."
    ),
}


def person_side(appointment: Appointment, done: str) -> dict[str, Any]:
    """What ``public/_convocation_actions.html`` shows: the presence confirmed or not, the
    last move requests and their answers, why the person may no longer act."""
    state = LinkState.objects.filter(appointment=appointment).first()
    moves = list(MoveRequest.objects.filter(appointment=appointment)[:5])
    return {
        "confirmed": bool(state and state.confirmed_at),
        "moves": moves,
        "pending": any(move.status == MoveRequest.Status.PENDING for move in moves),
        "objection": act_objection(appointment),
        "done": DONE_MESSAGES.get(done, ""),
    }
