"""Single-use links to choose a password: a short-lived one for "Mot de passe oublié ?"
(Django's default, ``PASSWORD_RESET_TIMEOUT``) and a longer one for invitations.

Both tokens are bound to the current password hash and last login, so a link stops
working as soon as it has been used.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

INVITATION_DAYS = 7


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "jalon.access.tokens.InvitationTokenGenerator"

    def __init__(self) -> None:
        super().__init__()
        self.timeout = INVITATION_DAYS * 24 * 3600


invitation_token_generator = InvitationTokenGenerator()


def invitation_path(agent: object) -> str:
    from django.urls import reverse

    uid = urlsafe_base64_encode(force_bytes(agent.pk))  # type: ignore[attr-defined]
    token = invitation_token_generator.make_token(agent)  # type: ignore[arg-type]
    return reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})
