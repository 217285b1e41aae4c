"""State changes of the probationer space: invitations (agents), accounts, sessions and
password resets (the person). Every step and every refusal is in history, on the person.

The person acts without being an agent: ``actor=None``, the person as target, the client
address noted by the request context. Refusals return a French sentence for the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jalon.access import lockout
from jalon.access.models import Agent
from jalon.access.rules.space import can_invite_to_space
from jalon.history.actions import record
from jalon.people.models import Person
from jalon.sms.actions import queue_account_message
from jalon.sms.models import AccountKind
from jalon.space import tokens
from jalon.space.models import Attempt, Invitation, ResetCode, SpaceAccount, SpaceSession

INVITATION_DAYS = 7
CODE_MINUTES = 15
# A session ends after this long without a page, and in any case after ``SESSION_MAX``.
SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=12)
# Sliding window of the rate limits, and the limits per number and per client address.
WINDOW = timedelta(hours=1)
LIMITS: dict[str, tuple[int, int]] = {
    Attempt.Kind.LOGIN_FAILED: (10, 30),  # per number: the lockout decides first
    Attempt.Kind.CODE_ASKED: (3, 10),
    Attempt.Kind.CODE_FAILED: (10, 20),
    Attempt.Kind.INVITATION_FAILED: (5, 20),
}
TOO_MANY = (
    "Trop d’essais en peu de temps, pour votre sécurité. Réessayez dans une heure, ou "
    "contactez le service qui vous suit."
)

Status = Invitation.Status


def refuse(person: Person | None, reason: str, **details: Any) -> None:
    """Record a refusal on the person's side (expired link, wrong number, wrong code …)."""
    record("space.refused", actor=None, target=person, details={"reason": reason, **details})


# --- Rate limits ------------------------------------------------------------------------


def throttled(kind: str, phone: str, address: str) -> bool:
    """Whether the number or the client address reached ``kind``'s limit (one query)."""
    per_phone, per_address = LIMITS[kind]
    since = timezone.now() - WINDOW
    recent = Attempt.objects.filter(kind=kind, at__gte=since)
    counts = {
        "phone": recent.filter(phone=phone).count() if phone else 0,
        "address": recent.filter(address=address).count() if address else 0,
    }
    return counts["phone"] >= per_phone or counts["address"] >= per_address


def note_attempt(kind: str, phone: str, address: str) -> None:
    now = timezone.now()
    Attempt.objects.create(kind=kind, phone=phone, address=address, at=now)
    Attempt.objects.filter(at__lt=now - WINDOW).delete()


# --- Invitation (agents) ----------------------------------------------------------------


def invitation_status(person: Person) -> tuple[str, Invitation | None]:
    """The status shown on the person's page, and the latest invitation."""
    latest = Invitation.objects.filter(person=person).first()
    if SpaceAccount.objects.filter(person=person).exists():
        return Status.ACCOUNT_CREATED, latest
    if latest is None:
        return Status.NOT_INVITED, None
    return latest.status, latest


@dataclass(frozen=True)
class InviteOutcome:
    done: bool
    message: str  # French, for the agent


def invite(*, agent: Agent, person: Person, seen_status: str) -> InviteOutcome:
    """Send the invitation, or re-send it once; ``seen_status`` is the status the agent saw,
    so that a double click or a colleague's click does nothing twice."""
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",))
            .prefetch_related("follows")
            .get(pk=person.pk)
        )
        if not can_invite_to_space(agent, person):
            refuse(person, "invite_not_allowed")
            return InviteOutcome(False, "Vous ne pouvez pas inviter cette personne.")
        status, latest = invitation_status(person)
        if status != seen_status:
            return InviteOutcome(False, "L’invitation a déjà été traitée entre-temps.")
        now = timezone.now()
        if status in (Status.NOT_INVITED, Status.EXPIRED):
            invitation = Invitation.objects.create(
                person=person,
                phone=person.phone or "",
                nonce=tokens.new_nonce(),
                created_at=now,
                created_by=agent,
                expires_at=now + timedelta(days=INVITATION_DAYS),
            )
            action, text = "space.invited", "Invitation envoyée par SMS."
        elif status == Status.INVITED and latest is not None:
            invitation = latest
            invitation.nonce = tokens.new_nonce()  # the first link stops working
            invitation.phone = person.phone or ""
            invitation.resent_at, invitation.resent_by = now, agent
            invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
            action, text = "space.invitation_resent", "Invitation renvoyée par SMS."
        else:
            refuse(person, "invite_again", status=status)
            reason = (
                "La personne a déjà créé son compte."
                if status == Status.ACCOUNT_CREATED
                else "L’invitation a déjà été renvoyée une fois."
            )
            return InviteOutcome(False, reason)
        invitation.message = queue_account_message(
            person=person, service=agent.service, kind=AccountKind.INVITATION, agent=agent
        )
        invitation.save()
        record(action, actor=agent, target=person, details={"invitation": invitation.pk})
    return InviteOutcome(True, text)


