"""« Mon compte »: every agent's own password, second factor, open sessions and sharing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.access import actions, sessions
from jalon.access.forms import ChangePasswordForm, ConfirmPasswordForm, SharingForm
from jalon.access.http import AgentRequest
from jalon.access.lookups import access_own_session
from jalon.access.models import AgentSession


def _page(request: AgentRequest, status: int = 200, **forms: Any) -> HttpResponse:
    agent = request.agent
    current = sessions.current_hash(request.session)
    context = {
        "password_form": forms.get("password_form") or ChangePasswordForm(agent),
        "two_factor_form": forms.get("two_factor_form") or ConfirmPasswordForm(agent=agent),
        "sharing_form": forms.get("sharing_form")
        or SharingForm(
            initial={
                "phone": agent.phone,
                "share_phone": agent.share_phone,
                "share_email": agent.share_email,
            }
        ),
        "has_two_factor": TOTPDevice.objects.filter(user=agent, confirmed=True).exists(),
        "sessions": sessions.open_sessions(agent),
        "current_session": current,
    }
    return render(request, "access/account.html", context, status=status)


def account(request: AgentRequest) -> HttpResponse:
    """The page: each section posts to its own URL and comes back here."""
    return _page(request)


@require_POST
def account_password(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    form = ChangePasswordForm(agent, request.POST)
    if not form.is_valid():
        return _page(request, password_form=form)
    ended = actions.change_own_password(
        agent=agent,
        new_password=form.cleaned_data["new_password1"],
        current_session=sessions.current_hash(request.session),
    )
    before = sessions.current_hash(request.session)
    update_session_auth_hash(request, agent)  # this session stays open, under a new key
    sessions.follow_new_key(before, request.session)
    messages.success(
        request,
        "Mot de passe changé."
        + (f" Vos autres sessions ont été fermées ({ended})." if ended else ""),
    )
    return redirect("account")


@require_POST
def account_two_factor_reset(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    form = ConfirmPasswordForm(request.POST, agent=agent)
    if not form.is_valid():
        return _page(request, two_factor_form=form)
    actions.reset_own_two_factor(agent=agent)
    messages.info(
        request, "Double authentification réinitialisée : enregistrez maintenant votre application."
    )
    return redirect(reverse("two_factor") + "?next=" + reverse("account"))


@require_POST
def account_session_end(request: AgentRequest, session_id: int) -> HttpResponse:
    agent = request.agent
    target = access_own_session(agent, session_id)
    if target.key_hash == sessions.current_hash(request.session):
        messages.error(request, "Pour fermer cette session-ci, utilisez « Se déconnecter ».")
        return redirect("account")
    actions.end_own_sessions(agent=agent, hashes=[target.key_hash])
    messages.success(request, "Session fermée.")
    return redirect("account")


@require_POST
def account_sessions_end_others(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    current = sessions.current_hash(request.session) or ""
    others = list(
        AgentSession.objects.filter(agent=agent)
        .exclude(key_hash=current)
        .values_list("key_hash", flat=True)
    )
    ended = actions.end_own_sessions(agent=agent, hashes=others)
    messages.success(
        request,
        f"Autres sessions fermées ({ended})." if ended else "Aucune autre session ouverte.",
    )
    return redirect("account")


@require_POST
def account_sharing(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    form = SharingForm(request.POST)
    if not form.is_valid():
        return _page(request, sharing_form=form)
    changed = actions.update_own_sharing(
        agent=agent,
        phone=form.cleaned_data["phone"],
        share_phone=form.cleaned_data["share_phone"],
        share_email=form.cleaned_data["share_email"],
    )
    messages.success(request, "Préférences enregistrées." if changed else "Rien n’a changé.")
    return redirect("account")
