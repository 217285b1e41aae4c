from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_TITLE": settings.JALON_SITE_TITLE,
        "SITE_TAGLINE": settings.JALON_SITE_TAGLINE,
        "SUPPORT_EMAIL": settings.JALON_SUPPORT_EMAIL,
        "IDLE_SECONDS": int(settings.IDLE_TIMEOUT.total_seconds()),
        "JALON_ENV": settings.JALON_ENV,
    }