@dataclass(frozen=True)
class LinkCheck:
    invitation: Invitation | None
    refusal: str | None  # French
    status: int = 200


def check_invitation(token: str) -> LinkCheck:
    """The invitation a link names, if still usable; else why not (recorded)."""
    number = tokens.invitation_id(token)
    invitation = (
        Invitation.objects.select_related("person").filter(pk=number).first()
        if number is not None
        else None
    )
    if invitation is None or not tokens.invitation_matches(token, invitation.pk, invitation.nonce):
        refuse(invitation.person if invitation else None, "invitation_invalid")
        return LinkCheck(
            None,
            "Ce lien n’est pas valable. Vérifiez qu’il est complet, ou utilisez le dernier SMS "
            "d’invitation reçu : un lien renvoyé remplace le précédent.",
            404,
        )
    if (
        invitation.used_at is not None
        or SpaceAccount.objects.filter(person_id=invitation.person_id).exists()
    ):
        refuse(invitation.person, "invitation_used")
        return LinkCheck(
            None,
            "Ce lien a déjà servi : votre compte existe. Connectez-vous avec votre numéro de "
            "téléphone et votre mot de passe.",
            410,
        )
    if invitation.is_expired:
        refuse(invitation.person, "invitation_expired")
        return LinkCheck(
            None,
            "Ce lien a expiré : il était valable 7 jours. Demandez au service qui vous suit de "
            "vous envoyer une nouvelle invitation.",
            410,
        )
    return LinkCheck(invitation, None)


def password_errors(password: str, person: Person, phone: str) -> list[str]:
    """The agents' password policy (AUTH_PASSWORD_VALIDATORS), as French sentences."""
    # An unsaved agent carries the names for the similarity check (the validators read a
    # user model's fields).
    user = Agent(first_name=person.first_names, last_name=person.last_name, email="")
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return list(error.messages)
    return []


@dataclass(frozen=True)
class Created:
    account: SpaceAccount | None
    refusal: str | None  # French, about the number or the link
    number_wrong: bool = False


def create_account(*, invitation: Invitation, phone: str, password: str, address: str) -> Created:
    """The person accepts: the number typed must be the invited one; the link is used once.

    The password was checked by the form (``password_errors``)."""
    person = invitation.person
    if throttled(Attempt.Kind.INVITATION_FAILED, invitation.phone, address):
        refuse(person, "invitation_throttled")
        return Created(None, TOO_MANY)
    if phone != invitation.phone:
        note_attempt(Attempt.Kind.INVITATION_FAILED, invitation.phone, address)
        refuse(person, "invitation_wrong_number")
        return Created(
            None,
            "Ce numéro n’est pas celui auquel l’invitation a été envoyée. Saisissez le numéro "
            "de téléphone portable qui a reçu le SMS.",
            number_wrong=True,
        )
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.used_at is not None or locked.nonce != invitation.nonce:
                refuse(person, "invitation_used")
                return Created(None, "Ce lien a déjà servi : connectez-vous.")
            account = SpaceAccount.objects.create(
                person=person, phone=phone, password=make_password(password)
            )
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at"])
            record(
                "space.account_created",
                actor=None,
                target=person,
                details={"invitation": locked.pk},
            )
    except IntegrityError:
        refuse(person, "account_exists")
        return Created(None, "Un compte existe déjà pour ce numéro : connectez-vous.")
    return Created(account, None)


# --- Login and sessions (the person) -----------------------------------------------------


def _lock_key(phone: str) -> str:
    return f"espace:{phone}"


def _minutes(lock: lockout.Lock) -> str:
    minutes = lock.minutes_left
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


@dataclass(frozen=True)
class LoginOutcome:
    account: SpaceAccount | None
    refusal: str | None


def log_in(*, phone: str, password: str, address: str) -> LoginOutcome:
    """Check the number and password, with the agents' lockout (``access/lockout.py``, on its
    own keys) and a limit per client address across numbers."""
    account = SpaceAccount.objects.select_related("person").filter(phone=phone).first()
    person = account.person if account else None
    if throttled(Attempt.Kind.LOGIN_FAILED, "", address):
        refuse(person, "login_throttled")
        return LoginOutcome(None, TOO_MANY)
    lock = lockout.current_lock(_lock_key(phone), address)
    if lock is not None:
        refuse(person, "login_locked")
        return LoginOutcome(None, locked_message(lock))
    valid = (
        account is not None
        and account.is_active
        and not account.person.is_archived
        and check_password(password, account.password)
    )
    if not valid:
        note_attempt(Attempt.Kind.LOGIN_FAILED, phone, address)
        lock = lockout.record_failure(_lock_key(phone), address)
        refuse(person, "login_failed")
        if lock is not None:
            record("space.locked_out", actor=None, target=person)
            return LoginOutcome(None, locked_message(lock))
        return LoginOutcome(
            None,
            "Numéro ou mot de passe incorrect. Après 3 essais, la connexion est bloquée "
            "pendant 30 minutes.",
        )
    assert account is not None
    lockout.clear_address(_lock_key(phone), address)
    account.last_login_at = timezone.now()
    account.save(update_fields=["last_login_at"])
    record("space.logged_in", actor=None, target=account.person)
    return LoginOutcome(account, None)


def locked_message(lock: lockout.Lock) -> str:
    return (
        "La connexion à ce compte est bloquée après plusieurs mots de passe incorrects, pour "
        f"votre sécurité. Réessayez dans {_minutes(lock)}, ou choisissez un nouveau mot de "
        "passe avec « Mot de passe oublié ? »."
    )


def open_session(account: SpaceAccount) -> str:
    """A new session; returns the cookie value (only its hash is stored)."""
    key = tokens.new_session_key()
    SpaceSession.objects.create(account=account, key_hash=tokens.session_hash(key))
    SpaceSession.objects.filter(last_seen_at__lt=timezone.now() - SESSION_IDLE).delete()
    return key


def session_account(key: str | None) -> SpaceAccount | None:
    """The account of a live session cookie, extending its idle time; None otherwise."""
    if not key:
        return None
    session = (
        SpaceSession.objects.select_related("account__person")
        .filter(key_hash=tokens.session_hash(key))
        .first()
    )
    if session is None:
        return None
    now = timezone.now()
    account = session.account
    if (
        session.last_seen_at < now - SESSION_IDLE
        or session.created_at < now - SESSION_MAX
        or not account.is_active
        or account.person.is_archived
    ):
        session.delete()
        return None
    if session.last_seen_at < now - timedelta(minutes=1):  # one write a minute at most
        SpaceSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return account


def close_session(key: str | None) -> None:
    if key:
        SpaceSession.objects.filter(key_hash=tokens.session_hash(key)).delete()


# --- Forgotten password (the person) -----------------------------------------------------


