"""Settings, read from the environment (see README.md, "Configuration").

Everything that differs between a laptop demo and a production deployment comes from an
`FTZSAFETY_*` variable; nothing secret is committed. Runtime files (the SQLite database, the
generated secret key, keys, collected static files) live under `var/` in the working directory.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("FTZSAFETY_VAR_DIR") or Path.cwd() / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """FTZSAFETY_SECRET_KEY, else a key generated once into var/secret_key (mode 0600)."""
    if key := os.environ.get("FTZSAFETY_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# SM4 data keys and the zone's SM2 signing key (ftzsafety.security.keys creates it 0700, key files 0600).
KEY_DIR = Path(os.environ.get("FTZSAFETY_KEY_DIR") or VAR_DIR / "keys").resolve()
# This zone's id in signed messages to peer zones (credit records, issue 8); default: the demo zone.
ZONE_ID = os.environ.get("FTZSAFETY_ZONE_ID", "binhai-ftz-demo")
DEBUG = _env_bool("FTZSAFETY_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FTZSAFETY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FTZSAFETY_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "ftzsafety.core",
    "ftzsafety.accounts",
    "ftzsafety.security",
    "ftzsafety.audit",
    "ftzsafety.enterprises",
    "ftzsafety.dangerous_goods",
    "ftzsafety.exchange",
    "ftzsafety.credit",
    "ftzsafety.documents",
    "ftzsafety.certificates",
    "ftzsafety.hazards",
    "ftzsafety.enforcement",
    "ftzsafety.filings",
    "ftzsafety.demo",
    "ftzsafety.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ftzsafety.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ftzsafety.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ftzsafety.portal.errors.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ftzsafety.accounts.sessions.SessionPolicyMiddleware",
    # Last, so that it sees a lockout flagged by the authentication backend anywhere in the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ftzsafety.urls"
WSGI_APPLICATION = "ftzsafety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ftzsafety.portal.context_processors.portal",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("FTZSAFETY_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ftzsafety.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web workers read while the task worker writes; IMMEDIATE transactions take the
    # write lock up front, so two writers queue on busy_timeout instead of failing with "locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "ftzsafety.accounts.passwords.CharacterClassValidator"},
    {"NAME": "ftzsafety.accounts.passwords.NotUsernameValidator"},
]
# Idle timeout 30 minutes (sliding: every request renews it) and an absolute limit per sign-in (等保 2.0 level 3).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("FTZSAFETY_SESSION_ABSOLUTE_HOURS", "12")) * 3600
# django-axes first: 5 failed sign-ins lock the user name for 15 minutes (GB/T 22239-2019 §8.1.4.1 b).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_MINUTES = 15
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ftzsafety.accounts.views.locked_out"
AXES_VERBOSE = False
# 等保 locks the account after repeated failures, whatever address they come from; a per-address lock would let an
# attacker spread guesses over many addresses. Hence the user name alone, and axes' W006 advice is declined.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"
LOGIN_REDIRECT_URL_PATH = "/"
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("FTZSAFETY_API_TOKEN_DAYS", "90"))

# --- i18n: Chinese first, English complete ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("FTZSAFETY_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files (served by WhiteNoise straight from the apps; no collectstatic step needed) ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- security defaults ----------------------------------------------------------------------
HTTPS = _env_bool("FTZSAFETY_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024  # a 10,000-row JSON import fits; larger files go by CLI

# Map tiles: empty means the vector layers alone on a plain background (works offline). A URL such as
# https://tile.example.org/{z}/{x}/{y}.png adds a tile layer, and its origin is allowed by the CSP.
MAP_TILE_URL = os.environ.get("FTZSAFETY_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("FTZSAFETY_MAP_TILE_ATTRIBUTION", "")

# --- background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- API --------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FTZSAFETY_LOG_LEVEL", "INFO")},
    # axes logs every sign-in at INFO; failures and locks are in the audit trail already.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
