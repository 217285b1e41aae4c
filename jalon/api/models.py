"""Partners of the API: their clients, the services they act for, and their idempotent writes."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiScope(models.TextChoices):
    """What a client may do; each endpoint names the scope it needs."""

    PERSONS_READ = "persons:read", "Lire les personnes suivies"
    PERSONS_WRITE = "persons:write", "Enregistrer des personnes et modifier leurs coordonnées"
    CONVOCATIONS_READ = "convocations:read", "Lire les convocations et les créneaux"
    CONVOCATIONS_WRITE = "convocations:write", "Convoquer, annuler, reporter, noter la présence"
    REFERENTIALS_READ = "referentials:read", "Lire les référentiels (organisation, NATINF, types)"
    SITUATIONS_READ = "situations:read", "Lire les situations (parquets)"
    PROCEDURES_READ = "procedures:read", "Lire les procédures et les jugements"
    PROCEDURES_WRITE = "procedures:write", "Enregistrer des procédures (bureau d’ordre)"
    WEBHOOKS = "webhooks", "Recevoir des notifications (webhooks)"


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def usable(self, today: date | None = None) -> ApiClientQuerySet:
        """Clients whose key authenticates today: not revoked, not expired."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class ApiClient(models.Model):
    """A partner's application, created by a national administrator.

    It acts for one or more services (``ApiClientService``), each through a service account
    agent, so that every call goes through the same access rules and actions as the screens
    and history names the client (decision 0006).
    """

    name = models.CharField("nom de l’application", max_length=150, unique=True)
    contact_name = models.CharField("contact", max_length=150)
    contact_email = models.EmailField("adresse électronique du contact")
    scopes = ArrayField(
        models.CharField(max_length=40, choices=ApiScope.choices),
        verbose_name="droits",
        default=list,
        blank=True,
    )
    services = models.ManyToManyField(
        "access.Service",
        through="ApiClientService",
        related_name="api_clients",
        verbose_name="services pour lesquels il agit",
    )
    key_prefix = models.CharField("début de la clé", max_length=20)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_created_at = models.DateTimeField("clé créée le", default=timezone.now)
    expires_on = models.DateField(
        "date d’expiration", null=True, blank=True, help_text="La clé vaut jusqu’à ce jour inclus."
    )
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "access.Agent",
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = "client API"
        verbose_name_plural = "clients API"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, today: date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        return [ApiScope(scope).label for scope in self.scopes if scope in ApiScope.values]


class ApiClientService(models.Model):
    """A service a client acts for, with the service account agent that acts in its name."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="identities")
    service = models.ForeignKey("access.Service", on_delete=models.PROTECT, related_name="+")
    agent = models.OneToOneField(
        "access.Agent", on_delete=models.PROTECT, related_name="api_identity"
    )

    class Meta:
        verbose_name = "service d’un client API"
        constraints = [
            models.UniqueConstraint(fields=["client", "service"], name="api_client_service_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client} — {self.service}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an ``Idempotency-Key``, replayed for the same key.

    One row per client and key (a unique constraint): a second request with the same key
    waits on the first one's insert, then reads its answer.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    # Written with the answer, in the transaction of the change: 0 never commits.
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(default="")
    content_type = models.CharField(max_length=100, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_unique")
        ]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_expires_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.key}"


class WebhookEvent(models.TextChoices):
    """What a client may subscribe to; each delivery names one."""

    CONVOCATION_BOOKED = "convocation.booked", "Convocation enregistrée"
    CONVOCATION_CANCELLED = "convocation.cancelled", "Convocation annulée"
    CONVOCATION_HONOURED = "convocation.honoured", "Convocation honorée"
    CONVOCATION_MISSED = "convocation.missed", "Convocation non honorée"
    SMS_DELIVERED = "sms.delivered", "SMS reçu"
    SMS_FAILED = "sms.failed", "SMS non reçu ou en échec"
    TRANSFER_REQUESTED = "transfer.requested", "Transfert demandé"
    TRANSFER_ACCEPTED = "transfer.accepted", "Transfert accepté"
    JUDGMENT_RECORDED = "judgment.recorded", "Jugement enregistré"


class WebhookSubscription(models.Model):
    """A client's URL that receives some events, each delivery signed with its secret.

    The signing secret is not stored: it is derived from the project's secret key, the
    subscription and its ``secret_version`` (``webhooks.signing_secret``, decision 0007).
    """

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField("adresse de réception", max_length=500)
    events = ArrayField(
        models.CharField(max_length=40, choices=WebhookEvent.choices), verbose_name="événements"
    )
    secret_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    ended_at = models.DateTimeField("résilié le", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement webhook"
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["client"], condition=Q(ended_at__isnull=True), name="webhook_sub_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.url}"

    @property
    def event_labels(self) -> list[str]:
        return [WebhookEvent(event).label for event in self.events if event in WebhookEvent.values]


class WebhookDelivery(models.Model):
    """One event for one subscription: its body, kept as sent, and its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        DELIVERED = "delivered", "Remis"
        FAILED = "failed", "En échec"

    uuid = models.UUIDField(unique=True)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "envoi webhook"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["subscription", "-id"], name="webhook_delivery_sub")]

    def __str__(self) -> str:
        return f"{self.event} {self.uuid}"


class WebhookAttempt(models.Model):
    """One HTTP call of a delivery: the log a client and an administrator read."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    replay = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
