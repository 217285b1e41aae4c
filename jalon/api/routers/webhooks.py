"""Webhooks (scope ``webhooks``): a client subscribes its URLs to events, reads the log of
its deliveries and sends a failed one again. Every delivery is signed with the
subscription's secret (``Jalon-Signature``, see the API's description and docs/api.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema

from jalon.api import webhook_actions as actions
from jalon.api.auth import Caller, caller
from jalon.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jalon.api.idempotency import run_idempotent
from jalon.api.models import ApiScope, WebhookDelivery, WebhookEvent, WebhookSubscription
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, errors
from jalon.api.routers.convocations import refusal

router = Router(tags=["Webhooks"])

EventName = Literal[
    "convocation.booked",
    "convocation.cancelled",
    "convocation.honoured",
    "convocation.missed",
    "sms.delivered",
    "sms.failed",
    "transfer.requested",
    "transfer.accepted",
    "judgment.recorded",
]
assert set(EventName.__args__) == set(WebhookEvent.values)  # type: ignore[attr-defined]


class SubscriptionIn(Schema):
    url: str = Field(..., max_length=500, description="Adresse HTTPS qui reçoit les envois")
    events: list[EventName] = Field(..., min_length=1, max_length=len(WebhookEvent.values))


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: datetime


class SubscriptionWithSecret(SubscriptionOut):
    secret: str = Field(description="Secret de signature, montré cette fois seulement : gardez-le.")


class AttemptOut(Schema):
    at: datetime
    status_code: int | None
    error: str
    duration_ms: int
    replay: bool


class DeliveryOut(Schema):
    id: uuid.UUID = Field(alias="uuid")
    subscription: int = Field(alias="subscription_id")
    event: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class DeliveryDetail(DeliveryOut):
    body: str = Field(description="Le corps envoyé, tel quel (celui que couvre la signature)")
    log: list[AttemptOut]

    @staticmethod
    def resolve_log(delivery: WebhookDelivery) -> list[object]:
        return list(delivery.log.all())


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


class DeliveryFilters(Schema):
    subscription: int | None = None
    status: Literal["pending", "delivered", "failed"] | None = None
    event: EventName | None = None
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _json(status: int, schema: type[Schema], obj: object, **extra: object) -> HttpResponse:
    data = (SubscriptionOut if extra else schema).from_orm(obj).model_dump(by_alias=True)
    return HttpResponse(
        schema.model_validate({**data, **extra}).model_dump_json(),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def _subscription(current: Caller, subscription_id: int) -> WebhookSubscription:
    found = WebhookSubscription.objects.filter(
        client=current.client, pk=subscription_id, ended_at__isnull=True
    ).first()
    if found is None:
        raise ApiProblem(404, "not_found", "Abonnement introuvable.")
    return found


def _delivery(current: Caller, delivery_id: uuid.UUID) -> WebhookDelivery:
    found = (
        WebhookDelivery.objects.filter(subscription__client=current.client, uuid=delivery_id)
        .select_related("subscription__client")
        .first()
    )
    if found is None:
        raise ApiProblem(404, "not_found", "Envoi introuvable.")
    return found


def _write(
    request: HttpRequest, key: str, produce: Callable[[Caller], HttpResponse]
) -> HttpResponse:
    current = caller(request, ApiScope.WEBHOOKS)

    def answer() -> HttpResponse:
        try:
            return produce(current)
        except ValidationError as error:
            raise refusal(error) from None

    return run_idempotent(request, current, key, answer)


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], **errors(401, 403, 422)},
    summary="Abonnements du client",
)
def list_subscriptions(request: HttpRequest) -> object:
    current = caller(request, ApiScope.WEBHOOKS)
    return WebhookSubscription.objects.filter(client=current.client, ended_at__isnull=True)


@router.post(
    "/subscriptions",
    response={201: SubscriptionWithSecret, **errors(401, 403, 409, 422)},
    summary="S’abonner à des événements",
    description="Renvoie le secret de signature, une seule fois. Au plus 10 abonnements.",
)
def create_subscription(
    request: HttpRequest,
    payload: SubscriptionIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def produce(current: Caller) -> HttpResponse:
        subscription, secret = actions.subscribe(
            agent=current.agent, client=current.client, url=payload.url, events=list(payload.events)
        )
        return _json(201, SubscriptionWithSecret, subscription, secret=secret)

    return _write(request, idempotency_key, produce)


@router.post(
    "/subscriptions/{subscription_id}/rotate-secret",
    response={200: SubscriptionWithSecret, **errors(401, 403, 404, 409, 422)},
    summary="Changer le secret de signature",
    description="L’ancien secret cesse de valoir aussitôt.",
)
def rotate_secret(
    request: HttpRequest,
    subscription_id: int,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def produce(current: Caller) -> HttpResponse:
        subscription = _subscription(current, subscription_id)
        secret = actions.rotate_secret(agent=current.agent, subscription=subscription)
        subscription.refresh_from_db()
        return _json(200, SubscriptionWithSecret, subscription, secret=secret)

    return _write(request, idempotency_key, produce)


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Résilier un abonnement",
)
def end_subscription(request: HttpRequest, subscription_id: int) -> HttpResponse:
    current = caller(request, ApiScope.WEBHOOKS)
    actions.end(agent=current.agent, subscription=_subscription(current, subscription_id))
    return HttpResponse(status=204)


@router.get(
    "/deliveries",
    response={200: DeliveryPage, **errors(401, 403, 422)},
    summary="Journal des envois",
    description="Les plus récents d’abord.",
)
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilters]) -> object:
    current = caller(request, ApiScope.WEBHOOKS)
    deliveries = WebhookDelivery.objects.filter(subscription__client=current.client)
    if filters.subscription is not None:
        deliveries = deliveries.filter(subscription_id=filters.subscription)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    if filters.event:
        deliveries = deliveries.filter(event=filters.event)
    items, cursor = paginate(deliveries, ["-pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/deliveries/{delivery_id}",
    response={200: DeliveryDetail, **errors(401, 403, 404, 422)},
    summary="Lire un envoi et ses tentatives",
)
def get_delivery(request: HttpRequest, delivery_id: uuid.UUID) -> object:
    current = caller(request, ApiScope.WEBHOOKS)
    return _delivery(current, delivery_id)


@router.post(
    "/deliveries/{delivery_id}/replay",
    response={202: DeliveryOut, **errors(401, 403, 404, 409, 422)},
    summary="Renvoyer un envoi en échec",
    description="Une tentative de plus, aussitôt, avec le même corps et le même identifiant.",
)
def replay_delivery(
    request: HttpRequest,
    delivery_id: uuid.UUID,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def produce(current: Caller) -> HttpResponse:
        delivery = _delivery(current, delivery_id)
        actions.replay(agent=current.agent, delivery=delivery)
        delivery.refresh_from_db()
        return _json(202, DeliveryOut, delivery)

    return _write(request, idempotency_key, produce)
