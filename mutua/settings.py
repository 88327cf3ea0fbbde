"""One settings file, driven by the environment (12-factor).

Every value that differs between a laptop and production comes from an environment variable;
the defaults are the embedded demo set-up (SQLite under ./var, DEBUG on).
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MUTUA_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-demo"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "mutua.core",
    "mutua.countries",
    "mutua.entities",
    "mutua.members",
    "mutua.activities",
    "mutua.clients",
    "mutua.ledger",
    "mutua.engagements",
    "mutua.invoicing",
    "mutua.payroll",
    "mutua.contracts",
    "mutua.banking",
    "mutua.fund",
    "mutua.expenses",
    "mutua.services",
    "mutua.governance",
    "mutua.rules",
    "mutua.reporting",
    "mutua.portal",
    "mutua.backoffice",
    "mutua.api",
    "mutua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mutua.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mutua.members.middleware.StaffMfaRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutua.urls"
WSGI_APPLICATION = "mutua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutua.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mutua.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for the writer instead of failing at once: the demo runs a worker beside the server.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user never reaches a password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: English by default, French and Dutch from the start.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # project-wide assets (CSS, vendored htmx), no CDN
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
WHITENOISE_USE_FINDERS = DEBUG  # the demo serves assets straight from the apps
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))  # never served directly

# Mail
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mutua <no-reply@mutua.localhost>")

# Sessions: end after half an hour without activity.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the page meta tag, not the cookie

SECURE = not DEBUG
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Background tasks (mail, deliveries, declarations). The embedded demo runs them in the request
# once its transaction commits; production stores them in the database for `mutua worker`.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[
            os.environ.get("MUTUA_TASKS", "immediate" if DEBUG else "database")
        ]
    }
}
# System checks to silence, comma-separated (e.g. `mutua.W001` where a configuration check must not
# fail on the operational warning that the official payroll tables end soon: scripts/prod-check.sh).
SILENCED_SYSTEM_CHECKS = [c for c in os.environ.get("MUTUA_SILENCED_CHECKS", "").split(",") if c]
# Legal parameter sets approved by staff in another process are seen within this many seconds.
MUTUA_RULES_REFRESH_SECONDS = float(os.environ.get("MUTUA_RULES_REFRESH_SECONDS", "30"))
# Everything from this site only; no inline script or style anywhere (mutua.core.middleware).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# The federation view converts every entity's figures into this currency (rates: mutua report).
MUTUA_REPORTING_CURRENCY = os.environ.get("MUTUA_REPORTING_CURRENCY", "EUR")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# django-allauth: e-mail login, mandatory verification, TOTP + recovery codes.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mutua] "
# Sign-in pages queue their mail (password reset, verification): a mail server down is no 500.
ACCOUNT_ADAPTER = "mutua.core.mail.QueuedMailAdapter"
# django-axes (below) locks first; allauth's own limit stays as a second net.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,10/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mutua"

# django-axes: lock an account + address after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "mutua.members.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"

# Shared state. allauth keeps in Django's cache the TOTP codes already used, its sign-in rate
# limits and their locks: with a per-process memory cache every gunicorn worker would accept a
# used code again and count failures apart. On a real server REDIS_URL points every process (web
# and `mutua worker`) at one Redis; the embedded demo is one process and keeps the memory cache.
# django-axes keeps its lockouts in the database, shared already.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mutua"),  # one Redis, several uses
            # A stalled Redis fails the request within seconds instead of holding a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off (redis://127.0.0.1:6379/0): used TOTP codes and "
        "sign-in limits must be shared by every process (docs/DEPLOY.md)"
    )

# Behind the reverse proxy (deploy/nginx) gunicorn's peer is nginx, not the client: nginx puts
# the client's address in this header (X-Real-IP), which the sign-in limits (allauth, axes) then
# read. Set it only when gunicorn can be reached through the proxy alone.
MUTUA_CLIENT_IP_HEADER = os.environ.get("MUTUA_CLIENT_IP_HEADER", "")
if MUTUA_CLIENT_IP_HEADER:
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = MUTUA_CLIENT_IP_HEADER
    _CLIENT_IP_META = "HTTP_" + MUTUA_CLIENT_IP_HEADER.upper().replace("-", "_")

    def _client_ip(request: Any) -> str | None:
        return request.META.get(_CLIENT_IP_META) or request.META.get("REMOTE_ADDR") or None

    AXES_CLIENT_IP_CALLABLE = _client_ip

# Staff (any role) must have a second factor before they reach a page.
MUTUA_STAFF_MFA_REQUIRED = env_bool("MUTUA_STAFF_MFA_REQUIRED", True)

# A confirmed order form becomes work contracts (with their Dimona / DPAE) at once.
MUTUA_CONTRACT_REQUESTER = os.environ.get(
    "MUTUA_CONTRACT_REQUESTER", "mutua.contracts.handoff.ContractMaker"
)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
