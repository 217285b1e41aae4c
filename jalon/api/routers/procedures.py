"""Procedures and judgments: read (scope ``procedures:read``) through
``access/rules/cases.py::procedures_visible_to`` (the one procedure scope of the screens:
the parquet its TJ, the correctional registry what is sent to trial, the BEX what is
judged…; 404 outside). Opening one is recorded as a read of each person's file. A parquet's
client registers a procedure with its persons and offences (scope ``procedures:write``)
through the screens' own registration actions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema

from jalon.access.lookups import access_judgment, access_person_for_party, access_procedure
from jalon.access.models import Agent
from jalon.access.rules import cases as rules
from jalon.api.auth import caller
from jalon.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jalon.api.idempotency import run_idempotent
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, Problem, errors, form_problem
from jalon.api.routers.persons import Candidate
from jalon.cases.actions import registration
from jalon.cases.actions.registration import ExternalParty, PartyDuplicate
from jalon.cases.checks import WarningsToAcknowledge
from jalon.cases.models import Charge, Judgment, Party, Procedure, Stage
from jalon.cases.procedure_forms import PartyPersonForm
from jalon.core.parquet import parse_parquet_number
from jalon.history.actions import record_person_read
from jalon.people.actions import Identity

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


def _details() -> list[Prefetch[Any]]:
    """What ``ProcedureOut`` shows beyond the procedure and its tribunal."""
    return [
        Prefetch("parties", queryset=Party.objects.select_related("person").order_by("pk")),
        Prefetch("charges", queryset=Charge.objects.select_related("offence").order_by("pk")),
        Prefetch(
            "judgments",
            queryset=Judgment.objects.select_related("party")
            .prefetch_related(*_JUDGMENT_DETAILS)
            .order_by("pk"),
        ),
    ]


def _detailed(procedure_id: int) -> Procedure:
    """A procedure already allowed, with everything ``ProcedureOut`` shows."""
    return (
        Procedure.objects.filter(pk=procedure_id)
        .select_related("tribunal")
        .prefetch_related(*_details())
        .get()
    )


@router.get(
    "/procedures/{procedure_id}",
    response={200: ProcedureOut, **errors(401, 403, 404, 422)},
    summary="Lire une procédure",
    description="Parties, infractions et jugements. La lecture est inscrite dans l’historique "
    "de chaque personne partie, au nom du client.",
)
def get_procedure(request: HttpRequest, procedure_id: int) -> object:
    agent = caller(request, ApiScope.PROCEDURES_READ).agent
    procedure = access_procedure(agent, procedure_id)  # with its tribunal
    prefetch_related_objects([procedure], *_details())
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


# --- Registration from another software ------------------------------------------------------


class IdentityIn(Schema):
    last_name: str = Field(..., min_length=1, max_length=100)
    first_names: str = Field(..., min_length=1, max_length=150)
    birth_date: date
    phone: str | None = Field(None, max_length=30, description="Portable, s’il est connu")
    appi_number: str | None = Field(None, max_length=20)


class PartyIn(Schema):
    role: Party.Role
    identity: IdentityIn
    person_id: int | None = Field(
        None,
        description="Une fiche existante : une que le client voit, ou une de celles que la "
        "recherche de doublons a renvoyées (409) pour cette identité",
    )
    confirm_probable_duplicate: bool = Field(
        False, description="Créer la fiche malgré un doublon probable (409 « probable_duplicate »)"
    )


class ChargeIn(Schema):
    natinf: int = Field(..., ge=1, le=999_999)
    facts_from: date
    facts_until: date | None = None
    place: str = Field("", max_length=200)
    party: int | None = Field(
        None, ge=0, description="Le rang, dans « parties » (à partir de 0), du mis en cause"
    )


class ProcedureIn(Schema):
    parquet_number: str = Field(..., min_length=1, max_length=40, description="11 chiffres")
    origin: Procedure.Origin
    received_on: date
    origin_unit: str = Field("", max_length=200)
    origin_reference: str = Field("", max_length=100, description="Numéro de procès-verbal")
    facts_from: date | None = None
    facts_until: date | None = None
    summary: str = Field("", max_length=5000)
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    charges: list[ChargeIn] = Field(default_factory=list, max_length=100)
    acknowledged: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Les codes des avertissements (422 « warnings ») que le greffe confirme",
    )


class PartyDuplicateProblem(Problem):
    party: int = Field(description="Le rang de la personne dans « parties »")
    candidates: list[Candidate]


def _identity(agent: Agent, index: int, identity: IdentityIn) -> Identity:
    form = PartyPersonForm(
        {**identity.model_dump(), "role": Party.Role.SUSPECT}, region=agent.service.phone_region
    )
    if not form.is_valid():
        raise form_problem(
            {
                f"parties[{index}].identity.{field}": [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
        )
    return form.identity()


def _party(agent: Agent, index: int, party: PartyIn) -> ExternalParty:
    identity = _identity(agent, index, party.identity)
    person = None
    if party.person_id is not None:
        candidates = registration.duplicate_candidates(identity)
        try:
            person = access_person_for_party(agent, party.person_id, candidate_ids=candidates)
        except Http404:
            raise form_problem(
                {
                    f"parties[{index}].person_id": [
                        "Cette fiche n’est ni suivie par ce service ni trouvée par la "
                        "recherche de doublons pour cette identité."
                    ]
                }
            ) from None
    return ExternalParty(
        role=party.role,
        identity=identity,
        person=person,
        confirm_probable=party.confirm_probable_duplicate,
    )


def _registration_refused(error: ValidationError | WarningsToAcknowledge) -> ApiProblem:
    if isinstance(error, WarningsToAcknowledge):
        return ApiProblem(
            422,
            "warnings",
            "À confirmer : " + " ".join(w.message for w in error.warnings) + " Renvoyez la "
            "requête avec ces codes dans « acknowledged » pour enregistrer quand même.",
            errors=[
                {"field": w.field, "message": w.message, "location": "body", "code": w.code}
                for w in error.warnings
            ],
        )
    if hasattr(error, "error_dict"):
        return form_problem(error.message_dict)
    return form_problem({"__all__": error.messages})


def _duplicate(error: PartyDuplicate) -> ApiProblem:
    report = error.report
    found = [(person, reason) for person, reason in report.certain] + [
        (person, "une identité proche (nom, prénoms et date de naissance)")
        for person in report.probable
    ]
    return ApiProblem(
        409,
        "duplicate" if report.blocks else "probable_duplicate",
        f"La personne n° {error.index} de « parties » est "
        + ("déjà" if report.blocks else "peut-être déjà")
        + " enregistrée : reprenez sa fiche avec « person_id »"
        + ("." if report.blocks else ", ou confirmez avec « confirm_probable_duplicate »."),
        party=error.index,
        candidates=[
            {
                "id": person.pk,
                "last_name": person.last_name,
                "first_names": person.first_names,
                "birth_date": person.birth_date.isoformat(),
                "reason": reason,
            }
            for person, reason in found
        ],
    )


@router.post(
    "/procedures",
    response={
        201: ProcedureOut,
        **errors(401, 403, 413, 422),
        409: PartyDuplicateProblem,
    },
    summary="Enregistrer une procédure (bureau d’ordre)",
    description="Pour un parquet de tribunal judiciaire : la procédure, ses personnes (avec "
    "la recherche nationale de doublons des écrans) et ses infractions (NATINF en vigueur "
    "le jour des faits), tout ou rien. Les erreurs nomment leur place "
    "(« charges[0].natinf »).",
)
def create_procedure(
    request: HttpRequest,
    payload: ProcedureIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    current = caller(request, ApiScope.PROCEDURES_WRITE)
    agent = current.agent

    def produce() -> HttpResponse:
        tribunal = agent.service.jurisdiction
        if not rules.can_register_procedure(agent) or tribunal is None:
            raise ApiProblem(
                403,
                "forbidden",
                "Seul le parquet d’un tribunal judiciaire enregistre une procédure.",
            )
        parties = [_party(agent, index, party) for index, party in enumerate(payload.parties)]
        data = registration.ProcedureData(
            **payload.model_dump(exclude={"parties", "charges", "acknowledged"})
        )
        charges = [registration.ExternalCharge(**charge.model_dump()) for charge in payload.charges]
        try:
            procedure = registration.register_external(
                agent=agent,
                tribunal=tribunal,
                data=data,
                parties=parties,
                charges=charges,
                acknowledged=payload.acknowledged,
            )
        except PartyDuplicate as error:
            raise _duplicate(error) from None
        except (ValidationError, WarningsToAcknowledge) as error:
            raise _registration_refused(error) from None
        return HttpResponse(
            ProcedureOut.from_orm(_detailed(procedure.pk)).model_dump_json(),
            status=201,
            content_type="application/json; charset=utf-8",
        )

    return run_idempotent(request, current, idempotency_key, produce)
