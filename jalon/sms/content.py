"""What an SMS says: the template for its kind, type and service, rendered at send time.

The text is rendered when the message leaves, not when it is queued, so a changed address
or template is picked up (issue: "Text is rendered again at send time"). The values come
from the convocation; the appointments app, which knows convocations, registers the
function that gives them (this package sits below it and cannot import it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Q

from jalon.sms import optout
from jalon.sms import text as sms_text
from jalon.sms.models import Message, SmsTemplate

ValuesFor = Callable[[Message], Mapping[str, str]]
_values_for: ValuesFor | None = None
# Service kind (None: all) → the convocation types templates can be written for.
TypesFor = Callable[[str | None], list[Any]]
_types_for: TypesFor | None = None


# A space message (no convocation) → (text to send, text the outbox keeps: secrets blanked).
AccountText = Callable[[Message], tuple[str, str]]
_account_text: AccountText | None = None


def register_account_text(function: AccountText) -> None:
    global _account_text
    _account_text = function


def compose(
    message: Message, templates: dict[tuple[str, int | None, int | None], str] | None = None
) -> tuple[str, str]:
    """(text to send, text to keep in the outbox): the same for a convocation's SMS; a space
    message keeps its link or code out of the database."""
    if message.appointment_id is None:
        if _account_text is None:
            raise RuntimeError("No space message text registered (space app not loaded).")
        return _account_text(message)
    text = render(message, templates)
    return text, text


def register_values(function: ValuesFor) -> None:
    global _values_for
    _values_for = function


def register_types(function: TypesFor) -> None:
    global _types_for
    _types_for = function


def appointment_types(service_kind: str | None) -> list[Any]:
    """The convocation types (objects with ``pk`` and ``label``) a template may be for."""
    if _types_for is None:
        raise RuntimeError("No convocation types registered (appointments app not loaded).")
    return _types_for(service_kind)


def specificity(template: SmsTemplate) -> int:
    """The precedence rule, in one place: service and type (3) > service (2) > national
    type (1) > national (0); the built-in text comes after them all."""
    return (2 if template.service_id else 0) + (1 if template.appointment_type_id else 0)


def most_specific(
    rows: Iterable[SmsTemplate], kind: str, appointment_type_id: int | None, service_id: int | None
) -> SmsTemplate | None:
    """The row that applies to (kind, type, service) among ``rows``, or None (built-in)."""
    applicable = [
        row
        for row in rows
        if row.kind == kind
        and row.service_id in (None, service_id)
        and row.appointment_type_id in (None, appointment_type_id)
    ]
    return max(applicable, key=specificity, default=None)


def template_for(kind: str, appointment_type_id: int | None, service_id: int | None) -> str:
    """The text that applies at send time (``most_specific``, else the built-in one)."""
    candidates = (
        SmsTemplate.objects.filter(kind=kind)
        .filter(Q(service_id=service_id) | Q(service__isnull=True))
        .filter(Q(appointment_type_id=appointment_type_id) | Q(appointment_type__isnull=True))
    )
    best = most_specific(candidates, kind, appointment_type_id, service_id)
    return best.text if best else sms_text.DEFAULT_TEMPLATES[kind]


STOP_PREFIX = " STOP SMS : "


def stop_suffix(link: str) -> str:
    return f"{STOP_PREFIX}{link}"


def longest_stop_suffix() -> str:
    """The longest suffix a message can get, for the template length check."""
    return stop_suffix(optout.link_for(10**9))


def _type_id(message: Message) -> int | None:
    return message.appointment.appointment_type_id if message.appointment else None


def render(
    message: Message, templates: dict[tuple[str, int | None, int | None], str] | None = None
) -> str:
    """The template filled with the convocation's values, then the personal STOP link.

    ``templates`` caches the template of each (kind, type, service) across a batch.
    """
    if _values_for is None:
        raise RuntimeError("No SMS content provider registered (appointments app not loaded).")
    values = _values_for(message)
    key = (message.kind, _type_id(message), message.service_id)
    templates = {} if templates is None else templates
    if key not in templates:
        templates[key] = template_for(*key)
    template = templates[key]
    return sms_text.render(template, values) + stop_suffix(optout.link_for(message.pk))


def preview(message: Message) -> str:
    """The text an unsaved ``message`` would carry (a confirmation page shows it before it
    leaves); its personal STOP link, made when it is saved, is shown as a placeholder."""
    if _values_for is None:
        raise RuntimeError("No SMS content provider registered (appointments app not loaded).")
    template = template_for(message.kind, _type_id(message), message.service_id)
    return sms_text.render(template, _values_for(message)) + stop_suffix("[lien personnel]")
