"""One settings module, read from the environment (see .env.example for every variable).

Defaults give the zero-service demo: SQLite, eager Celery tasks, DEBUG on. Production sets
DJANGO_DEBUG=false, and then a real SECRET_KEY is required, never defaulted.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .security import weak_secret_reason

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
# A guessable secret signs sessions, password-reset links and CSRF tokens an attacker can forge.
if not DEBUG and (_weak := weak_secret_reason(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is refused with DJANGO_DEBUG=false: {_weak}. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_celery_beat",
    "accounts",
    "kpi",
    "tools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "isales.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "isales.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "isales.urls"
WSGI_APPLICATION = "isales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kpi.context_processors.nav",
            ],
        },
    },
]

# SQLite is the zero-service demo; production and CI set DATABASE_URL=postgres://...
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered dashboard boards are cached per data version (kpi/services/board_cache.py). Production shares
# one Redis (CACHE_URL=redis://host:6379/1); without it each process keeps its own local-memory cache,
# which stays correct because the data versions live in the database. The Redis backend fails open
# (isales/cache.py): with Redis down, pages and login are served without the cache, never a 500.
_CACHE_URL = env.str("CACHE_URL", default="")
_CACHE_TIMEOUT_S = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
if _CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            **env.cache_url_config(_CACHE_URL, backend="isales.cache.FailOpenRedisCache"),
            "OPTIONS": {"socket_connect_timeout": _CACHE_TIMEOUT_S, "socket_timeout": _CACHE_TIMEOUT_S},
        }
    }
elif _CACHE_URL:
    CACHES = {"default": env.cache_url_config(_CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "isales"}}
# With a shared cache, sessions are read from it (a query less on every page) and written through to
# the database. Not with per-process memory: a logout would not reach the other processes.
if _CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: a locked-out username + address is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After AXES_FAILURE_LIMIT wrong passwords for one login from one address, that pair is locked for
# AXES_COOLOFF_MINUTES (429 and a page saying so); a successful login resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the email)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Behind a proxy, the client's address comes from the header the proxy sets (e.g. X-Forwarded-For).
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])

# Idle expiry: a session ends SESSION_IDLE_MINUTES after its last request (isales/middleware.py), and
# with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=120) * 60
SESSION_IDLE_REFRESH = min(300, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
# One Japanese catalogue: locale/ja/LC_MESSAGES/django.po (`make messages` compiles it).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The organisation's time zone: local days, weeks and months are bucketed in it.
TIME_ZONE = env.str("ISALES_TIME_ZONE", default="Asia/Tokyo")
# The organisation's working day, for pace: today counts by the share of working time passed. A rep's
# day starts at WORKDAY_START and lasts their work_hours_per_day plus the break.
WORKDAY_START = env.str("ISALES_WORKDAY_START", default="09:00")
WORKDAY_HOURS = env.float("ISALES_WORKDAY_HOURS", default=8.0)
WORKDAY_BREAK_HOURS = env.float("ISALES_WORKDAY_BREAK_HOURS", default=1.0)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG  # serve static/ directly in the demo, no collectstatic needed
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("ISALES_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded import files are streamed to disk, never held in memory whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=50 * 1024 * 1024)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="isales@localhost")
# Where people open the product: links in emails are absolute (a mail client has no base URL).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "kpi.api.auth.IntegrationTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kpi.api.permissions.IsPerson"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kpi.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "kpi.api.exception_handler.api_exception_handler",
    # Per integration token and per signed-in person (kpi/api/throttling.py); over the rate: 429.
    "DEFAULT_THROTTLE_CLASSES": ["kpi.api.throttling.TokenRateThrottle", "kpi.api.throttling.PersonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": f"{env.int('API_THROTTLE_TOKEN_PER_MINUTE', default=600)}/min",
        "user": f"{env.int('API_THROTTLE_USER_PER_MINUTE', default=300)}/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISales KPI API",
    "DESCRIPTION": "Inside-sales KPIs: ingest calls, emails and meetings; read KPI values, targets, "
    "definitions and review items.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from this server (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "kpi.api.schema.add_error_responses"],
}

# Celery: Redis is the broker; with no broker configured tasks run eagerly (demo, unit tests).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for a retry
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Broker down: a send gives up within about a second and a half instead of hanging the request (the
# write has committed; kpi/services/enqueue.py decides what happens to the task).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # the worker itself waits for Redis to come back
# Long work is bounded: a rollup rebuild measures about a minute on the benchmark data, an import of a
# million rows under a minute. The soft limit raises inside the task (its transaction rolls back), the
# hard one kills the worker process.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=20 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=25 * 60)
# Redis redelivers a message not acknowledged within the visibility timeout (acks are late, so a killed
# worker's task comes back after it). Longer than the longest task, so a running task is never handed
# out twice; shorter than IMPORT_JOB_STALE_MINUTES, so a redelivered import resumes before the reaper
# would fail it.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=30 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 5,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures and lockouts (WARNING) are what ops need.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Content-Security-Policy (django-csp) on every response: scripts and styles from this server only;
# the few inline <script>/<style> blocks carry the request's nonce. Inline style attributes (bar widths)
# stay allowed: they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    # Production is served over HTTPS only (a TLS proxy in front of gunicorn).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's own).
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ROLLUP_RECONCILE_DAYS = env.int("ROLLUP_RECONCILE_DAYS", default=35)
# An import RUNNING this long without finishing lost its worker: the reaper marks it FAILED with that reason.
IMPORT_JOB_STALE_MINUTES = env.int("IMPORT_JOB_STALE_MINUTES", default=180)
if not (
    CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT < IMPORT_JOB_STALE_MINUTES * 60
):
    raise ImproperlyConfigured(
        "Celery limits must grow in this order: CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < "
        "CELERY_VISIBILITY_TIMEOUT < IMPORT_JOB_STALE_MINUTES (in seconds)"
    )
# Uploaded import files are deleted this many days after their import finished; the job, its counts and
# its list of refused rows stay (kpi/services/imports/jobs.py, the nightly upload-retention task).
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=30)
# Parallel workers per rollup rebuild statement. The leader scans too, so workers + 1 processes run;
# more than the database host's cores only contend. The default assumes PostgreSQL runs on a host like
# this one (docker-compose, one server); set it to the database host's cores - 1 otherwise.
ROLLUP_PARALLEL_WORKERS = env.int("ROLLUP_PARALLEL_WORKERS", default=max(1, min(8, (os.cpu_count() or 2) - 1)))
