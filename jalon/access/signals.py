"""History of logins and failures, from Django's signals (lockouts: ``access.lockout``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

HISTORY_LABELS = {
    "auth.login": "Connexion",
    "auth.logout": "Déconnexion",
    "auth.proconnect_refused": "Connexion par ProConnect refusée (compte désactivé)",
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
    "account.password_changed": "Mot de passe changé (Mon compte)",
    "account.two_factor_reset": "Double authentification réinitialisée par l’agent",
    "account.sessions_ended": "Sessions fermées (Mon compte)",
    "account.sharing_updated": "Partage avec les personnes suivies modifié",
    "export.csv": "Liste exportée (CSV)",
    "agent.operator_changed": "Rôle d’opérateur technique modifié",
}


SECOND_FACTOR_SUMMARIES = {
    "not_required": "",
    "provider": ", double authentification assurée par ProConnect",
    "totp": ", code de l’application d’authentification demandé",
}


def login_summary(details: Mapping[str, Any]) -> str:
    """« Par ProConnect, double authentification assurée par ProConnect », « Par mot de passe »."""
    if details["method"] == "proconnect":
        return "Par ProConnect" + SECOND_FACTOR_SUMMARIES[details["second_factor"]]
    return "Par mot de passe"


def _agent_for(username: str | None) -> Any:
    from jalon.access.models import Agent

    if not username:
        return None
    return Agent.objects.filter(email__iexact=username.strip()).first()


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from jalon.access import sessions
    from jalon.history.actions import record

    # The ProConnect callback says how the agent signed in and how the second factor was
    # met (access/views/proconnect.py); every other login is the password one.
    details = getattr(request, "jalon_login_details", None) or {"method": "password"}
    record("auth.login", actor=user, target=user, details=details)
    if request is not None and hasattr(request, "session"):
        sessions.forget_stale(user)
        sessions.touch(request, user)


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from jalon.access import sessions

    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    from jalon.history.actions import record

    agent = _agent_for(credentials.get("username"))
    if agent is not None:
        record("auth.login_failed", actor=None, target=agent)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="jalon.access.on_login")
    user_logged_out.connect(on_logout, dispatch_uid="jalon.access.on_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="jalon.access.on_login_failed")
