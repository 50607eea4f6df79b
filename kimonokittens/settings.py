"""The one settings module. Everything that differs between machines comes from the environment.

An optional `.env` file beside manage.py is read first; variables already set in the real
environment win. See docs/deploy.md for the production values and deploy/env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE points elsewhere (or at /dev/null, as the settings tests do) when needed.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(production), or DEBUG=true for a local development machine."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kimonokittens.admin_site.HouseAdminConfig",  # django.contrib.admin, its site lazier
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "ninja",
    "kimonokittens.apps.AxesConfig",  # django-axes, under a Swedish name
    "csp",
    "rent",
    "handbook",
    "api",
    # After the apps whose permissions its roles grant: its post_migrate makes the household's
    # roles once their permissions exist.
    "household",
    # Above every app: the readable backup reads them all.
    "backup",
    # The project package itself: its system checks (kimonokittens.checks).
    "kimonokittens.apps.ProjectConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security: every request gets its id and its log line, static files too.
    "kimonokittens.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the login kept under the data version.
    "kimonokittens.middleware.KeptLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kimonokittens.middleware.HouseholdMembersOnlyMiddleware",
    "kimonokittens.middleware.PrivateCacheMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kimonokittens.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kimonokittens" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kimonokittens.context_processors.household",
            ],
        },
    },
]

WSGI_APPLICATION = "kimonokittens.wsgi.application"

# The embedded default: an SQLite file inside the project, so a new machine needs no server.
# Production: DATABASE_URL=postgres://user:password@host:5432/kimonokittens
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before a request reuses it: after PostgreSQL restarts, the first
# request on each worker reconnects instead of failing with "terminating connection".
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before the password is checked.
    "kimonokittens.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The site's own look (base.html's stylesheet); apps keep theirs in <app>/static/.
STATICFILES_DIRS = [BASE_DIR / "kimonokittens" / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Strict in production: a template naming a missing static file fails loudly. The test suite
# runs without collectstatic and turns this off (see pyproject.toml).
WHITENOISE_MANIFEST_STRICT = env.bool("WHITENOISE_MANIFEST_STRICT", default=True)

# Behind nginx, which terminates TLS. Each is configurable; all are safe when DEBUG is off.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check is asked over plain HTTP on loopback by the service manager.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The admin's address, without the leading slash (e.g. ADMIN_URL=kontor-7f3a/): guessers of
# /admin/ find nothing there.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or
# from one address, logins from there are refused for AXES_COOLOFF_MINUTES; the treasurer or a
# superuser unlocks earlier by deleting the row under "Åtkomstförsök" in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kimonokittens.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "kimonokittens.middleware.client_ip"
AXES_VERBOSE = False
# Behind nginx every request comes from loopback: the client is the address nginx appended.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=1 if BEHIND_PROXY else 0)

# Content-Security-Policy (django-csp): only the site's own scripts, styles and images. The two
# inline blocks of the admin's month pages carry the request's nonce; nothing else is inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# URL namespaces only household members reach (household.roles.is_household_member): 403 for any
# other login. A new app with household data adds its namespace here.
MEMBERS_ONLY_NAMESPACES = ["handbook", "admin", "rent"]
# Single views outside those namespaces that are for members too: the API's docs and schema (the
# API itself takes tokens and decides per endpoint, api.auth).
MEMBERS_ONLY_VIEWS = ["api:openapi-view", "api:openapi-json"]

# Work limits of one request: a handbook text (proposal or preview), and an admin import file.
HANDBOOK_MAX_TEXT_CHARS = env.int("HANDBOOK_MAX_TEXT_CHARS", default=100_000)
ADMIN_IMPORT_MAX_BYTES = env.int("ADMIN_IMPORT_MAX_BYTES", default=1_000_000)
ADMIN_IMPORT_MAX_ROWS = env.int("ADMIN_IMPORT_MAX_ROWS", default=500)
IMPORT_EXPORT_TMP_STORAGE_CLASS = "rent.admin.import_limits.CheckedTempFolderStorage"
# Exported cells never start a formula: rent.admin.resources neutralises them (django-import-
# export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a leading "=" and turns numbers
# to text).

# Email: EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 (django-environ's
# forms). The console default prints every message, so `make run` shows set-password links.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kimonokittens@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: SMS_URL, like EMAIL_URL. `console://` (the default) prints every message;
# `46elks://API_USERNAME:API_PASSWORD@api.46elks.com` sends through 46elks' HTTP API.
# SMS_FROM is the sender shown (at most 11 letters or digits, or a phone number).
SMS_URL = env.str("SMS_URL", default="console://")
SMS_FROM = env.str("SMS_FROM", default="Kimonokitt")

# Cache: CACHE_URL, a process-local memory cache by default. With several gunicorn workers or
# machines use a shared one, e.g. CACHE_URL=redis://127.0.0.1:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# A shared cache keeps the sessions too, so a request reads its session from the cache, not the
# database (written through to both). A per-process cache does not: a logout must reach every
# worker at once.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    else "django.contrib.sessions.backends.cached_db"
)

# Where `import_rent` reads the household's files when given no path (see docs/deploy.md).
RENT_DATA_DIR = env.str("RENT_DATA_DIR", default="")
DEMO_DATA_DIR = BASE_DIR / "fixtures"

# Payments: the treasurer's Swish number (shown on statements and in reminders) and the
# reminder schedule around the due day (the 27th): a heads-up this many days before, a
# reminder on the day, then an overdue reminder every RENT_REMINDER_OVERDUE_EVERY days; the
# treasurer's summary of who has not paid on the day after the due day.
RENT_SWISH_NUMBER = env.str("RENT_SWISH_NUMBER", default="")
RENT_REMINDER_DAYS_BEFORE = env.int("RENT_REMINDER_DAYS_BEFORE", default=3)
RENT_REMINDER_OVERDUE_EVERY = env.int("RENT_REMINDER_OVERDUE_EVERY", default=3)
# The day of the month the coming month saves itself (save_coming_month), when its bills are
# complete and nothing needs a decision; otherwise the treasurer is told what is missing.
RENT_AUTOSAVE_DAY = env.int("RENT_AUTOSAVE_DAY", default=20)
# The largest bank statement file the admin reads, in bytes.
BANK_STATEMENT_MAX_BYTES = env.int("BANK_STATEMENT_MAX_BYTES", default=5_000_000)

# How often the hallway kiosk (/kiosk/) asks for new data, in seconds.
KIOSK_POLL_SECONDS = env.int("KIOSK_POLL_SECONDS", default=30)

# How many other members must approve a handbook proposal before it merges.
HANDBOOK_REQUIRED_APPROVALS = env.int("HANDBOOK_REQUIRED_APPROVALS", default=2)
# The site's address, for links in emails (reminders, handbook notifications). Required in
# production: `check --deploy` fails while it is unset (kimonokittens/checks.py).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# Handbook attachments: uploaded files live in MEDIA_ROOT and are served only to members,
# through Django, or (in production) by nginx after Django's check: X-Accel-Redirect to
# HANDBOOK_ATTACHMENTS_ACCEL_PREFIX, an `internal` location (deploy/nginx.conf.example).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
HANDBOOK_ATTACHMENTS_X_ACCEL = env.bool("HANDBOOK_ATTACHMENTS_X_ACCEL", default=not DEBUG)
HANDBOOK_ATTACHMENTS_ACCEL_PREFIX = "/protected-media/"
HANDBOOK_ATTACHMENT_MAX_BYTES = env.int("HANDBOOK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# Every record carries the request's id (kimonokittens.middleware): an error's log lines and the
# error page a member sees name the same id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "kimonokittens.request_id.RequestIdFilter"},
        # A token in a path (/k/<token>/, api/kiosk_base.py) never reaches a log in full.
        "token_paths": {"()": "api.token_paths.TokenPathFilter"},
    },
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "token_paths"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
