"""The national referentials of the back office, described once: model, form, list columns.

A referential is listed, created (when ``can_create``), edited and, when it has an
``is_active`` field, deactivated and reactivated: always through ``backoffice.actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import Http404

from jalon.access.models import Jurisdiction, Service
from jalon.appointments.models import AppointmentType
from jalon.backoffice import forms as backoffice_forms
from jalon.cases.models import LegalRule
from jalon.situations.models import Policy


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], object]


@dataclass(frozen=True)
class Referential:
    slug: str
    title: str
    summary: str
    add_label: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()
    can_create: bool = True
    has_active_flag: bool = True
    notes: tuple[str, ...] = field(default=())

    def queryset(self) -> models.QuerySet[Any]:
        return self.model._default_manager.select_related(*self.select_related)


REFERENTIALS: tuple[Referential, ...] = (
    Referential(
        slug="politiques-penales",
        title="Politiques pénales prioritaires",
        summary="Les politiques suivies dans les situations (SISPoPP) et leur intervalle de revue.",
        add_label="Ajouter une politique pénale",
        model=Policy,
        form=backoffice_forms.PolicyForm,
        columns=(
            Column("Libellé", lambda policy: policy.label),
            Column("Code", lambda policy: policy.code),
            Column(
                "Juridiction",
                lambda policy: policy.jurisdiction.name if policy.jurisdiction else "Toutes",
            ),
            Column("Revue par défaut", lambda policy: f"{policy.default_review_days} jours"),
        ),
        select_related=("jurisdiction",),
    ),
    Referential(
        slug="types-de-convocation",
        title="Types de convocation",
        summary="Libellés, documents à apporter, durées et rappels par défaut des convocations.",
        add_label="",
        model=AppointmentType,
        form=backoffice_forms.AppointmentTypeForm,
        columns=(
            Column("Libellé", lambda kind: kind.label),
            Column("Durée par défaut", lambda kind: f"{kind.default_duration_minutes} min"),
            Column("Rappel par défaut", lambda kind: kind.get_reminder_delay_hours_display()),
            Column("Week-end et jours fériés", lambda kind: _yes_no(kind.allows_weekends)),
        ),
        can_create=False,
        notes=(
            "Un nouveau type de convocation change le fonctionnement de l’application (services "
            "concernés, créneaux) : il est ajouté avec une nouvelle version de l’application.",
        ),
    ),
    Referential(
        slug="juridictions",
        title="Juridictions",
        summary="Cours d’appel et tribunaux judiciaires.",
        add_label="Ajouter une juridiction",
        model=Jurisdiction,
        form=backoffice_forms.JurisdictionForm,
        columns=(
            Column("Nom", lambda court: court.name),
            Column("Type", lambda court: court.get_kind_display()),
            Column(
                "Cour d’appel",
                lambda court: court.court_of_appeal.name if court.court_of_appeal else "",
            ),
            Column("Code", lambda court: court.code),
        ),
        select_related=("court_of_appeal",),
        has_active_flag=False,
    ),
    Referential(
        slug="services",
        title="Services",
        summary="SPIP et antennes, SAP, BEX, greffes, parquets, siège : rattachement et réglages.",
        add_label="Ajouter un service",
        model=Service,
        form=backoffice_forms.ServiceForm,
        columns=(
            Column("Nom", lambda service: service.name),
            Column("Type", lambda service: service.get_kind_display()),
            Column(
                "Juridiction",
                lambda service: service.jurisdiction.name if service.jurisdiction else "",
            ),
            Column("Utilise la plateforme", lambda service: _yes_no(service.uses_platform)),
        ),
        select_related=("jurisdiction",),
    ),
    Referential(
        slug="regles-de-droit",
        title="Règles de droit datées",
        summary="Délais, prescriptions et orientations que l’application lit à la date des faits "
        "ou de la décision (article 474 du code de procédure pénale, prescription…).",
        add_label="Ajouter une valeur datée",
        model=LegalRule,
        form=backoffice_forms.LegalRuleForm,
        columns=(
            Column("Règle", lambda rule: rule.label),
            Column("Clé", lambda rule: rule.key),
            Column("Valeur", lambda rule: rule.value),
            Column("Du", lambda rule: f"{rule.valid_from:%d/%m/%Y}"),
            Column("Au", lambda rule: f"{rule.valid_until:%d/%m/%Y}" if rule.valid_until else ""),
            Column("Source", lambda rule: rule.source),
        ),
        has_active_flag=False,
        notes=(
            "Une règle change avec la loi : ajoutez une nouvelle valeur à partir de sa date "
            "d’entrée en vigueur et fermez la précédente la veille ; ne modifiez pas une valeur "
            "passée, les décisions déjà prises l’ont lue.",
        ),
    ),
)

_BY_SLUG = {referential.slug: referential for referential in REFERENTIALS}


def referential(slug: str) -> Referential:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise Http404 from None
