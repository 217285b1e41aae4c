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
