from django.conf import settings
from django.http import HttpRequest

from jalon.core import request_context


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_TITLE": settings.JALON_SITE_TITLE,
        "SITE_TAGLINE": settings.JALON_SITE_TAGLINE,
        "SUPPORT_EMAIL": settings.JALON_SUPPORT_EMAIL,
        "IDLE_SECONDS": int(settings.IDLE_TIMEOUT.total_seconds()),
        "JALON_ENV": settings.JALON_ENV,
        "REQUEST_ID": _request_id(),
    }


def _request_id() -> str:
    current = request_context.current()
    return current.request_id if current is not None else ""
