"""The probationer space: invitations, accounts, sessions and reset codes (issue 17, 1–5).

A ``SpaceAccount`` is not an agent: it is not ``AUTH_USER_MODEL``, it has its own session
table (``SpaceSession``) and cookie, and it opens only ``/espace/`` (docs/space.md).
Secrets are never stored: an invitation link and a reset code are HMACs of the row and of a
random ``nonce`` (``tokens.py``), recomputed when the SMS leaves and when the person types
them; a session cookie is stored as its SHA-256.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Invitation(models.Model):
    """An SMS inviting a person to create their account; single use, valid 7 days, re-sent
    at most once (the re-sent link replaces the first one)."""

    class Status(models.TextChoices):
        NOT_INVITED = "not_invited", "Non invitée"
        INVITED = "invited", "Invitée"
        RESENT = "resent", "Invitation renvoyée"
        ACCOUNT_CREATED = "account_created", "Compte créé"
        EXPIRED = "expired", "Invitation expirée"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="space_invitations"
    )
    phone = models.CharField("numéro invité", max_length=20)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    created_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField("valable jusqu’au")
    resent_at = models.DateTimeField("renvoyée le", null=True, blank=True)
    resent_by = models.ForeignKey(
        "access.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)
    message = models.ForeignKey(
        "sms.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "invitation à l’espace personnel"
        verbose_name_plural = "invitations à l’espace personnel"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.used_at is None and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.used_at is not None:
            return self.Status.ACCOUNT_CREATED
        if self.is_expired:
            return self.Status.EXPIRED
        return self.Status.RESENT if self.resent_at else self.Status.INVITED


class SpaceAccount(models.Model):
    """A person's account: their mobile number is the login. Not an agent, not a Django user."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="space_account"
    )
    phone = models.CharField("numéro de téléphone portable", max_length=20, unique=True)
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "compte de l’espace personnel"
        verbose_name_plural = "comptes de l’espace personnel"

    def __str__(self) -> str:
        return f"Compte de l’espace personnel {self.pk}"


class SpaceSession(models.Model):
    """A logged-in browser: the cookie holds a random token, the table its SHA-256."""

    account = models.ForeignKey(SpaceAccount, on_delete=models.CASCADE, related_name="sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "session de l’espace personnel"
        verbose_name_plural = "sessions de l’espace personnel"
        indexes = [models.Index(fields=["last_seen_at"], name="space_session_seen")]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class ResetCode(models.Model):
    """A code sent by SMS to choose a new password: 6 digits, valid 15 minutes, 5 tries."""

    MAX_FAILURES = 5

    account = models.ForeignKey(SpaceAccount, on_delete=models.CASCADE, related_name="codes")
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    message = models.ForeignKey(
        "sms.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "code de réinitialisation"
        verbose_name_plural = "codes de réinitialisation"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Code {self.pk}"

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None
            and self.failures < self.MAX_FAILURES
            and self.expires_at > timezone.now()
        )


class Attempt(models.Model):
    """One rate-limited attempt (a code asked, a wrong code or number, a failed login) by
    number and by client address; counted over a sliding window, pruned as new ones come."""

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", "Connexion refusée"
        CODE_ASKED = "code_asked", "Code demandé"
        CODE_FAILED = "code_failed", "Code erroné"
        INVITATION_FAILED = "invitation_failed", "Numéro erroné à l’invitation"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tentative"
        indexes = [
            models.Index(fields=["kind", "phone", "at"], name="space_attempt_phone"),
            models.Index(fields=["kind", "address", "at"], name="space_attempt_address"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=""), name="space_attempt_has_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
