"""Situation screens: tracking table, creation, the record and its tabs, steering."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_situation
from jalon.access.models import Agent, Jurisdiction
from jalon.access.rules import situations as rules
from jalon.core.dates import local_now
from jalon.history.actions import record
from jalon.people.actions import DuplicatePersonError
from jalon.people.models import Person
from jalon.situations import actions, documents, table
from jalon.situations.forms import (
    CloseForm,
    DocumentForm,
    EventForm,
    JafForm,
    ListEntryForm,
    MeasureForm,
    MecForm,
    ProcedureForm,
    ReopenForm,
    ReviewForm,
    SituationForm,
    TableFilterForm,
    VictimForm,
)
from jalon.situations.models import (
    Document,
    JafSection,
    ListEntry,
    Notification,
    Situation,
    Victim,
)
from jalon.situations.reviews import review_state

PAGE_SIZE = 50


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _today(agent: Agent) -> date:
    return local_now(agent.service.time_zone).date()


def _home(agent: Agent) -> Jurisdiction:
    jurisdiction = rules.home_jurisdiction(agent)
    if jurisdiction is None:
        raise PermissionDenied
    return jurisdiction


# --- Tracking table ---------------------------------------------------------------------


def situation_list(request: AgentRequest) -> HttpResponse | StreamingHttpResponse:
    """Situations the agent may see, filtered, sorted, paginated; CSV export of the same."""
    agent = request.agent
    home = _home(agent)
    today = _today(agent)
    form = TableFilterForm(request.GET or None, jurisdiction=home)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = filters.get("tri") or "revue"
    situations = table.apply_filters(rules.situations_visible_to(agent), filters, today)
    situations = situations.for_table().order_by(*TableFilterForm.SORTS[sort])
    if request.GET.get("export") == "csv":
        record("situations.exported", actor=agent, details={"filters": request.GET.urlencode()})
        response = StreamingHttpResponse(
            table.csv_lines(situations.iterator(chunk_size=500), today),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="situations-{today:%Y-%m-%d}.csv"'
        return response
    page = Paginator(situations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (
            situation,
            review_state(situation.next_review_on, today, closed_on=situation.closed_on),
            rules.is_appeal_seen_from_court(agent, situation),
        )
        for situation in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "situations/situation_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_create": rules.can_create_situation(agent),
            "can_edit_lists": bool(rules.editable_list_kinds(agent)),
            "unread": Notification.objects.filter(agent=agent, read_at__isnull=True).count(),
        },
    )


def steering(request: AgentRequest) -> HttpResponse:
    """Open situations, reviews due within 30 days and overdue, per policy (SIS-13)."""
    agent = request.agent
    _home(agent)
    today = _today(agent)
    return render(
        request,
        "situations/steering.html",
        {
            "counts": table.steering_counts(rules.situations_visible_to(agent), today),
            "today": today,
        },
    )


def notification_list(request: AgentRequest) -> HttpResponse:
    """New events on the situations the agent follows (SIS-08)."""
    agent = request.agent
    _home(agent)
    visible = rules.situations_visible_to(agent).values("pk")
    notifications = (
        Notification.objects.filter(agent=agent, situation__in=visible)
        .select_related("event", "situation__policy", "situation__mec")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "situations/notification_list.html", {"page": page})


# --- Creation ---------------------------------------------------------------------------


def situation_create(request: AgentRequest) -> HttpResponse:
    """A situation and its MEC on one screen; the MEC goes through the duplicate check."""
    agent = request.agent
    if not rules.can_create_situation(agent):
        raise PermissionDenied
    home = _home(agent)
    data = _post(request)
    mec_form = MecForm(data, prefix="mec", region=agent.service.phone_region)
    form = SituationForm(data, jurisdiction=home, can_change_appeal=not home.is_court_of_appeal)
    candidates: list[Person] = []
    if data is not None and mec_form.is_valid() and form.is_valid():
        identity = mec_form.identity()
        candidates = actions.mec_candidates(identity)
        chosen = data.get("mec_person", "")
        mec = None
        if chosen.isdigit():
            mec = next((p for p in candidates if p.pk == int(chosen)), None)
        try:
            situation = actions.create_situation(
                agent=agent,
                data=form.situation_data(),
                mec=mec,
                identity=None if mec else identity,
                confirm_probable=chosen == "new",
                today=_today(agent),
            )
        except DuplicatePersonError:
            pass  # the candidates are shown: choose one, or create anyway when only probable
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Situation créée.")
            return redirect("situation_detail", situation.pk)
    blocked = bool(candidates) and any(
        (p.appi_number and p.appi_number == mec_form.cleaned_data.get("appi_number"))
        or (p.phone and p.phone == mec_form.cleaned_data.get("phone"))
        for p in candidates
    )
    return render(
        request,
        "situations/situation_create.html",
        {"mec_form": mec_form, "form": form, "candidates": candidates, "blocked": blocked},
    )


# --- The record -------------------------------------------------------------------------


def _tab_context(agent: Agent, situation: Situation, tab: str) -> dict[str, Any]:
    """What each tab shows (lists read only when their tab is open)."""
    if tab == "mec":
        return {"instances": list(situation.instances.all())}
    if tab == "victimes":
        return {"victims": list(situation.victims.all())}
    if tab == "procedures":
        return {"procedures": list(situation.procedures.all())}
    if tab == "documents":
        return {"documents": list(situation.documents.select_related("uploaded_by"))}
    if tab == "mesures":
        return {"measures": list(situation.measures.all())}
    if tab == "jaf":
        section = JafSection.objects.filter(situation=situation).select_related("updated_by")
        return {"jaf": section.first()}
    if tab == "evenements":
        return {"events": list(situation.events.select_related("created_by")[:200])}
    return {"reviews": list(situation.reviews.select_related("created_by")[:100])}


def _tab_form(agent: Agent, situation: Situation, tab: str, data: Any, files: Any) -> Any:
    """The form of a tab, for agents who may write it (None otherwise)."""
    if tab == "jaf":
        if not rules.can_edit_jaf_section(agent, situation):
            return None
        instance = JafSection.objects.filter(situation=situation).first() or JafSection()
        return JafForm(data, instance=instance)
    if not rules.can_edit_situation(agent, situation):
        return None
    forms_by_tab: dict[str, Any] = {
        "victimes": VictimForm,
        "procedures": ProcedureForm,
        "mesures": MeasureForm,
        "evenements": EventForm,
        "revues": ReviewForm,
    }
    if tab == "documents":
        return DocumentForm(data, files, max_bytes=documents.max_bytes())
    form_class = forms_by_tab.get(tab)
    return form_class(data) if form_class else None


_PART_ACTIONS = {
    "victimes": "situation.victim_added",
    "procedures": "situation.procedure_added",
    "mesures": "situation.measure_added",
}


def _save_tab(agent: Agent, situation: Situation, tab: str, form: Any) -> str:
    """Run the tab's action; returns the success message."""
    if tab in _PART_ACTIONS:
        actions.add_part(
            agent=agent, situation=situation, part=form.instance, action=_PART_ACTIONS[tab]
        )
        return "Ajout enregistré."
    data = form.cleaned_data
    if tab == "documents":
        upload = data["file"]
        document = documents.add_document(
            agent=agent,
            situation=situation,
            title=data["title"],
            name=upload.name or "",
            content=upload.read(),
        )
        return f"Document « {document.title} » déposé."
    if tab == "evenements":
        actions.add_event(
            agent=agent, situation=situation, occurred_on=data["occurred_on"], text=data["text"]
        )
        return "Évènement ajouté : il est visible de tous les utilisateurs habilités."
    if tab == "revues":
        review = actions.record_review(
            agent=agent,
            situation=situation,
            held_on=data["held_on"],
            participants=data["participants"],
            decisions=data["decisions"],
            next_review_on=data["next_review_on"],
            today=_today(agent),
        )
        return f"Revue enregistrée. Prochaine revue le {review.next_review_on:%d/%m/%Y}."
    actions.save_jaf_section(
        agent=agent,
        situation=situation,
        values={name: data[name] for name in ("hearing_on", "decisions", "notes")},
    )
    return "Partie JAF enregistrée."


