"""The SMS template editor (MSJ-46): national defaults and service overrides, live preview.

A template is one "slot": a kind of SMS, a convocation type (or all types) and a service (or
national). The text that applies to a slot is the most specific row, exactly as
``content.template_for`` picks it at send time; saving writes the slot's own row, "revenir"
deletes it so the next less specific text applies again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.models import Agent, Service
from jalon.access.rules import sms as rules
from jalon.history.actions import record
from jalon.sms import content
from jalon.sms import text as sms_text
from jalon.sms.forms import SmsTemplateForm, max_parts, normalise
from jalon.sms.models import MessageKind, SmsTemplate

NATIONAL = "national"
ALL_TYPES = "tous"
ORIGINS = {
    3: "Modèle du service pour ce type",
    2: "Modèle du service pour tous les types",
    1: "Modèle national pour ce type",
    0: "Modèle national pour tous les types",
}
BUILT_IN = "Modèle par défaut"
ENCODING_LABELS = {
    sms_text.Encoding.GSM7: "GSM-7",
    sms_text.Encoding.UCS2: "Unicode (UCS-2)",
}


# A convocation type as the appointments app registers it (``content.appointment_types``):
# an object with ``pk`` and ``label``. This package sits below that app and cannot import it.
AppointmentType = Any


@dataclass(frozen=True)
class Slot:
    """One editable template: a kind, a type (None: all types), a service (None: national)."""

    kind: str
    appointment_type: AppointmentType | None
    service: Service | None

    @property
    def url_args(self) -> tuple[str, str, str]:
        where = str(self.service.pk) if self.service else NATIONAL
        which = str(self.appointment_type.pk) if self.appointment_type else ALL_TYPES
        return (where, self.kind, which)

    @property
    def kind_label(self) -> str:
        return str(MessageKind(self.kind).label)

    @property
    def type_label(self) -> str:
        return self.appointment_type.label if self.appointment_type else "Tous les types"

    def lookup(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "appointment_type": self.appointment_type,
            "service": self.service,
        }

    def details(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "service": self.service.pk if self.service else None,
            "type": self.appointment_type.pk if self.appointment_type else None,
        }

    def edit_url(self) -> str:
        return reverse("sms_template_edit", args=self.url_args)

    def reset_url(self) -> str:
        return reverse("sms_template_reset", args=self.url_args)

    def list_url(self) -> str:
        return f"{reverse('sms_template_list')}?service={self.url_args[0]}"


@dataclass(frozen=True)
class Applied:
    """The text that applies to a slot, where it comes from, and the slot's own row if any."""

    slot: Slot
    text: str
    origin: str
    own: SmsTemplate | None


def _types(service: Service | None) -> list[AppointmentType]:
    """All active types nationally; for a service, the types it receives people for."""
    return content.appointment_types(service.kind if service is not None else None)


def _scope(agent: Agent, where: str) -> Service | None:
    """The service whose templates are edited (None: national); 403 or 404 through the rules."""
    if not rules.can_edit_sms_templates(agent):
        raise PermissionDenied
    if where == NATIONAL:
        if not rules.can_edit_national_sms_templates(agent):
            raise PermissionDenied
        return None
    if not where.isdigit():
        raise Http404("Service introuvable.")
    try:
        return rules.services_for_sms_templates(agent).get(pk=int(where))
    except Service.DoesNotExist:
        raise Http404("Service introuvable.") from None


def _slot(agent: Agent, where: str, kind: str, which: str) -> Slot:
    service = _scope(agent, where)
    if kind not in MessageKind.values:
        raise Http404("Type de SMS inconnu.")
    if which == ALL_TYPES:
        return Slot(kind, None, service)
    chosen = [t for t in _types(service) if which.isdigit() and t.pk == int(which)]
    if not chosen:
        raise Http404("Type de convocation introuvable.")
    return Slot(kind, chosen[0], service)


def _rows(service: Service | None, kinds: Iterable[str]) -> list[SmsTemplate]:
    national = Q(service__isnull=True)
    return list(
        SmsTemplate.objects.filter(kind__in=list(kinds)).filter(
            national | Q(service=service) if service else national
        )
    )


def _applied(slot: Slot, rows: list[SmsTemplate]) -> Applied:
    """What ``content.template_for`` picks at send time (same rule), over rows loaded once."""
    type_id = slot.appointment_type.pk if slot.appointment_type else None
    service_id = slot.service.pk if slot.service else None
    own = next(
        (
            row
            for row in rows
            if row.kind == slot.kind
            and row.service_id == service_id
            and row.appointment_type_id == type_id
        ),
        None,
    )
    best = content.most_specific(rows, slot.kind, type_id, service_id)
    if best is None:
        return Applied(slot, sms_text.DEFAULT_TEMPLATES[slot.kind], BUILT_IN, own)
    return Applied(slot, best.text, ORIGINS[content.specificity(best)], own)


