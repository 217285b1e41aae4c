"""Login, lockout, password reset and invitation, charter, second factor, session keep-alive."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.access import actions, lockout, oidc, second_factor
from jalon.access.decorators import gate_exempt, keeps_session_idle
from jalon.access.forms import CharterForm, ChoosePasswordForm, LoginForm, TwoFactorCodeForm
from jalon.access.http import AgentRequest
from jalon.access.tokens import invitation_token_generator


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return str(reverse_lazy(default))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["proconnect"] = oidc.enabled()
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """A locked account (MSJ-76) gets the login page with why and what to do, in 429."""
        lock = getattr(self.request, "login_lock", None)
        if lock is None:
            return super().form_invalid(form)
        form.errors.pop(NON_FIELD_ERRORS, None)
        context = self.get_context_data(form=form, locked_message=lock.message)
        return self.render_to_response(context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié ? » (MSJ-75): same answer whether or not the address exists."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    history_action = "auth.password_reset"

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        from jalon.history.actions import record

        response = super().form_valid(form)
        lockout.clear(form.user.email)  # proving ownership of the mailbox lifts the lockout
        record(self.history_action, actor=form.user, target=form.user)
        return response


class InvitationAcceptView(PasswordResetConfirmView):
    token_generator = invitation_token_generator
    history_action = "auth.invitation_accepted"
    reset_url_token = "choisir-mot-de-passe"  # noqa: S105 - a URL segment, not a secret
    extra_context = {"invitation": True}


@gate_exempt
def charter(request: AgentRequest) -> HttpResponse:
    """The security charter, to accept once before anything else (MSJ-74)."""
    agent = request.agent
    form = CharterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.accept_charter(agent, agent=agent)
        return redirect(_safe_next(request))
    return render(
        request,
        "access/charter.html",
        {"form": form, "accepted_at": agent.charter_accepted_at, "next": _safe_next(request)},
    )


def _qr_code_data_uri(config_url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@gate_exempt
def two_factor(request: AgentRequest) -> HttpResponse:
    """Enrol an authenticator (first time) or check its code (every login)."""
    agent = request.agent
    if second_factor.satisfied(request):
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=agent, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(
            user=agent, confirmed=False
        ).first() or TOTPDevice.objects.create(
            user=agent, name="Application d’authentification", confirmed=False
        )
    assert device is not None
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", "Trop d’essais successifs : patientez quelques secondes avant de réessayer."
            )
        elif device.verify_token(form.cleaned_code()):
            if enrolling:
                actions.confirm_two_factor_device(device, agent=agent)
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "code", "Ce code n’est pas valide ou a expiré. Saisissez le code affiché maintenant."
        )
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["qr_code"] = _qr_code_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "access/two_factor.html", context)


@gate_exempt
@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """Pinged by the page while the agent works, so the session does not expire under them."""
    return JsonResponse(
        {"authenticated": True, "idle_seconds": int(settings.IDLE_TIMEOUT.total_seconds())}
    )


@login_not_required
@keeps_session_idle
def session_status(request: HttpRequest) -> JsonResponse:
    """Whether the session is still open, without counting as activity."""
    return JsonResponse({"authenticated": request.user.is_authenticated})


@gate_exempt
@require_POST
def logout_view(request: AgentRequest) -> HttpResponse:
    from django.contrib.auth import logout

    from jalon.access.views import proconnect  # it imports this module
    from jalon.history.actions import record

    agent = request.agent
    id_token = request.session.get(proconnect.ID_TOKEN_SESSION_KEY)
    record("auth.logout", actor=agent, target=agent)
    logout(request)
    # Signed in through ProConnect: its session ends too (the browser goes through the
    # provider's end-session endpoint, which sends it back to proconnect_logged_out).
    provider_logout = proconnect.end_session_page(request, id_token) if id_token else None
    if provider_logout is None:
        messages.info(request, "Vous êtes déconnecté(e).")
    response = provider_logout or redirect("login")
    response["Clear-Site-Data"] = '"storage"'
    return response
