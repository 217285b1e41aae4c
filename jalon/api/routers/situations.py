"""Situations (SISPoPP), read-only (scope ``situations:read``), through
``access/rules/situations.py``: a client acting for a parquet reads its partition, as the
parquet's agents do; every other service sees none (404)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jalon.access.lookups import access_situation
from jalon.access.rules import situations as rules
from jalon.api.auth import caller
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import errors
from jalon.history.actions import record
from jalon.situations.models import Situation

router = Router(tags=["Situations"])


class PersonRef(Schema):
    id: int
    last_name: str
    first_names: str
    birth_date: date


class SituationOut(Schema):
    id: int
    jurisdiction_id: int
    jurisdiction_name: str
    policy_code: str
    policy_label: str
    mec: PersonRef = Field(description="La personne mise en cause")
    appeal: bool = Field(description="Suivie aussi par la cour d’appel")
    summary: str
    next_review_on: date
    closed_on: date | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_jurisdiction_name(situation: Situation) -> str:
        return situation.jurisdiction.name

    @staticmethod
    def resolve_policy_code(situation: Situation) -> str:
        return situation.policy.code

    @staticmethod
    def resolve_policy_label(situation: Situation) -> str:
        return situation.policy.label


class SituationPage(Schema):
    items: list[SituationOut]
    next_cursor: str | None


class SituationFilters(Schema):
    person: int | None = Field(None, description="Les situations dont elle est la MEC")
    open: bool | None = Field(None, description="true : en cours ; false : clôturées")
    policy: str | None = Field(None, max_length=50, description="Code de la politique (vif…)")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "",
    response={200: SituationPage, **errors(401, 403, 422)},
    summary="Situations du ressort",
    description="Les situations que voit le parquet pour lequel le client agit (aucune pour "
    "les autres services).",
)
def list_situations(request: HttpRequest, filters: Query[SituationFilters]) -> object:
    agent = caller(request, ApiScope.SITUATIONS_READ).agent
    situations = rules.situations_visible_to(agent).for_table()
    if filters.person is not None:
        situations = situations.filter(mec_id=filters.person)
    if filters.open is not None:
        situations = situations.filter(closed_on__isnull=filters.open)
    if filters.policy:
        situations = situations.filter(policy__code=filters.policy)
    items, cursor = paginate(situations, ["pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/{situation_id}",
    response={200: SituationOut, **errors(401, 403, 404, 422)},
    summary="Lire une situation",
    description="La lecture est inscrite dans l’historique de la situation, au nom du client.",
)
def get_situation(request: HttpRequest, situation_id: int) -> object:
    agent = caller(request, ApiScope.SITUATIONS_READ).agent
    situation = access_situation(agent, situation_id)
    record("situation.viewed", actor=agent, target=situation, details={"read": "api"})
    return situation
