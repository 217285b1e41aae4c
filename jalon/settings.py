"""Django settings for Jalon, read from the environment (see docs/environment.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from jalon.core.dburl import parse_database_url
from jalon.core.env import Environment

BASE_DIR = Path(__file__).resolve().parent.parent
env = Environment()

JALON_ENV = env.kind
DEBUG = env.get_bool("DEBUG", default=False)
SECRET_KEY = env.get_str(
    "SECRET_KEY",
    default="insecure-development-key-never-used-in-production",
    required_in_production=True,
)
ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"],
    required_in_production=True,
)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.get_str("SITE_URL", default="http://127.0.0.1:8000", required_in_production=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "procrastinate.contrib.django",
    "ninja",
    "jalon.core",
    "jalon.history",
    "jalon.access",
    "jalon.territory",
    "jalon.people",
    "jalon.help",
    "jalon.cases",
    "jalon.sms",
    "jalon.appointments",
    "jalon.situations",
    "jalon.stats",
    "jalon.api",
    "jalon.transfers",
    "jalon.public",
    "jalon.imports",
    "jalon.space",
    "jalon.backoffice",
    "jalon.dataset",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), before everything that may answer.
    "jalon.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jalon.core.middleware.RejectInvalidInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jalon.core.middleware.RequestContextMiddleware",
    "jalon.core.middleware.MethodNotAllowedPageMiddleware",
    "jalon.access.middleware.IdleTimeoutMiddleware",
    "jalon.access.middleware.AgentMiddleware",
    "jalon.access.middleware.AgentSessionMiddleware",
    "jalon.access.middleware.SecurityGatesMiddleware",
    "jalon.core.submissions.SubmitOnceMiddleware",
]

ROOT_URLCONF = "jalon.urls"
WSGI_APPLICATION = "jalon.wsgi.application"
ASGI_APPLICATION = "jalon.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jalon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jalon.core.context_processors.site",
                "jalon.core.csp.nonce",
                "jalon.access.context_processors.navigation",
                "jalon.help.context_processors.contextual_help",
            ],
        },
    },
]

# Database: PostgreSQL only. Without DATABASE_URL (development and tests), the embedded
# server (pgserver) starts on first connection with its data in ./.pgdata.
_database_url = env.get_str("DATABASE_URL", required_in_production=True)
if _database_url:
    _default_db = parse_database_url(_database_url)
else:
    _default_db = {
        "ENGINE": "jalon.embedded_db",
        "NAME": "jalon",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
    }
_default_db["CONN_MAX_AGE"] = env.get_int("DATABASE_CONN_MAX_AGE", default=0)
_default_db["CONN_HEALTH_CHECKS"] = True
_default_db["TEST"] = {"NAME": env.get_optional_str("DATABASE_TEST_NAME")}
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication
AUTH_USER_MODEL = "access.Agent"
AUTHENTICATION_BACKENDS = [
    "jalon.access.backends.AgentBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env.get_int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)

# Lockout (MSJ-76, jalon/access/lockout.py): 3 failures lock an account from one client
# address; LOCKOUT_ACCOUNT_FAILURES across all addresses lock it everywhere. Per address, so
# that nobody elsewhere can lock a colleague out; not per address alone, since a whole court
# may share one.
LOCKOUT_FAILURES = 3
LOCKOUT_ACCOUNT_FAILURES = env.get_int("LOCKOUT_ACCOUNT_FAILURES", default=10)
LOCKOUT_COOLOFF = timedelta(minutes=env.get_int("LOCKOUT_MINUTES", default=30))

# Sessions: an idle agent is logged out after JALON_IDLE_MINUTES; any request (including
# the keep-alive ping the page sends while the agent types) extends it (CNP-13).
IDLE_TIMEOUT = timedelta(minutes=env.get_int("JALON_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = env.get_int("SESSION_MAX_AGE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "jalon_session"
CSRF_COOKIE_NAME = "jalon_csrftoken"

# Two-factor authentication (TOTP)
OTP_TOTP_ISSUER = env.get_str("OTP_ISSUER", default="Jalon")
JALON_REQUIRE_2FA_EVERYWHERE = env.get_bool("JALON_REQUIRE_2FA_EVERYWHERE", default=False)

# ProConnect sign-in (OpenID Connect, jalon/access/oidc.py, docs/access.md): off unless the
# issuer, the client id and the client secret are all set.
PROCONNECT_ISSUER = env.get_str("PROCONNECT_ISSUER")
PROCONNECT_CLIENT_ID = env.get_str("PROCONNECT_CLIENT_ID")
PROCONNECT_CLIENT_SECRET = env.get_str("PROCONNECT_CLIENT_SECRET")
PROCONNECT_SCOPES = env.get_str(
    "PROCONNECT_SCOPES", default="openid email given_name usual_name uid siret"
)
PROCONNECT_MFA_AMR = env.get_list("PROCONNECT_MFA_AMR", default=["mfa"])
PROCONNECT_TIMEOUT_SECONDS = env.get_int("PROCONNECT_TIMEOUT_SECONDS", default=5)

# Security headers; production turns on HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.is_production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
JALON_TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", default=0)

# Internationalisation: the interface speaks French; times are stored in UTC and shown
# in each service's own time zone.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "jalon" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "jalon.core.staticstorage.IntactManifestStorage"
            if env.is_production
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env.is_production
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

# E-mail
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if env.is_production
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.get_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.get_str(
    "DEFAULT_FROM_EMAIL",
    default="Jalon <ne-pas-repondre@jalon.invalid>",
    required_in_production=True,
)

# Background jobs (procrastinate on the same PostgreSQL)
WORKER_HEARTBEAT_MAX_AGE = timedelta(
    seconds=env.get_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=60)
)

# Logging: JSON lines in production (one event per line for the log collector), plain
# text in development.
LOG_FORMAT = env.get_str("LOG_FORMAT", default="json" if env.is_production else "text")
LOG_LEVEL = env.get_str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "jalon.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# SMS (docs/environment.md): "dev" keeps messages on the machine (page /dev/sms/).
JALON_SMS_PROVIDER = env.get_str("JALON_SMS_PROVIDER", default="dev", required_in_production=True)
JALON_SMS_SENDER = env.get_str("JALON_SMS_SENDER", default="RDV Justice")
JALON_SMS_PRIMARY_WEIGHT = env.get_int("JALON_SMS_PRIMARY_WEIGHT", default=70)
JALON_SMS_MAX_PARTS = env.get_int("JALON_SMS_MAX_PARTS", default=3)
JALON_SMS_WEBHOOK_SECRET = env.get_str(
    "JALON_SMS_WEBHOOK_SECRET", default="dev-only-sms-webhook-secret", required_in_production=True
)
JALON_PUBLIC_BASE_URL = env.get_str("JALON_PUBLIC_BASE_URL", default="")
# Signs the short links an SMS carries (service page, personal convocation link): public/links.py.
JALON_LINK_SECRET = env.get_str("JALON_LINK_SECRET", default="")
JALON_SLOT_MONTHS_AHEAD = env.get_int("JALON_SLOT_MONTHS_AHEAD", default=3)

# Interface
JALON_SITE_TITLE = "Jalon"
JALON_SITE_TAGLINE = "Suivi pénal centré sur la personne"
JALON_SUPPORT_EMAIL = env.get_str("SUPPORT_EMAIL", default="support@jalon.invalid")

env.check()
