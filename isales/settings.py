"""One settings module, read from the environment (see .env.example for every variable).

Defaults give the zero-service demo: SQLite, eager Celery tasks, DEBUG on. Production sets
DJANGO_DEBUG=false, and then a real SECRET_KEY is required, never defaulted.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
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
    "django_celery_beat",
    "accounts",
    "kpi",
    "tools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# one Redis (CACHE_URL=redis://host:6379/1, Django's built-in RedisCache); without it each process keeps
# its own local-memory cache, which stays correct because the data versions live in the database.
_CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL, backend="django.core.cache.backends.redis.RedisCache" if _CACHE_URL.startswith("redis") else None
    )
    if _CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "isales"}
}
# With a shared cache, sessions are read from it (a query less on every page) and written through to
# the database. Not with per-process memory: a logout would not reach the other processes.
if _CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
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
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "kpi.api.exception_handler.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISales KPI API",
    "DESCRIPTION": "Inside-sales KPIs: ingest calls, emails and meetings; read KPI values, targets, "
    "definitions and review items.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
ROLLUP_RECONCILE_DAYS = env.int("ROLLUP_RECONCILE_DAYS", default=35)
# An import RUNNING this long without finishing lost its worker: the reaper marks it FAILED with that reason.
IMPORT_JOB_STALE_MINUTES = env.int("IMPORT_JOB_STALE_MINUTES", default=180)
# Parallel workers per rollup rebuild statement. The leader scans too, so workers + 1 processes run;
# more than the database host's cores only contend. The default assumes PostgreSQL runs on a host like
# this one (docker-compose, one server); set it to the database host's cores - 1 otherwise.
ROLLUP_PARALLEL_WORKERS = env.int("ROLLUP_PARALLEL_WORKERS", default=max(1, min(8, (os.cpu_count() or 2) - 1)))
