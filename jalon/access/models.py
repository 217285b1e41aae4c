"""Organisation model: jurisdictions, services, profiles and agents."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from jalon.access.roles import (
    CA_KINDS,
    SPIP_KINDS,
    TJ_KINDS,
    Capability,
    Family,
    JurisdictionLevel,
    ServiceKind,
)
from jalon.core.dates import (
    HOLIDAY_SUBDIVISION_CHOICES,
    PHONE_REGION_BY_SUBDIVISION,
    TIME_ZONE_CHOICES,
)


class Jurisdiction(models.Model):
    """A cour d'appel (CA) or a tribunal judiciaire (TJ); every TJ belongs to one CA."""

    class Kind(models.TextChoices):
        COURT_OF_APPEAL = "ca", "Cour d’appel"
        JUDICIAL_COURT = "tj", "Tribunal judiciaire"

    kind = models.CharField("type", max_length=2, choices=Kind.choices)
    name = models.CharField("nom", max_length=200, unique=True)
    code = models.SlugField("code", max_length=50, unique=True)
    court_of_appeal = models.ForeignKey(
        "self",
        verbose_name="cour d’appel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tribunals",
        limit_choices_to={"kind": "ca"},
    )
    active_since = models.DateField("en service depuis", null=True, blank=True)

    class Meta:
        verbose_name = "juridiction"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="tj_has_ca_and_ca_has_none",
                condition=(
                    models.Q(kind="tj", court_of_appeal__isnull=False)
                    | models.Q(kind="ca", court_of_appeal__isnull=True)
                ),
                violation_error_message=(
                    "Un tribunal judiciaire doit relever d’une cour d’appel ; "
                    "une cour d’appel ne relève d’aucune autre."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_court_of_appeal(self) -> bool:
        return self.kind == self.Kind.COURT_OF_APPEAL

    def clean(self) -> None:
        if (
            self.court_of_appeal_id
            and self.court_of_appeal
            and not self.court_of_appeal.is_court_of_appeal
        ):
            raise ValidationError({"court_of_appeal": "Choisissez une cour d’appel."})


class Service(models.Model):
    """A unit agents belong to (SPIP, SAP, BEX, parquet …), attached to a TJ or a CA.

    A SPIP may serve several TJs (``served_jurisdictions``); an antenna belongs to its SPIP.
    """

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=ServiceKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name="juridiction de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    served_jurisdictions = models.ManyToManyField(
        Jurisdiction,
        verbose_name="tribunaux desservis (SPIP)",
        blank=True,
        related_name="serving_spips",
        limit_choices_to={"kind": "tj"},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="SPIP de rattachement (antenne)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="antennas",
    )
    time_zone = models.CharField(
        "fuseau horaire", max_length=40, choices=TIME_ZONE_CHOICES, default="Europe/Paris"
    )
    holiday_subdivision = models.CharField(
        "calendrier des jours fériés",
        max_length=8,
        choices=HOLIDAY_SUBDIVISION_CHOICES,
        default="",
        blank=True,
    )
    email = models.EmailField("adresse électronique du service", blank=True)
    phone = models.CharField("téléphone du service", max_length=30, blank=True)
    uses_platform = models.BooleanField(
        "utilise Jalon",
        default=True,
        help_text="Décochez pour un service qui n’est pas encore déployé.",
    )
    inter_ressort = models.BooleanField(
        "convocations inter-ressort",
        default=False,
        help_text=(
            "Permet de convoquer en sortie d’audience une personne qui réside dans un autre "
            "ressort auprès des services de ce ressort (expérimentation)."
        ),
    )
    requires_2fa = models.BooleanField("double authentification obligatoire", default=False)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "service"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="national_service_has_no_jurisdiction",
                condition=(
                    models.Q(kind=ServiceKind.NATIONAL, jurisdiction__isnull=True)
                    | (~models.Q(kind=ServiceKind.NATIONAL) & models.Q(jurisdiction__isnull=False))
                ),
                violation_error_message=(
                    "Seule l’administration centrale n’a pas de juridiction de rattachement."
                ),
            ),
            models.CheckConstraint(
                name="only_antennas_have_parent",
                condition=(
                    models.Q(kind=ServiceKind.SPIP_ANTENNA, parent__isnull=False)
                    | (~models.Q(kind=ServiceKind.SPIP_ANTENNA) & models.Q(parent__isnull=True))
                ),
                violation_error_message="Une antenne SPIP, et elle seule, relève d’un SPIP.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_region(self) -> str:
        return PHONE_REGION_BY_SUBDIVISION.get(self.holiday_subdivision, "FR")

    @property
    def is_spip(self) -> bool:
        return self.kind in SPIP_KINDS

    def clean(self) -> None:
        errors: dict[str, str] = {}
        jurisdiction = self.jurisdiction if self.jurisdiction_id else None
        if self.kind == ServiceKind.NATIONAL:
            if jurisdiction is not None:
                errors["jurisdiction"] = (
                    "L’administration centrale n’a pas de juridiction de rattachement."
                )
        elif jurisdiction is None:
            errors["jurisdiction"] = "Choisissez la juridiction de rattachement."
        elif self.kind in TJ_KINDS and jurisdiction.is_court_of_appeal:
            errors["jurisdiction"] = "Ce type de service relève d’un tribunal judiciaire."
        elif self.kind in CA_KINDS and not jurisdiction.is_court_of_appeal:
            errors["jurisdiction"] = "Ce type de service relève d’une cour d’appel."
        parent = self.parent if self.parent_id else None
        if self.kind == ServiceKind.SPIP_ANTENNA:
            if parent is None or parent.kind != ServiceKind.SPIP:
                errors["parent"] = "Une antenne relève d’un SPIP."
        elif parent is not None:
            errors["parent"] = "Seule une antenne SPIP relève d’un autre service."
        if errors:
            raise ValidationError(errors)


class Profile(models.Model):
    """A profile an agent holds: data, so that new profiles need no code (SIS-28)."""

    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("libellé", max_length=100, unique=True)
    family = models.CharField("famille", max_length=20, choices=Family.choices)
    allowed_service_kinds = ArrayField(
        models.CharField(max_length=30, choices=ServiceKind.choices),
        verbose_name="types de service autorisés",
    )
    jurisdiction_level = models.CharField(
        "niveau de juridiction",
        max_length=3,
        choices=JurisdictionLevel.choices,
        default=JurisdictionLevel.ANY,
    )
    capabilities = ArrayField(
        models.CharField(max_length=50, choices=Capability.choices),
        verbose_name="capacités",
        default=list,
        blank=True,
    )
    requires_2fa = models.BooleanField("double authentification obligatoire", default=False)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "profil"
        ordering = ["family", "label"]

    def __str__(self) -> str:
        return self.label

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def fits(self, service: Service) -> bool:
        """Whether an agent of ``service`` may hold this profile."""
        if service.kind not in self.allowed_service_kinds:
            return False
        if self.jurisdiction_level == JurisdictionLevel.ANY:
            return True
        jurisdiction = service.jurisdiction if service.jurisdiction_id else None
        return jurisdiction is not None and jurisdiction.kind == self.jurisdiction_level


class AgentQuerySet(models.QuerySet["Agent"]):
    def active(self) -> AgentQuerySet:
        return self.filter(is_active=True)

    def with_organisation(self) -> AgentQuerySet:
        return self.select_related("service", "service__jurisdiction", "profile")


class AgentManager(BaseUserManager["Agent"]):
    def get_queryset(self) -> AgentQuerySet:
        return AgentQuerySet(self.model, using=self._db)

    def with_organisation(self) -> AgentQuerySet:
        return self.get_queryset().with_organisation()

    def get_by_natural_key(self, username: str | None) -> Agent:
        return self.get_queryset().with_organisation().get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Agent:
        agent = self.model(email=self.normalize_email(email).lower(), **fields)
        agent.set_password(password)
        agent.save(using=self._db)
        return agent

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Agent:
        """A superuser operator, national administrator too (used by ``createsuperuser``)."""
        service, _ = Service.objects.get_or_create(
            kind=ServiceKind.NATIONAL, defaults={"name": "Administration centrale"}
        )
        fields.setdefault("service", service)
        fields.setdefault("profile", Profile.objects.get(code="national_admin"))
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


# Tables only superuser operators see in /admin/: authentication and sessions, second factors,
# background jobs, content types, login failures, the DSFR's site settings.
TECHNICAL_APP_LABELS = frozenset(
    {"auth", "contenttypes", "sessions", "otp_totp", "django_otp", "procrastinate", "dsfr"}
)
TECHNICAL_MODELS = frozenset({"access.loginfailures"})


def is_technical_permission(perm: str) -> bool:
    """Whether a Django permission ("app_label.codename_model") is about a technical table."""
    app_label, _, codename = perm.partition(".")
    if app_label in TECHNICAL_APP_LABELS:
        return True
    model = codename.split("_", 1)[-1]
    return f"{app_label}.{model}" in TECHNICAL_MODELS


class Agent(AbstractBaseUser):
    """A person who works with Jalon; logs in with their e-mail address."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    service = models.ForeignKey(
        Service, verbose_name="service", on_delete=models.PROTECT, related_name="agents"
    )
    profile = models.ForeignKey(
        Profile, verbose_name="profil", on_delete=models.PROTECT, related_name="agents"
    )
    phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    share_phone = models.BooleanField("partager mon téléphone", default=False)
    share_email = models.BooleanField("partager mon adresse électronique", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("créé le", default=timezone.now)
    charter_accepted_at = models.DateTimeField("charte acceptée le", null=True, blank=True)
    # Operators of the platform (not a profile: a technical role given by ``createsuperuser``
    # or by another superuser operator in /admin/).
    is_staff = models.BooleanField(
        "opérateur",
        default=False,
        help_text="Accède à la console technique /admin/ (référentiels).",
    )
    is_superuser = models.BooleanField(
        "opérateur principal",
        default=False,
        help_text="Voit aussi les tables techniques (sessions, seconds facteurs, tâches).",
    )

    objects = AgentManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "agent"
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="agent_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if self.profile_id and self.service_id and not self.profile.fits(self.service):
            raise ValidationError(
                {"profile": f"Le profil « {self.profile} » n’existe pas dans ce service."}
            )

    @property
    def is_national_admin(self) -> bool:
        return self.profile.has(Capability.ADMINISTER_PLATFORM)

    # Django admin and permission hooks. /admin/ is the operators' technical console: staff
    # operators see the referentials there, superuser operators also the technical tables
    # (sessions, second factors, jobs...). National administrators use the DSFR back office
    # under /administration/ instead, whatever their profile.
    def has_perm(self, perm: str, obj: object = None) -> bool:
        if not (self.is_active and self.is_staff):
            return False
        return self.is_superuser or not is_technical_permission(perm)

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not (self.is_active and self.is_staff):
            return False
        return self.is_superuser or app_label not in TECHNICAL_APP_LABELS


class LoginFailures(models.Model):
    """Failed passwords for one account from one client address (see ``access.lockout``).

    The account is the e-mail as the login matches it (trimmed, lower case), known or not, so
    that case variants share one counter and an unknown address behaves like a known one.
    """

    account = models.CharField("compte", max_length=254)
    address = models.CharField("adresse IP", max_length=45, blank=True)
    failures = models.PositiveIntegerField("échecs", default=0)
    last_failure_at = models.DateTimeField("dernier échec")

    class Meta:
        verbose_name = "échecs de connexion"
        verbose_name_plural = "échecs de connexion"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "address"], name="login_failures_one_row_per_account_address"
            )
        ]
        indexes = [models.Index(fields=["last_failure_at"], name="login_failures_last_idx")]

    def __str__(self) -> str:
        return f"{self.account} depuis {self.address or '?'} : {self.failures}"


class AgentSession(models.Model):
    """One open session of an agent (the "Mon compte" list), beside Django's session row.

    Keyed by a SHA-256 of the session key, never the key itself: reading this table does not
    let anyone take a session over. Written at login, its ``last_seen_at`` refreshed by
    ``AgentSessionMiddleware`` at most once a minute; ending a session deletes Django's row
    (the agent is logged out at their next request) and this one.
    """

    agent = models.ForeignKey(
        Agent, verbose_name="agent", on_delete=models.CASCADE, related_name="sessions"
    )
    key_hash = models.CharField("empreinte de la session", max_length=64, unique=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    address = models.CharField("adresse IP", max_length=45, blank=True)
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    last_seen_at = models.DateTimeField("dernière activité", default=timezone.now)

    class Meta:
        verbose_name = "session d’agent"
        verbose_name_plural = "sessions d’agents"
        indexes = [models.Index(fields=["agent", "-last_seen_at"], name="agent_session_recent")]

    def __str__(self) -> str:
        return f"{self.agent} — {self.device}"

    @property
    def device(self) -> str:
        """A short French description of the browser and system from the user agent."""
        return describe_user_agent(self.user_agent)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} sous {system}"
    return browser or system or "Navigateur inconnu"
