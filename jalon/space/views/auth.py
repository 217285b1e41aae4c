"""The person's way in: accepting the invitation, logging in and out, a forgotten password.

No agent session here: these views are ``login_not_required`` and speak only to the space's
own session (``sessions.py``). Each refusal is recorded by the actions.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jalon.access.lockout import client_address
from jalon.space import actions, sessions
from jalon.space.forms import AcceptInvitationForm, AskCodeForm, LoginForm, ResetForm
from jalon.space.sessions import no_store

DONE = {
    "mot-de-passe": "Votre mot de passe est changé. Connectez-vous avec le nouveau.",
    "deconnecte": "Vous êtes déconnecté(e).",
}


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return no_store(render(request, f"space/{template}", context, status=status))


def refusal_page(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return _page(request, "refused.html", {"title": title, "text": text}, status)


def _logged_in(account_key: str, to: str = "space_home") -> HttpResponse:
    response = redirect(to)
    sessions.set_cookie(response, account_key)
    return no_store(response)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    checked = actions.check_invitation(token)
    if checked.invitation is None:
        return refusal_page(request, "Invitation impossible", checked.refusal or "", checked.status)
    invitation = checked.invitation
    if request.method != "POST":
        return _page(request, "invitation.html", {"form": AcceptInvitationForm()})
    form = AcceptInvitationForm(request.POST)
    if form.is_valid():
        errors = actions.password_errors(
            form.cleaned_data["password1"], invitation.person, form.cleaned_data["phone"]
        )
        for error in errors:
            form.add_error("password1", error)
    if not form.is_valid():
        return _page(request, "invitation.html", {"form": form}, 400)
    created = actions.create_account(
        invitation=invitation,
        phone=form.cleaned_data["phone"],
        password=form.cleaned_data["password1"],
        address=client_address(request),
    )
    if created.account is None:
        if created.number_wrong:
            form.add_error("phone", created.refusal or "")
            return _page(request, "invitation.html", {"form": form}, 400)
        return refusal_page(request, "Invitation impossible", created.refusal or "", 409)
    return _logged_in(actions.open_session(created.account))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    done = DONE.get(request.GET.get("fait", ""))
    if request.method != "POST":
        return _page(request, "login.html", {"form": LoginForm(), "done": done})
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _page(request, "login.html", {"form": form}, 400)
    outcome = actions.log_in(
        phone=form.cleaned_data["phone"],
        password=form.cleaned_data["password"],
        address=client_address(request),
    )
    if outcome.account is None:
        form.add_error(None, outcome.refusal or "")
        return _page(request, "login.html", {"form": form}, 400)
    return _logged_in(actions.open_session(outcome.account))


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    actions.close_session(request.COOKIES.get(sessions.COOKIE))
    response = redirect("/espace/connexion/?fait=deconnecte")
    sessions.clear_cookie(response)
    return no_store(response)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def forgotten_password(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "forgotten.html", {"form": AskCodeForm()})
    form = AskCodeForm(request.POST)
    if not form.is_valid():
        return _page(request, "forgotten.html", {"form": form}, 400)
    phone = form.cleaned_data["phone"]
    refusal = actions.send_reset_code(phone=phone, address=client_address(request))
    if refusal:
        form.add_error(None, refusal)
        return _page(request, "forgotten.html", {"form": form}, 429)
    return _page(request, "reset.html", {"form": ResetForm(initial={"phone": phone})})


@login_not_required
@require_POST
def reset_password(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _page(request, "reset.html", {"form": form}, 400)
    phone = form.cleaned_data["phone"]
    checked = actions.check_reset_code(
        phone=phone, given=form.cleaned_data["code"], address=client_address(request)
    )
    if checked.code is None:
        form.add_error("code", checked.refusal or "")
        return _page(request, "reset.html", {"form": form}, 400)
    account = checked.code.account
    for error in actions.password_errors(form.cleaned_data["password1"], account.person, phone):
        form.add_error("password1", error)
    if form.errors:
        return _page(request, "reset.html", {"form": form}, 400)
    if not actions.reset_password(code=checked.code, password=form.cleaned_data["password1"]):
        form.add_error("code", "Ce code a déjà servi : demandez un nouveau code.")
        return _page(request, "reset.html", {"form": form}, 400)
    return no_store(redirect("/espace/connexion/?fait=mot-de-passe"))
