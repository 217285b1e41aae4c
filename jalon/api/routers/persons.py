"""Persons under supervision: search, read, register (with the national duplicate check) and
correct contact details, through the same rules and actions as the screens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema

from jalon.access.lookups import access_person
from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import people as rules
from jalon.api.auth import caller
from jalon.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jalon.api.idempotency import run_idempotent
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, Problem, errors, form_problem
from jalon.history.actions import record_person_read
from jalon.people import actions, search
from jalon.people.actions import DuplicatePersonError
from jalon.people.duplicates import DuplicateReport
from jalon.people.forms import PersonForm
from jalon.people.models import Person

router = Router(tags=["Personnes"])


class FollowOut(Schema):
    service_id: int
    service_name: str
    since: datetime


class PersonOut(Schema):
    id: int
    last_name: str
    first_names: str
    birth_date: date
    appi_number: str | None
    phone: str | None = Field(description="Portable au format E.164 (+33612345678)")
    has_no_mobile: bool
    refuses_sms: bool
    homeless: bool
    lives_abroad: bool
    landline: str = Field(description="Téléphone fixe au format E.164, vide si inconnu")
    email: str
    address: str = Field(description="Numéro et voie")
    address_complement: str
    postal_code: str
    city: str
    lawyer: str = Field(description="Avocat : nom, barreau et contact")
    archived: bool
    followed_by: list[FollowOut]

    @staticmethod
    def resolve_archived(person: Person) -> bool:
        return person.is_archived

    @staticmethod
    def resolve_followed_by(person: Person) -> list[dict[str, Any]]:
        return [
            {"service_id": f.service_id, "service_name": f.service.name, "since": f.since}
            for f in person.follows.all()
        ]


class PersonSummary(Schema):
    id: int
    last_name: str
    first_names: str
    birth_date: date
    appi_number: str | None
    archived: bool

    @staticmethod
    def resolve_archived(person: Person) -> bool:
        return person.is_archived


class PersonPage(Schema):
    items: list[PersonSummary]
    next_cursor: str | None


class PersonFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        description="Nom (début), téléphone, numéro APPI ou numéro de parquet, comme la "
        "recherche des écrans",
    )
    birth_date: date | None = None
    archived: bool | None = Field(None, description="true : les archivées ; false : les autres")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "",
    response={200: PersonPage, **errors(401, 403, 422)},
    summary="Rechercher les personnes suivies",
    description="Les personnes que voit un agent du service pour lequel le client agit.",
)
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> object:
    agent = caller(request, ApiScope.PERSONS_READ).agent
    persons = rules.persons_visible_to(agent)
    if filters.q and filters.q.strip():
        persons = search.search(
            persons,
            filters.q,
            agent.service.phone_region,
            appointments=appointment_rules.appointments_visible_to(agent),
        )
    if filters.birth_date is not None:
        persons = persons.filter(birth_date=filters.birth_date)
    if filters.archived is not None:
        persons = persons.filter(archived_at__isnull=not filters.archived)
    items, cursor = paginate(
        persons, ["last_name_key", "first_names_key", "pk"], filters.cursor, filters.limit
    )
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/{person_id}",
    response={200: PersonOut, **errors(401, 403, 404, 422)},
    summary="Lire la fiche d’une personne",
    description="La lecture est inscrite dans l’historique de la personne, au nom du client.",
)
def get_person(request: HttpRequest, person_id: int) -> object:
    agent = caller(request, ApiScope.PERSONS_READ).agent
    person = access_person(agent, person_id)
    record_person_read("api", actor=agent, persons=person)
    return person


class PersonIn(Schema):
    last_name: str = Field(..., min_length=1, max_length=100)
    first_names: str = Field(..., min_length=1, max_length=150)
    birth_date: date
    phone: str | None = Field(
        None, max_length=30, description="Portable, lu dans la région du service"
    )
    has_no_mobile: bool = False
    refuses_sms: bool = False
    appi_number: str | None = Field(None, max_length=20)
    homeless: bool = False
    lives_abroad: bool = False
    landline: str = Field("", max_length=30, description="Téléphone fixe, lu dans la région")
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200, description="Numéro et voie")
    address_complement: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=10, description="5 chiffres en France")
    city: str = Field("", max_length=100)
    lawyer: str = Field("", max_length=200)
    confirm_probable_duplicate: bool = Field(
        False,
        description="Créer malgré un doublon probable (réponse 409 « probable_duplicate »), "
        "comme « Créer quand même » dans les écrans",
    )


class Candidate(Schema):
    id: int
    last_name: str
    first_names: str
    birth_date: date
    reason: str


class DuplicateProblem(Problem):
    candidates: list[Candidate] = Field(description="Les fiches existantes que ce client voit")
    hidden_candidates: int = Field(
        description="Les fiches existantes suivies hors du ressort de ce service (non montrées)"
    )


def _errors_dict(form: PersonForm) -> dict[str, list[str]]:
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }


def _duplicate_problem(agent: Agent, report: DuplicateReport) -> ApiProblem:
    found = [(person, reason) for person, reason in report.certain] + [
        (person, "une identité proche (nom, prénoms et date de naissance)")
        for person in report.probable
    ]
    visible = set(
        rules.persons_visible_to(agent)
        .filter(pk__in=[person.pk for person, _ in found])
        .values_list("pk", flat=True)
    )
    candidates = [
        {
            "id": person.pk,
            "last_name": person.last_name,
            "first_names": person.first_names,
            "birth_date": person.birth_date.isoformat(),
            "reason": reason,
        }
        for person, reason in found
        if person.pk in visible
    ]
    if report.blocks:
        return ApiProblem(
            409,
            "duplicate",
            "Cette personne est déjà enregistrée (même numéro APPI ou de téléphone) : "
            "utilisez la fiche existante.",
            candidates=candidates,
            hidden_candidates=len(found) - len(candidates),
        )
    return ApiProblem(
        409,
        "probable_duplicate",
        "Une personne à l’identité proche est peut-être déjà enregistrée : vérifiez, puis "
        "renvoyez avec « confirm_probable_duplicate » à true pour la créer quand même.",
        candidates=candidates,
        hidden_candidates=len(found) - len(candidates),
    )


def _json(status: int, payload: Schema) -> HttpResponse:
    return HttpResponse(
        payload.model_dump_json(), status=status, content_type="application/json; charset=utf-8"
    )


@router.post(
    "",
    response={201: PersonOut, 409: DuplicateProblem, **errors(401, 403, 413, 422)},
    summary="Enregistrer une personne",
    description="Avec la recherche nationale de doublons des écrans : un doublon certain "
    "(même APPI ou téléphone) ou probable répond 409 avec les fiches que le client peut voir.",
)
def create_person(
    request: HttpRequest,
    payload: PersonIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    current = caller(request, ApiScope.PERSONS_WRITE)
    agent = current.agent

    def produce() -> HttpResponse:
        if not rules.can_create_person(agent):
            raise PermissionDenied("Ce service n’enregistre pas de personnes suivies.")
        form = PersonForm(payload.model_dump(), region=agent.service.phone_region)
        if not form.is_valid():
            raise form_problem(_errors_dict(form))
        try:
            person = actions.register_person(
                agent=agent,
                identity=form.identity(),
                confirm_probable=payload.confirm_probable_duplicate,
            )
        except DuplicatePersonError as duplicate:
            raise _duplicate_problem(agent, duplicate.report) from None
        person = access_person(agent, person.pk)
        return _json(201, PersonOut.from_orm(person))

    return run_idempotent(request, current, idempotency_key, produce)


class ContactIn(Schema):
    """Only the fields given change; the others keep their value."""

    phone: str | None = Field(None, max_length=30)
    has_no_mobile: bool | None = None
    refuses_sms: bool | None = None
    homeless: bool | None = None
    lives_abroad: bool | None = None
    landline: str | None = Field(
        None, max_length=30, description="Téléphone fixe ; gardé quand « has_no_mobile » est vrai"
    )
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=200)
    address_complement: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=100)
    lawyer: str | None = Field(None, max_length=200)


@router.patch(
    "/{person_id}/contact",
    response={200: PersonOut, 409: DuplicateProblem, **errors(401, 403, 404, 413, 422)},
    summary="Modifier les coordonnées d’une personne",
    description="Portable, absence de portable, refus des SMS, sans domicile stable, réside à "
    "l’étranger, téléphone fixe, adresse électronique, adresse postale, avocat. Un numéro "
    "déjà enregistré pour une autre personne répond 409. Une chaîne vide efface un champ "
    "de coordonnées.",
)
def update_contact(request: HttpRequest, person_id: int, payload: ContactIn) -> object:
    agent = caller(request, ApiScope.PERSONS_WRITE).agent
    person = access_person(agent, person_id)
    if not rules.can_edit_person(agent, person):
        raise ApiProblem(
            403,
            "forbidden",
            "Cette fiche ne peut pas être modifiée (archivée, ou service non habilité).",
        )
    changes = payload.model_dump(exclude_unset=True)
    data: dict[str, Any] = {
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": person.birth_date,
        "phone": person.phone or "",
        "has_no_mobile": person.has_no_mobile,
        "refuses_sms": person.refuses_sms,
        "appi_number": person.appi_number or "",
        "homeless": person.homeless,
        "lives_abroad": person.lives_abroad,
        "landline": person.landline,
        "email": person.email,
        "address": person.address,
        "address_complement": person.address_complement,
        "postal_code": person.postal_code,
        "city": person.city,
        "lawyer": person.lawyer,
    }
    if changes.get("has_no_mobile") and "phone" not in changes:
        changes["phone"] = None  # "no mobile" clears the mobile number; the landline stays
    data.update({key: ("" if value is None else value) for key, value in changes.items()})
    form = PersonForm(data, region=agent.service.phone_region)
    if not form.is_valid():
        raise form_problem(_errors_dict(form))
    try:
        actions.update_person(
            agent=agent, person=person, identity=form.identity(referent=person.referent)
        )
    except DuplicatePersonError as duplicate:
        raise _duplicate_problem(agent, duplicate.report) from None
    return access_person(agent, person.pk)
