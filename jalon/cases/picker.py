"""The offence picker: by number (prefix) or by words of the qualification (prefixes).

Accents and case are ignored because both sides go through ``jalon.core.text``; every
lookup is a ``LIKE 'prefix%'`` on a text_pattern_ops index (no contrib extension).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from jalon.cases.models import Offence, OffenceWord
from jalon.cases.natinf import STOPWORDS
from jalon.core.text import normalize_words

LIMIT = 20
MIN_LENGTH = 2


def search_offences(query: str, limit: int = LIMIT) -> list[Offence]:
    """At most ``limit`` offences, in-force ones first, then by number."""
    text = " ".join(query.split())
    if len(text) < MIN_LENGTH and not text.isdigit():
        return []
    compact = text.replace(" ", "")
    offences: QuerySet[Offence]
    if compact.isascii() and compact.isdigit():
        offences = Offence.objects.filter(number_key__startswith=compact.lstrip("0") or "0")
        exact = Case(When(number_key=compact.lstrip("0"), then=Value(0)), default=Value(1))
        offences = offences.annotate(
            exact=exact, digits=Length("number_key"), retired=_retired()
        ).order_by("retired", "exact", "digits", "number")
    else:
        words = _looked_up(text)
        if not words:
            return []
        offences = Offence.objects.all()
        for word in words:
            offences = offences.filter(
                pk__in=OffenceWord.objects.filter(word__startswith=word).values("offence_id")
            )
        offences = offences.annotate(retired=_retired()).order_by("retired", "number")
    return list(offences[:limit])


def _looked_up(text: str) -> list[str]:
    """The word prefixes to look up: function words skipped (not indexed, see ``STOPWORDS``),
    except as the word being typed when the query has no other: "des" may begin
    "destruction"."""
    words = [word for word in normalize_words(text) if len(word) > 1]
    if not words:
        return []
    *before, last = words
    kept = [word for word in before if word not in STOPWORDS]
    if last not in STOPWORDS:
        kept.append(last)
    if not kept and len(last) >= 3:
        kept = [last]
    return kept


def _retired() -> Case:
    return Case(
        When(Q(retired_from__isnull=False), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
