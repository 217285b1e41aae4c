"""Referentials, read-only: the organisation (jurisdictions, services), NATINF offences and
convocation types (scope ``referentials:read``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jalon.access.models import Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.api.auth import caller
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, errors
from jalon.appointments.models import AppointmentType
from jalon.cases import picker
from jalon.cases.models import Offence

router = Router(tags=["Référentiels"])


class JurisdictionOut(Schema):
    id: int
    kind: str = Field(description="« ca » (cour d’appel) ou « tj » (tribunal judiciaire)")
    code: str
    name: str
    court_of_appeal_id: int | None


class JurisdictionPage(Schema):
    items: list[JurisdictionOut]
    next_cursor: str | None = Field(description="À passer en « cursor » pour la page suivante")


class JurisdictionFilters(Schema):
    kind: Jurisdiction.Kind | None = None
    court_of_appeal: int | None = Field(None, description="Les tribunaux de cette cour d’appel")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/jurisdictions",
    response={200: JurisdictionPage, **errors(401, 403, 422)},
    summary="Juridictions (cours d’appel et tribunaux judiciaires)",
)
def list_jurisdictions(request: HttpRequest, filters: Query[JurisdictionFilters]) -> object:
    caller(request, ApiScope.REFERENTIALS_READ)
    jurisdictions = Jurisdiction.objects.all()
    if filters.kind:
        jurisdictions = jurisdictions.filter(kind=filters.kind)
    if filters.court_of_appeal is not None:
        jurisdictions = jurisdictions.filter(court_of_appeal_id=filters.court_of_appeal)
    items, cursor = paginate(jurisdictions, ["code", "pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


class ServiceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    jurisdiction_id: int | None
    parent_id: int | None = Field(description="Le SPIP d’une antenne")
    served_jurisdiction_ids: list[int] = Field(description="Les tribunaux desservis (SPIP)")
    time_zone: str
    uses_platform: bool

    @staticmethod
    def resolve_kind_label(service: Service) -> str:
        return service.get_kind_display()

    @staticmethod
    def resolve_served_jurisdiction_ids(service: Service) -> list[int]:
        return [jurisdiction.pk for jurisdiction in service.served_jurisdictions.all()]


class ServicePage(Schema):
    items: list[ServiceOut]
    next_cursor: str | None


class ServiceFilters(Schema):
    kind: ServiceKind | None = None
    jurisdiction: int | None = Field(None, description="Les services rattachés à ce tribunal")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/services",
    response={200: ServicePage, **errors(401, 403, 422)},
    summary="Services (SPIP, SAP, BEX, greffes, parquets…)",
)
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> object:
    caller(request, ApiScope.REFERENTIALS_READ)
    services = Service.objects.filter(is_active=True).prefetch_related(
        Prefetch("served_jurisdictions", queryset=Jurisdiction.objects.only("pk"))
    )
    if filters.kind:
        services = services.filter(kind=filters.kind)
    if filters.jurisdiction is not None:
        services = services.filter(jurisdiction_id=filters.jurisdiction)
    items, cursor = paginate(services, ["name", "pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


class OffenceOut(Schema):
    number: int = Field(description="Numéro NATINF")
    nature: str
    kind: str
    qualification: str
    defined_by: str
    punished_by: str
    in_force_from: date
    retired_from: date | None


class OffenceFilters(Schema):
    q: str = Field(
        ..., min_length=1, max_length=200, description="Début du numéro ou mots de la qualification"
    )
    limit: int = Field(picker.LIMIT, ge=1, le=picker.LIMIT)


@router.get(
    "/offences",
    response={200: list[OffenceOut], **errors(401, 403, 422)},
    summary="Recherche d’infractions NATINF",
    description="Les meilleures correspondances (en vigueur d’abord), comme le sélecteur des "
    "écrans ; pas de pagination : affinez la recherche.",
)
def search_offences(request: HttpRequest, filters: Query[OffenceFilters]) -> object:
    caller(request, ApiScope.REFERENTIALS_READ)
    return picker.search_offences(filters.q, limit=filters.limit)


@router.get(
    "/offences/{number}",
    response={200: OffenceOut, **errors(401, 403, 404, 422)},
    summary="Une infraction NATINF",
)
def get_offence(request: HttpRequest, number: int) -> object:
    caller(request, ApiScope.REFERENTIALS_READ)
    offence = Offence.objects.filter(number=number).first()
    if offence is None:
        raise ApiProblem(404, "not_found", f"Aucune infraction NATINF n° {number}.")
    return offence


class AppointmentTypeOut(Schema):
    code: str
    label: str
    service_kinds: list[str]
    uses_slots: bool
    allows_weekends: bool
    default_duration_minutes: int


@router.get(
    "/appointment-types",
    response={200: list[AppointmentTypeOut], **errors(401, 403)},
    summary="Types de convocation",
)
def list_appointment_types(request: HttpRequest) -> object:
    caller(request, ApiScope.REFERENTIALS_READ)
    return AppointmentType.objects.filter(is_active=True).order_by("position", "label")