def send_reset_code(*, phone: str, address: str) -> str | None:
    """Send a code when the number has an account; the answer is the same either way, so it
    reveals no account. Returns a French refusal when a rate limit is reached."""
    account = SpaceAccount.objects.select_related("person").filter(phone=phone).first()
    person = account.person if account else None
    if throttled(Attempt.Kind.CODE_ASKED, phone, address):
        refuse(person, "code_throttled")
        return TOO_MANY
    note_attempt(Attempt.Kind.CODE_ASKED, phone, address)
    if account is None or not account.is_active or not account.person.can_receive_sms:
        refuse(person, "code_no_account")
        return None
    service = _service_of(account)
    if service is None:
        refuse(person, "code_no_service")
        return None
    with transaction.atomic():
        now = timezone.now()
        code = ResetCode.objects.create(
            account=account,
            nonce=tokens.new_nonce(),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        code.message = queue_account_message(
            person=account.person, service=service, kind=AccountKind.CODE, agent=None
        )
        code.save(update_fields=["message"])
        record("space.reset_code_sent", actor=None, target=account.person)
    return None


def _service_of(account: SpaceAccount) -> Any:
    """The service the code SMS is counted for: one following the person, else the one that
    sent the invitation."""
    follow = account.person.follows.select_related("service").order_by("since").first()
    if follow is not None:
        return follow.service
    invitation = Invitation.objects.filter(person_id=account.person_id).select_related(
        "created_by__service"
    )
    first = invitation.first()
    return first.created_by.service if first and first.created_by else None


@dataclass(frozen=True)
class CodeCheck:
    code: ResetCode | None
    refusal: str | None  # French, about the code


def check_reset_code(*, phone: str, given: str, address: str) -> CodeCheck:
    """The latest code of the number, if ``given`` is it and it is still usable."""
    account = SpaceAccount.objects.select_related("person").filter(phone=phone).first()
    person = account.person if account else None
    if throttled(Attempt.Kind.CODE_FAILED, phone, address):
        refuse(person, "code_throttled")
        return CodeCheck(None, TOO_MANY)
    code = ResetCode.objects.filter(account=account).first() if account else None
    if code is None or not code.is_usable:
        note_attempt(Attempt.Kind.CODE_FAILED, phone, address)
        refuse(person, "code_expired")
        return CodeCheck(
            None, "Ce code a expiré ou a déjà servi : demandez un nouveau code ci-dessous."
        )
    if not tokens.code_matches(given, code.pk, code.nonce):
        note_attempt(Attempt.Kind.CODE_FAILED, phone, address)
        ResetCode.objects.filter(pk=code.pk).update(failures=code.failures + 1)
        refuse(person, "code_wrong")
        left = ResetCode.MAX_FAILURES - code.failures - 1
        if left <= 0:
            return CodeCheck(None, "Code incorrect, et plus d’essai : demandez un nouveau code.")
        plural = "s" if left > 1 else ""
        return CodeCheck(None, f"Code incorrect. Il vous reste {left} essai{plural}.")
    return CodeCheck(code, None)


def reset_password(*, code: ResetCode, password: str) -> bool:
    """Use the code once: new password, every session closed, every lock lifted."""
    with transaction.atomic():
        if not ResetCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        ):
            return False
        account = code.account
        account.password = make_password(password)
        account.save(update_fields=["password"])
        SpaceSession.objects.filter(account=account).delete()
        lockout.clear(_lock_key(account.phone))
        record("space.password_reset", actor=None, target=account.person)
    return True


# --- The SMS texts (registered with sms.content) ------------------------------------------


def account_text(message: Any) -> tuple[str, str]:
    """(text sent, text kept) of a space SMS: the link or code is never kept."""
    from jalon.core import links

    if message.kind == AccountKind.INVITATION:
        invitation = Invitation.objects.filter(message=message).first()
        if invitation is None:
            raise LookupError(f"No invitation for message {message.pk}")
        path = f"/espace/invitation/{tokens.invitation_token(invitation.pk, invitation.nonce)}"
        url = links.public_url(path) or path
        text = (
            "Justice : votre service de suivi vous invite à créer votre espace personnel "
            f"(vos convocations). Lien valable 7 jours : {url}"
        )
        return text, text.replace(url, "[lien personnel]")
    code = ResetCode.objects.filter(message=message).first()
    if code is None:
        raise LookupError(f"No reset code for message {message.pk}")
    secret = tokens.reset_code(code.pk, code.nonce)
    text = (
        f"Justice : votre code pour changer le mot de passe de votre espace personnel est "
        f"{secret}. Valable 15 minutes. Ne le donnez à personne."
    )
    return text, text.replace(secret, "[code]")
