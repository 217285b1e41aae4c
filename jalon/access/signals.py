"""History of logins and failures, from Django's signals (lockouts: ``access.lockout``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed

HISTORY_LABELS = {
    "auth.login": "Connexion",
    "auth.logout": "Déconnexion",
    "auth.login_failed": "Échec de connexion (mot de passe incorrect)",
    "auth.locked_out": "Compte temporairement bloqué après des échecs de connexion",
    "auth.session_expired": "Session expirée après inactivité",
    "auth.charter_accepted": "Charte de sécurité acceptée",
    "auth.two_factor_enrolled": "Application de double authentification enregistrée",
    "auth.password_reset": "Mot de passe réinitialisé",
    "auth.invitation_accepted": "Invitation acceptée, mot de passe choisi",
    "agent.created": "Agent créé",
    "agent.updated": "Agent modifié",
    "agent.viewed": "Fiche agent consultée",
    "agent.deactivated": "Compte désactivé",
    "agent.reactivated": "Compte réactivé",
    "agent.unlocked": "Compte débloqué",
    "agent.two_factor_reset": "Double authentification réinitialisée",
    "agent.transferred": "Agent muté dans un autre service",
    "agent.operator_changed": "Rôle d’opérateur technique modifié",
}


def _agent_for(username: str | None) -> Any:
    from jalon.access.models import Agent

    if not username:
        return None
    return Agent.objects.filter(email__iexact=username.strip()).first()


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from jalon.history.actions import record

    record("auth.login", actor=user, target=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    from jalon.history.actions import record

    agent = _agent_for(credentials.get("username"))
    if agent is not None:
        record("auth.login_failed", actor=None, target=agent)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="jalon.access.on_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="jalon.access.on_login_failed")
