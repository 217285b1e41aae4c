"""Sign-in with ProConnect: start, callback, return from the provider's logout.

Off unless configured (``oidc.config()``): every route answers 404 and the login page shows
no button. The protocol itself is in ``access/oidc.py``; here the session keeps the attempt
(``state``, ``nonce``, PKCE verifier, where to go next), used once, then the ID token for the
logout and whether the provider asserted a multi-factor authentication.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jalon.access import oidc, rules
from jalon.access.models import Agent
from jalon.access.second_factor import PROVIDER_MFA_SESSION_KEY
from jalon.access.views.auth import _safe_next

logger = logging.getLogger(__name__)

ATTEMPT_SESSION_KEY = "_jalon_proconnect_attempt"
ID_TOKEN_SESSION_KEY = "_jalon_proconnect_id_token"  # noqa: S105 - a key name
LOGOUT_STATE_SESSION_KEY = "_jalon_proconnect_logout_state"
BACKEND = "jalon.access.backends.AgentBackend"


def _config_or_404() -> oidc.Config:
    cfg = oidc.config()
    if cfg is None:
        raise Http404("ProConnect n’est pas activé.")
    return cfg


def _absolute(name: str) -> str:
    """The URL registered with ProConnect: built from SITE_URL, never from the Host header."""
    return settings.SITE_URL.rstrip("/") + reverse(name)


def _failure(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "access/proconnect_failed.html", status=status)


@login_not_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The ProConnect button: a fresh state, nonce and PKCE verifier, then the provider.

    A GET link rather than a form: the CSP's ``form-action 'self'`` also applies to the
    redirects that follow a form, so a form could not lead to the provider. Starting an
    attempt changes nothing but the session's pending attempt, and the callback only
    accepts the state of that session's attempt (no login CSRF)."""
    cfg = _config_or_404()
    attempt = {
        "state": oidc.new_secret(),
        "nonce": oidc.new_secret(),
        "verifier": oidc.new_secret(),
        "next": _safe_next(request),
    }
    try:
        url = oidc.authorization_url(
            cfg,
            redirect_uri=_absolute("proconnect_callback"),
            state=attempt["state"],
            nonce=attempt["nonce"],
            verifier=attempt["verifier"],
        )
    except oidc.OidcError as error:
        logger.warning("ProConnect unreachable: %s", error)
        return _failure(request, status=502)
    request.session[ATTEMPT_SESSION_KEY] = attempt
    return HttpResponseRedirect(url)


@login_not_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the agent back here with a code and the state."""
    cfg = _config_or_404()
    attempt = request.session.pop(ATTEMPT_SESSION_KEY, None)  # used once, whatever happens
    state = request.GET.get("state", "")
    if (
        not isinstance(attempt, dict)
        or not state
        or not hmac.compare_digest(state, str(attempt.get("state", "")))
    ):
        logger.warning("ProConnect callback with an unknown or already used state")
        return _failure(request, status=400)
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        logger.info("ProConnect answered %s", request.GET.get("error", "without a code"))
        return _failure(request, status=400)
    try:
        sign_in = oidc.complete(
            cfg,
            code=code,
            redirect_uri=_absolute("proconnect_callback"),
            nonce=attempt["nonce"],
            verifier=attempt["verifier"],
        )
    except oidc.OidcError as error:
        logger.warning("ProConnect sign-in refused: %s", error)
        return _failure(request, status=400)
    agent = Agent.objects.with_organisation().filter(email__iexact=sign_in.email).first()
    if agent is None or not agent.is_active:
        if agent is not None:
            from jalon.history.actions import record

            record("auth.proconnect_refused", actor=None, target=agent)
        return render(
            request,
            "access/proconnect_unknown.html",
            {"email": sign_in.email, "deactivated": agent is not None},
            status=403,
        )
    mfa = oidc.asserts_mfa(cfg, sign_in.amr)
    if not rules.requires_two_factor(agent):
        second_factor = "not_required"
    else:
        second_factor = "provider" if mfa else "totp"
    # Read by the user_logged_in receiver (access/signals.py), which writes auth.login.
    request.jalon_login_details = {  # type: ignore[attr-defined]
        "method": "proconnect",
        "amr": list(sign_in.amr),
        "second_factor": second_factor,
    }
    login(request, agent, backend=BACKEND)  # a new session key, as the password login
    request.session[ID_TOKEN_SESSION_KEY] = sign_in.id_token
    request.session[PROVIDER_MFA_SESSION_KEY] = mfa
    return redirect(attempt["next"])


def end_session_page(request: HttpRequest, id_token: str) -> HttpResponse | None:
    """After Jalon’s own logout: the page leading to the end of the ProConnect session."""
    cfg = oidc.config()
    if cfg is None:
        return None
    state = oidc.new_secret()
    url = oidc.end_session_url(
        cfg,
        id_token=id_token,
        state=state,
        post_logout_redirect_uri=_absolute("proconnect_logged_out"),
    )
    if url is None:
        return None
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    # A page that moves on by itself (meta refresh, and a link), not a redirect: the logout
    # is a form, and the CSP's form-action would block redirects to the provider.
    return render(request, "access/proconnect_logout.html", {"end_session_url": url})


@login_not_required
@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    """The provider sends the agent back here once its session has ended."""
    _config_or_404()
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if isinstance(expected, str) and state and hmac.compare_digest(state, expected):
        messages.info(request, "Vous êtes déconnecté(e), de ProConnect aussi.")
    else:
        logger.warning("ProConnect logout return with an unknown state")
    return redirect("login")
