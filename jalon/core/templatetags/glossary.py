"""``{{ text|acronyms }}``: the known acronyms of ``text`` explained in ``<abbr>``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from jalon.core.glossary import explain_acronyms

register = template.Library()


@register.filter
def acronyms(value: object) -> SafeString:
    return explain_acronyms("" if value is None else value)