def _transliterated(template: str) -> list[tuple[str, str]]:
    """Characters of the template replaced to stay in GSM-7, with their replacement."""
    replaced = []
    for char in dict.fromkeys(unicodedata.normalize("NFC", template)):
        plain = sms_text.transliterate(char)
        if plain != char:
            shown = char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
            replaced.append((shown, plain if plain.strip() else "espace" if plain else "rien"))
    return replaced


def preview_context(template: str) -> dict[str, Any]:
    """What the preview shows: the sample SMS and its cost, and the cost of the longest one."""
    suffix = content.longest_stop_suffix()
    limit = max_parts()
    context: dict[str, Any] = {
        "errors": sms_text.template_errors(template, limit, suffix=suffix),
        "max_parts": limit,
    }
    try:
        sample = sms_text.measure(sms_text.render(template, sms_text.SAMPLE_VALUES) + suffix)
    except ValueError:  # unknown placeholder or stray brace: the errors say which
        return context
    longest = sms_text.longest_cost(template, suffix=suffix)
    gsm = sms_text.GSM7_BASIC | sms_text.GSM7_EXTENSION
    context.update(
        sample=sample,
        sample_encoding=ENCODING_LABELS[sample.encoding],
        longest=longest,
        longest_encoding=ENCODING_LABELS[longest.encoding],
        transliterated=_transliterated(template),
        unicode_characters=[c for c in dict.fromkeys(sample.text) if c not in gsm],
    )
    return context


def template_list(request: AgentRequest) -> HttpResponse:
    """Which text applies per kind and type, nationally or for one service."""
    agent = request.agent
    national = rules.can_edit_national_sms_templates(agent)
    default = NATIONAL if national else str(agent.service_id)
    service = _scope(agent, request.GET.get("service") or default)
    rows = _rows(service, MessageKind.values)
    types: list[AppointmentType | None] = [None, *_types(service)]
    sections = [
        (label, [_applied(Slot(kind, t, service), rows) for t in types])
        for kind, label in MessageKind.choices
    ]
    return render(
        request,
        "sms/template_list.html",
        {
            "service": service,
            "sections": sections,
            "national": national,
            "services": rules.services_for_sms_templates(agent) if national else [],
        },
    )


@transaction.atomic
def _save(agent: Agent, slot: Slot, text: str) -> None:
    """Write the slot's own row."""
    template, _ = SmsTemplate.objects.update_or_create(
        **slot.lookup(), defaults={"text": text, "updated_by": agent}
    )
    details = {**slot.details(), "text": text}
    record("sms.template_changed", actor=agent, target=template, details=details)


def template_edit(request: AgentRequest, where: str, kind: str, which: str) -> HttpResponse:
    agent = request.agent
    slot = _slot(agent, where, kind, which)
    applied = _applied(slot, _rows(slot.service, [kind]))
    text = normalise(request.POST.get("text", "")) if request.method == "POST" else applied.text
    form = SmsTemplateForm(initial={"text": text})
    if request.method == "POST" and "preview" not in request.POST:
        if text == (applied.own.text if applied.own else applied.text):
            messages.info(request, "Texte inchangé : rien n’a été enregistré.")
            return redirect(slot.list_url())
        form = SmsTemplateForm(request.POST)
        if form.is_valid():
            _save(agent, slot, form.cleaned_data["text"])
            messages.success(request, "Modèle de SMS enregistré.")
            return redirect(slot.list_url())
    return render(
        request,
        "sms/template_form.html",
        {
            "form": form,
            "slot": slot,
            "applied": applied,
            "placeholders": [
                (f"{{{name}}}", label) for name, label in sms_text.PLACEHOLDERS.items()
            ],
            # A refused save shows its errors next to the field, not twice.
            **preview_context(text),
            **({"errors": []} if form.is_bound else {}),
        },
    )


@require_POST
def template_reset(request: AgentRequest, where: str, kind: str, which: str) -> HttpResponse:
    """Delete the slot's own row: the national (or built-in) text applies again."""
    agent = request.agent
    slot = _slot(agent, where, kind, which)
    with transaction.atomic():
        own = SmsTemplate.objects.select_for_update().filter(**slot.lookup()).first()
        if own is not None:
            details = {**slot.details(), "text": own.text}
            record("sms.template_reset", actor=agent, target=own, details=details)
            own.delete()
    if own is None:
        messages.info(request, "Ce modèle n’était pas personnalisé.")
    else:
        messages.success(
            request, "Personnalisation supprimée : le modèle plus général s’applique de nouveau."
        )
    return redirect(slot.list_url())


@require_POST
def template_preview(request: AgentRequest) -> HttpResponse:
    """The live preview (htmx), for the text being typed."""
    if not rules.can_edit_sms_templates(request.agent):
        raise PermissionDenied
    template = normalise(request.POST.get("text", ""))
    return render(request, "sms/_preview.html", preview_context(template))
