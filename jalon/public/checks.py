"""A deployment check: the personal link must fit the length the SMS template check counts."""

from __future__ import annotations

from typing import Any

from django.core import checks

from jalon.core import links
from jalon.sms.text import LINK_MAX_CHARS


@checks.register(checks.Tags.compatibility)
def link_fits_the_sms(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    longest = max(len(links.convocation_url(36**6 - 1)), len(links.service_page_url(36**6 - 1)))
    if longest <= LINK_MAX_CHARS:
        return []
    return [
        checks.Warning(
            f"JALON_PUBLIC_BASE_URL is too long: SMS links reach {longest} characters, the "
            f"template length check counts {LINK_MAX_CHARS}; SMS may cost one part more.",
            hint="Use a base URL of at most 22 characters, or raise sms.text.LINK_MAX_CHARS.",
            id="public.W001",
        )
    ]
