"""Project-level pages: the agent's home page and the health probes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache

from jalon.access import rules
from jalon.access.http import AgentRequest
from jalon.access.rules import people as people_rules
from jalon.appointments.discipline import outcome_backlog
from jalon.core import request_context
from jalon.home import home_blocks


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: rendered without context processors or the database, which may be
    what failed, with the request id to quote to support."""
    current = request_context.current()
    html = loader.get_template("500.html").render(
        {
            "request_id": current.request_id if current else "",
            "page": request.get_full_path(),
            "support_email": settings.JALON_SUPPORT_EMAIL,
        }
    )
    return HttpResponseServerError(html)


def home(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    return render(
        request,
        "home.html",
        {
            "is_national_admin": rules.is_national_admin(agent),
            "can_create_person": people_rules.can_create_person(agent),
            "backlog": outcome_backlog(agent),
            "blocks": home_blocks(agent),
        },
    )


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (déclaration d’accessibilité), public: what was measured
    (docs/accessibility.md), linked from every footer."""
    return render(request, "accessibility.html")


@login_not_required
@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    """Process liveness, for the container's restart probe: no database, no session.

    It is also the benchmark's trivial view: the framework's own limit on the same server.
    """
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and worker liveness, for the load balancer and monitoring."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure to reach the database means "down"
        checks["database"] = "down"
        checks["worker"] = "unknown"
        return JsonResponse({"status": "down", "checks": checks}, status=503)
    from procrastinate.contrib.django.models import ProcrastinateWorker

    fresh_since = timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE
    alive = ProcrastinateWorker.objects.filter(last_heartbeat__gte=fresh_since).exists()
    checks["worker"] = "ok" if alive else "down"
    healthy = alive
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )
