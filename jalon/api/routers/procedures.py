"""Procedures and judgments, read-only (scope ``procedures:read``), through
``access/rules/cases.py::procedures_visible_to`` (the one procedure scope of the screens:
the parquet its TJ, the correctional registry what is sent to trial, the BEX what is
judged…; 404 outside). Opening one is recorded as a read of each person's file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jalon.access.lookups import access_judgment, access_procedure
from jalon.access.rules import cases as rules
from jalon.api.auth import caller
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, errors
from jalon.cases.models import Charge, Judgment, Party, Procedure, Stage
from jalon.core.parquet import parse_parquet_number
from jalon.history.actions import record_person_read

router = Router(tags=["Procédures et jugements"])


class ProcedureSummary(Schema):
    id: int
    tribunal_id: int
    tribunal_name: str
    parquet_number: str = Field(description="11 chiffres")
    stage: Stage
    stage_label: str
    received_on: date
    court_of_appeal_id: int | None

    @staticmethod
    def resolve_tribunal_name(procedure: Procedure) -> str:
        return procedure.tribunal.name

    @staticmethod
    def resolve_stage_label(procedure: Procedure) -> str:
        return procedure.get_stage_display()


class ProcedurePage(Schema):
    items: list[ProcedureSummary]
    next_cursor: str | None


class ProcedureFilters(Schema):
    person: int | None = Field(None, description="Les procédures où elle est partie")
    parquet_number: str | None = Field(None, max_length=30, description="Numéro de parquet")
    stage: Stage | None = None
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/procedures",
    response={200: ProcedurePage, **errors(401, 403, 422)},
    summary="Procédures",
    description="Les procédures que voit le service pour lequel le client agit, comme dans "
    "les écrans (parquet : son tribunal ; greffe correctionnel : celles renvoyées devant le "
    "tribunal ; BEX : celles jugées).",
)
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> object:
    agent = caller(request, ApiScope.PROCEDURES_READ).agent
    procedures = rules.procedures_visible_to(agent).select_related("tribunal")
    if filters.person is not None:
        procedures = procedures.filter(
            pk__in=Party.objects.filter(person_id=filters.person).values("procedure_id")
        )
    if filters.parquet_number:
        try:
            number = parse_parquet_number(filters.parquet_number)
        except ValueError as error:
            raise ApiProblem(
                422,
                "invalid_request",
                "La requête contient des valeurs invalides : voyez « errors ».",
                errors=[{"field": "parquet_number", "message": str(error), "location": "query"}],
            ) from None
        procedures = procedures.with_parquet_number(number)
    if filters.stage is not None:
        procedures = procedures.filter(stage=filters.stage)
    items, cursor = paginate(procedures, ["pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


class PartyOut(Schema):
    id: int
    person_id: int
    last_name: str
    first_names: str
    birth_date: date
    role: Party.Role
    minor_at_facts: bool | None

    @staticmethod
    def resolve_last_name(party: Party) -> str:
        return party.person.last_name

    @staticmethod
    def resolve_first_names(party: Party) -> str:
        return party.person.first_names

    @staticmethod
    def resolve_birth_date(party: Party) -> date:
        return party.person.birth_date


class ChargeOut(Schema):
    id: int
    party_id: int | None
    natinf: int
    qualification: str
    facts_from: date
    facts_until: date | None

    @staticmethod
    def resolve_natinf(charge: Charge) -> int:
        return charge.offence.number

    @staticmethod
    def resolve_qualification(charge: Charge) -> str:
        return charge.qualification_text


class SentenceOut(Schema):
    kind: str
    kind_label: str
    months: int | None
    suspended_months: int | None
    probation_months: int | None
    hours: int | None
    amount_euros: Decimal | None
    provisional_execution: bool
    details: str

    @staticmethod
    def resolve_kind_label(sentence: Any) -> str:
        return str(sentence.get_kind_display())


class DecisionOut(Schema):
    charge_id: int
    verdict: str


class JudgmentOut(Schema):
    id: int
    procedure_id: int
    party_id: int | None
    person_id: int | None
    court_id: int | None
    court_kind: str
    delivered_on: date | None
    delivery_mode: str
    served_on: date | None
    final_on: date | None
    replaces_id: int | None
    recorded_at: datetime | None
    decisions: list[DecisionOut]
    sentences: list[SentenceOut]

    @staticmethod
    def resolve_person_id(judgment: Judgment) -> int | None:
        return judgment.party.person_id if judgment.party else None

    @staticmethod
    def resolve_decisions(judgment: Judgment) -> list[Any]:
        return list(judgment.decisions.all())

    @staticmethod
    def resolve_sentences(judgment: Judgment) -> list[Any]:
        return list(judgment.sentences.all())


class ProcedureOut(ProcedureSummary):
    origin: str
    facts_from: date | None
    facts_until: date | None
    summary: str
    parties: list[PartyOut]
    charges: list[ChargeOut]
    judgments: list[JudgmentOut]

    @staticmethod
    def resolve_parties(procedure: Procedure) -> list[Any]:
        return list(procedure.parties.all())

    @staticmethod
    def resolve_charges(procedure: Procedure) -> list[Any]:
        return list(procedure.charges.all())

    @staticmethod
    def resolve_judgments(procedure: Procedure) -> list[Any]:
        return list(procedure.judgments.all())


_JUDGMENT_DETAILS = ("decisions", "sentences")


@router.get(
    "/procedures/{procedure_id}",
    response={200: ProcedureOut, **errors(401, 403, 404, 422)},
    summary="Lire une procédure",
    description="Parties, infractions et jugements. La lecture est inscrite dans l’historique "
    "de chaque personne partie, au nom du client.",
)
def get_procedure(request: HttpRequest, procedure_id: int) -> object:
    agent = caller(request, ApiScope.PROCEDURES_READ).agent
    procedure = access_procedure(agent, procedure_id)
    procedure = (
        Procedure.objects.filter(pk=procedure.pk)
        .select_related("tribunal")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("person").order_by("pk")),
            Prefetch("charges", queryset=Charge.objects.select_related("offence").order_by("pk")),
            Prefetch(
                "judgments",
                queryset=Judgment.objects.select_related("party")
                .prefetch_related(*_JUDGMENT_DETAILS)
                .order_by("pk"),
            ),
        )
        .get()
    )
    record_person_read(
        "api",
        actor=agent,
        persons=[party.person for party in procedure.parties.all()],
        details={"procedure": procedure.pk},
    )
    return procedure


@router.get(
    "/judgments/{judgment_id}",
    response={200: JudgmentOut, **errors(401, 403, 404, 422)},
    summary="Lire un jugement",
    description="Décisions par infraction et peines. La lecture est inscrite dans "
    "l’historique du prévenu, au nom du client.",
)
def get_judgment(request: HttpRequest, judgment_id: int) -> object:
    agent = caller(request, ApiScope.PROCEDURES_READ).agent
    judgment = access_judgment(agent, judgment_id)
    if judgment.party is not None:
        record_person_read(
            "api", actor=agent, persons=judgment.party.person, details={"judgment": judgment.pk}
        )
    return judgment
