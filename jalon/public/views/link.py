"""The personal link of a convocation SMS (``/c/<token>``), without an account.

The token names the convocation and is signed (``core/links.py``); it opens nothing before
the person types their birth date (``actions.check_birth_date``: a few attempts, then the
link is locked). A successful check leaves a signed cookie, valid ``OPEN_SECONDS`` and only
under this link's path. The page shows the convocation alone: no name, no case, no other
convocation, so that a forwarded SMS reveals nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jalon.appointments.documents import appointment_ics
from jalon.appointments.models import Appointment
from jalon.core import links
from jalon.core.dates import french_date, french_time
from jalon.public import actions
from jalon.public.actions import Check
from jalon.public.forms import BirthDateForm, MoveRequestForm
from jalon.public.models import LinkState

COOKIE = "jalon_convocation"
COOKIE_SALT = "jalon.public.link"
OPEN_SECONDS = 30 * 60


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer
    return response


def _invalid(request: HttpRequest, title: str, text: str, status: int = 404) -> HttpResponse:
    return _no_store(
        render(request, "public/link_invalid.html", {"title": title, "text": text}, status=status)
    )


def _load(request: HttpRequest, token: str) -> Appointment | HttpResponse:
    """The convocation a valid, unexpired token names, or the French refusal page."""
    appointment_id = links.unsign(links.CONVOCATION[0], token, links.CONVOCATION[1])
    appointment = None
    if appointment_id is not None:
        appointment = (
            Appointment.objects.select_related(
                "person", "appointment_type", "agenda__place__service", "service"
            )
            .filter(pk=appointment_id)
            .first()
        )
    if appointment is None:
        actions.refuse(None, "invalid_token")
        return _invalid(
            request,
            "Lien invalide",
            "Ce lien n’est pas valide. Vérifiez qu’il est complet, tel que reçu par SMS, "
            "ou contactez le service qui vous a convoqué(e).",
        )
    if actions.link_expired(appointment):
        actions.refuse(appointment, "expired")
        return _invalid(
            request,
            "Lien expiré",
            "Ce lien n’est plus valable : la convocation est passée. Pour toute question, "
            "contactez le service qui vous suit.",
            status=410,
        )
    return appointment


def _is_open(request: HttpRequest, appointment: Appointment) -> bool:
    value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT, max_age=OPEN_SECONDS)
    return value == str(appointment.pk)


def _convocation_page(
    request: HttpRequest,
    token: str,
    appointment: Appointment,
    move_form: MoveRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return _no_store(
        render(
            request,
            "public/convocation.html",
            {
                "token": token,
                "appointment": appointment,
                "place": appointment.agenda.place,
                "when": (
                    f"{french_date(appointment.local_start.date())} "
                    f"à {french_time(appointment.local_start.time())}"
                ),
                "service_url": f"/s/{links.service_page_token(appointment.service_id)}",
                **actions.person_side(appointment, request.GET.get("fait", "")),
                "move_form": move_form or MoveRequestForm(),
            },
            status=status,
        )
    )


def _check_page(
    request: HttpRequest, form: BirthDateForm, *, status: int = 200, locked: bool = False
) -> HttpResponse:
    return _no_store(
        render(request, "public/link_check.html", {"form": form, "locked": locked}, status=status)
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def convocation(request: HttpRequest, token: str) -> HttpResponse:
    loaded = _load(request, token)
    if isinstance(loaded, HttpResponse):
        return loaded
    appointment = loaded
    if request.method != "POST":
        if _is_open(request, appointment):
            return _convocation_page(request, token, appointment)
        state = LinkState.objects.filter(appointment=appointment).first()
        return _check_page(request, BirthDateForm(), locked=bool(state and state.is_locked))
    form = BirthDateForm(request.POST)
    if not form.is_valid():
        return _check_page(request, form, status=400)
    outcome, left = actions.check_birth_date(appointment, form.cleaned_data["birth_date"])
    if outcome is Check.LOCKED:
        return _check_page(request, BirthDateForm(), status=403, locked=True)
    if outcome is Check.WRONG:
        plural = "s" if left > 1 else ""
        form.add_error(
            "birth_date",
            f"Cette date ne correspond pas. Il vous reste {left} essai{plural} ; "
            "ensuite, ce lien sera bloqué.",
        )
        return _check_page(request, form, status=400)
    response = redirect("public_convocation", token=token)
    response.set_signed_cookie(
        COOKIE,
        str(appointment.pk),
        salt=COOKIE_SALT,
        max_age=OPEN_SECONDS,
        path=f"/c/{token}",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return _no_store(response)


def _opened(request: HttpRequest, token: str) -> Appointment | HttpResponse:
    loaded = _load(request, token)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not _is_open(request, loaded):
        actions.refuse(loaded, "not_checked")
        return redirect("public_convocation", token=token)
    return loaded


@login_not_required
@require_safe
def convocation_ics(request: HttpRequest, token: str) -> HttpResponse:
    loaded = _opened(request, token)
    if isinstance(loaded, HttpResponse):
        return loaded
    response = HttpResponse(appointment_ics(loaded), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="convocation.ics"'
    return _no_store(response)


@login_not_required
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    loaded = _opened(request, token)
    if isinstance(loaded, HttpResponse):
        return loaded
    refusal = actions.confirm_presence(loaded)
    if refusal:
        return _invalid(request, "Confirmation impossible", refusal, status=409)
    return redirect(f"/c/{token}?fait=confirme")


@login_not_required
@require_POST
def move(request: HttpRequest, token: str) -> HttpResponse:
    loaded = _opened(request, token)
    if isinstance(loaded, HttpResponse):
        return loaded
    form = MoveRequestForm(request.POST)
    if not form.is_valid():
        actions.refuse(loaded, "move_invalid_input")
        return _convocation_page(request, token, loaded, move_form=form, status=400)
    refusal = actions.request_move(loaded, form.cleaned_data["reason"])
    if refusal:
        return _invalid(request, "Demande impossible", refusal, status=409)
    return redirect(f"/c/{token}?fait=report")
