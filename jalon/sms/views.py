"""SMS screens (failed queue, development outbox) and the provider's webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_message
from jalon.access.rules import sms as rules
from jalon.core.env import Environment
from jalon.history.actions import record_person_read
from jalon.people.actions import set_sms_refusal
from jalon.sms import actions, optout
from jalon.sms.models import Message
from jalon.sms.providers import linkmobility

logger = logging.getLogger(__name__)
PAGE_SIZE = 50


def failed_queue(request: AgentRequest) -> HttpResponse:
    """ "SMS en échec" of the agent's service, with "renvoyer"."""
    agent = request.agent
    failed = (
        Message.objects.filter(
            service_id=agent.service_id, status=Message.Status.FAILED, appointment__isnull=False
        )
        .select_related("person", "appointment__appointment_type")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(failed, PAGE_SIZE).get_page(request.GET.get("page"))
    record_person_read(
        "sms_failed_queue", actor=agent, persons=[message.person for message in page]
    )
    return render(request, "sms/failed_queue.html", {"page": page})


@require_POST
def resend(request: AgentRequest, message_id: int) -> HttpResponse:
    agent = request.agent
    message = access_message(agent, message_id)
    appointment = message.appointment
    if appointment is None:  # not reached: access_message loads convocations' SMS only
        raise PermissionDenied
    if not rules.can_resend_sms(agent, appointment):
        raise PermissionDenied
    if actions.resend(agent=agent, message=message):
        messages.success(request, "Le SMS va être renvoyé.")
    else:
        messages.error(
            request,
            "Ce SMS ne peut pas être renvoyé (il n’est pas en échec, ou la personne ne reçoit plus de SMS).",
        )
    return redirect("appointment_detail", appointment.pk)


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """What the development provider "sent": only with ``JALON_SMS_PROVIDER=dev``."""
    if settings.JALON_SMS_PROVIDER != "dev" or settings.JALON_ENV == "production":
        raise Http404
    sent = Message.objects.exclude(text="").select_related("person").order_by("-pk")[:100]
    return render(request, "sms/dev_outbox.html", {"sent": sent})


# --- Webhooks (public, authenticated by an HMAC signature of the body) -----------------
# Formats: LINK Mobility's delivery reports and MO messages (docs/jobs.md). Each carries
# its ``timestamp``, covered by the signature: one outside ``WEBHOOK_WINDOW`` of now is
# refused, so a captured request cannot be replayed later.

WEBHOOK_WINDOW = timedelta(seconds=Environment().get_int("JALON_SMS_WEBHOOK_WINDOW_SECONDS", 600))


def _signed_payload(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    expected = hmac.new(
        settings.JALON_SMS_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Jalon-Signature", "")):
        logger.warning("sms webhook with a bad signature", extra={"path": request.path})
        return JsonResponse({"error": "signature invalide"}, status=401)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "corps JSON illisible"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "un objet JSON est attendu"}, status=400)
    return payload


def _outside_window(at: datetime, request: HttpRequest) -> HttpResponse | None:
    if abs(timezone.now() - at) <= WEBHOOK_WINDOW:
        return None
    logger.warning("sms webhook outside its time window", extra={"path": request.path})
    minutes = int(WEBHOOK_WINDOW.total_seconds() // 60)
    return JsonResponse(
        {"error": f"horodatage à plus de {minutes} minutes de l’heure actuelle : refusé"},
        status=400,
    )


@login_not_required
@csrf_exempt
@require_POST
def receipt_webhook(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if isinstance(payload, HttpResponse):
        return payload
    report = linkmobility.parse_report(payload)
    if isinstance(report, str):
        return JsonResponse({"error": report}, status=400)
    if (refused := _outside_window(report.at, request)) is not None:
        return refused
    try:
        uuid.UUID(report.reference)
    except ValueError:
        message = None
    else:
        message = actions.apply_receipt(report=report)
    if message is None:
        logger.warning(
            "sms receipt for an unknown reference", extra={"reference": report.reference[:64]}
        )
        return JsonResponse({"error": "référence inconnue"}, status=404)
    return JsonResponse({"status": message.status})


@login_not_required
@csrf_exempt
@require_POST
def inbound_webhook(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if isinstance(payload, HttpResponse):
        return payload
    inbound = linkmobility.parse_inbound(payload)
    if isinstance(inbound, str):
        return JsonResponse({"error": inbound}, status=400)
    source, text, at = inbound
    if (refused := _outside_window(at, request)) is not None:
        return refused
    return JsonResponse({"opted_out": actions.apply_inbound(source=source, text=text, sent_at=at)})


@login_not_required
def stop_link(request: HttpRequest, token: str) -> HttpResponse:
    """The personal STOP link of an SMS: confirm, then record the refusal (POST only)."""
    message = optout.message_for(token)
    if message is None:
        return render(request, "sms/stop.html", {"invalid": True}, status=404)
    done = message.person.refuses_sms
    if request.method == "POST" and not done:
        set_sms_refusal(person=message.person, refused=True, agent=None, source="lien")
        actions.cancel_person_pending(message.person)
        done = True
    return render(request, "sms/stop.html", {"done": done, "token": token})