def situation_detail(request: AgentRequest, situation_id: int, tab: str = "mec") -> HttpResponse:
    """The record, one tab at a time; opening it is recorded. POST adds to the open tab."""
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if tab not in rules.TAB_CODES:
        raise PermissionDenied
    if request.method == "GET":
        record("situation.viewed", actor=agent, target=situation, details={"tab": tab})
        actions.mark_read(agent=agent, situation=situation)
    allowed = rules.can_open_tab(agent, situation, tab)
    form = None
    if allowed:
        form = _tab_form(
            agent,
            situation,
            tab,
            _post(request),
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST":
            if form is None:
                raise PermissionDenied
            if form.is_valid():
                try:
                    message = _save_tab(agent, situation, tab, form)
                except ValidationError as error:
                    if hasattr(form, "add_action_errors"):
                        form.add_action_errors(error)
                    else:
                        form.add_error(None, error)
                else:
                    messages.success(request, message)
                    return redirect("situation_tab", situation.pk, tab)
    elif request.method == "POST":
        raise PermissionDenied
    if (
        tab == "revues"
        and request.method == "GET"
        and not rules.can_record_review(agent, situation)
    ):
        form = None  # closed: the tab says so instead of offering the form
    today = _today(agent)
    can_close = rules.can_close_situation(agent, situation)
    hidden = [
        code for code in rules.PARQUET_ONLY_TABS if not rules.can_open_tab(agent, situation, code)
    ]
    context: dict[str, Any] = {
        "situation": situation,
        "tab": tab,
        "tabs": [
            (code, label, rules.can_open_tab(agent, situation, code)) for code, label in rules.TABS
        ],
        "allowed": allowed,
        "form": form,
        "hidden_data": {
            "procedures": situation.procedures.count() if "procedures" in hidden else 0,
            "documents": situation.documents.count() if "documents" in hidden else 0,
        },
        "appeal_marker": rules.is_appeal_seen_from_court(agent, situation),
        "can_edit": rules.can_edit_situation(agent, situation),
        "is_following": situation.followers.filter(agent=agent).exists(),
        "can_follow": rules.can_follow_situation(agent, situation),
        "review_state": review_state(
            situation.next_review_on, today, closed_on=situation.closed_on
        ),
        "can_close": can_close,
        "close_form": CloseForm(initial={"closed_on": today})
        if can_close and situation.closed_on is None
        else None,
        "reopen_form": ReopenForm() if can_close and situation.closed_on is not None else None,
    }
    if allowed:
        context.update(_tab_context(agent, situation, tab))
    return render(
        request, "situations/situation_detail.html", context, status=200 if allowed else 403
    )


def situation_edit(request: AgentRequest, situation_id: int) -> HttpResponse:
    """The general part: policy, boxes, cabinets, instances, a freely chosen review date."""
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_edit_situation(agent, situation):
        raise PermissionDenied
    initial = {
        "policy": situation.policy_id,
        "mec_procedure_jaf": situation.mec_procedure_jaf,
        "appeal": situation.appeal,
        "summary": situation.summary,
        "cabinet_je": situation.cabinet_je_id,
        "cabinet_jap": situation.cabinet_jap_id,
        "cabinet_ji": situation.cabinet_ji_id,
        "instances": list(situation.instances.values_list("pk", flat=True)),
        "next_review_on": situation.next_review_on,
    }
    form = SituationForm(
        _post(request),
        initial=initial,
        jurisdiction=situation.jurisdiction,
        can_change_appeal=rules.can_change_appeal(agent, situation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_situation(
                agent=agent,
                situation=situation,
                data=form.situation_data(appeal=situation.appeal),
                today=_today(agent),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Situation enregistrée.")
            if rules.situations_visible_to(agent).filter(pk=situation.pk).exists():
                return redirect("situation_detail", situation.pk)
            return redirect("situation_list")
    return render(request, "situations/situation_edit.html", {"situation": situation, "form": form})


def victim_edit(request: AgentRequest, situation_id: int, victim_id: int) -> HttpResponse:
    """Correct a victim, tick or untick "OP" (which changes what the JAF sees)."""
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_edit_situation(agent, situation):
        raise PermissionDenied
    victim = get_object_or_404(Victim, pk=victim_id, situation=situation)
    form = VictimForm(_post(request), instance=victim)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            actions.save_part(
                agent=agent, situation=situation, part=form.instance, fields=form.changed_data
            )
        messages.success(request, "Victime enregistrée.")
        return redirect("situation_tab", situation.pk, "victimes")
    return render(
        request,
        "situations/victim_edit.html",
        {"situation": situation, "victim": victim, "form": form},
    )


@require_POST
def situation_follow(request: AgentRequest, situation_id: int) -> HttpResponse:
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_follow_situation(agent, situation):
        raise PermissionDenied
    following = request.POST.get("follow") == "1"
    actions.set_following(agent=agent, situation=situation, following=following)
    messages.success(
        request,
        "Vous suivez cette situation : ses nouveaux évènements vous seront signalés."
        if following
        else "Vous ne suivez plus cette situation.",
    )
    return redirect("situation_detail", situation.pk)


def document_download(request: AgentRequest, situation_id: int, document_id: int) -> HttpResponse:
    """A piece, only through the access layer and the Documents tab right; recorded."""
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_open_tab(agent, situation, "documents"):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=document_id, situation=situation)
    content = documents.open_document(agent=agent, document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Adjustable lists (SIS-18, SIS-22) ---------------------------------------------------


def list_entries(request: AgentRequest, kind: str = "") -> HttpResponse:
    """The jurisdiction's cabinets and instances; adding and withdrawing for allowed profiles."""
    agent = request.agent
    home = _home(agent)
    editable = rules.editable_list_kinds(agent)
    if not editable:
        raise PermissionDenied
    form = None
    if request.method == "POST":
        if kind not in editable:
            raise PermissionDenied
        entry_id = request.POST.get("entry", "")
        if entry_id.isdigit():
            entry = get_object_or_404(ListEntry, pk=int(entry_id), jurisdiction=home, kind=kind)
            actions.set_list_entry_active(
                agent=agent, entry=entry, active=request.POST.get("active") == "1"
            )
            messages.success(request, "Liste enregistrée.")
            return redirect("situation_lists")
        form = ListEntryForm(request.POST, prefix=kind)
        if form.is_valid():
            try:
                actions.add_list_entry(agent=agent, kind=kind, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, "Entrée ajoutée.")
                return redirect("situation_lists")
    entries = ListEntry.objects.filter(jurisdiction=home).order_by("kind", "name")
    lists = [
        (
            code,
            ListEntry.Kind(code).plural,
            [entry for entry in entries if entry.kind == code],
            (form if form is not None and code == kind else ListEntryForm(prefix=code))
            if code in editable
            else None,
        )
        for code in ListEntry.Kind.values
    ]
    return render(request, "situations/list_entries.html", {"lists": lists, "jurisdiction": home})
