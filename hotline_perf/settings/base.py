"""Settings shared by every environment.

The database comes from one environment variable, ``DATABASE_URL``; without it the embedded
SQLite file ``db.sqlite3`` beside ``manage.py`` is used, so a fresh clone runs with zero
configuration. PostgreSQL is the production database: ``postgres://user:pass@host:5432/name``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext

from .storage import default_storage_from_environment

# Lets classes such as ModelAdmin[Project] be subscripted at run time, for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "django_tasks_db",
    "axes",
    "simple_history",
    # The JSON API (api/): Django REST framework, its OpenAPI schema, and the schema
    # page's Swagger UI served from our own static files (the CSP allows no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Our apps. Their layer is each AppConfig's ``layer`` (load_seeds calls their seeds in
    # that order: core/seeding.py); this order stays as it was, since the content types and
    # permissions of a new database are numbered in it.
    "core",
    "accounts",
    "budgets",
    "targets",
    "evaluations",
    "operations",
    "documents",
    "records",
    "comparisons",
    "rectifications",
    "results_use",
    "disclosure",
    "overview",
    "api",
]

MIDDLEWARE = [
    # First: a request id and one log line per request (core/request_log.py).
    "core.request_log.RequestLogMiddleware",
    # Before anything reads a body: too large or of unknown length is refused from the
    # headers (core/request_limits.py).
    "core.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Records who made each change in the history tables (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it answers a locked-out login attempt (django-axes).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Failed logins (django-axes): after 5 failures for one username from one address, that
# pair is locked out for an hour and the login page says so in Chinese
# (templates/registration/locked_out.html).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address is the client's as the trusted proxies report it (core/client_ip.py):
# behind a proxy REMOTE_ADDR is the proxy's, the same for everyone.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# direct peer is the client). settings/prod.py reads it from the environment.
HOTLINE_PERF_PROXY_COUNT = 0
# settings/prod.py sets it: the production refusals (core/checks.py) apply.
HOTLINE_PERF_PRODUCTION = False

# Content Security Policy (Django's built-in middleware). Scripts come only from our own
# static files: no inline script anywhere (each page's behaviour is a file in static/js).
# Styles also allow inline attributes: the print previews set column widths and @page
# boxes inline (templates/reports/), and a style cannot run code.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

ROOT_URLCONF = "hotline_perf.urls"

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
                "core.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "hotline_perf.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The users work in Simplified Chinese; English is available through the same catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Django's defaults, named so that settings/prod.py can change one entry.
# "default": stored files, in MEDIA_ROOT or an S3 bucket (HOTLINE_PERF_STORAGE, see
# settings/storage.py).
STORAGES = {
    "default": default_storage_from_environment(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded and generated files live outside the web root and are served through views.
MEDIA_ROOT = Path(os.environ.get("HOTLINE_PERF_MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Logs: one JSON object per line on stderr (core/request_log.py), with the request id
# on every line logged during a request; Django's errors also go to ADMINS by mail when
# ADMINS is set and DEBUG is off (settings/prod.py reads ADMINS from the environment).
# HOTLINE_PERF_LOG_LEVEL: the app's and every library's lines from this level up.
LOG_LEVEL = os.environ.get("HOTLINE_PERF_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.request_log.JsonFormatter"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "request_id": {"()": "core.request_log.RequestIdFilter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL},
        # Libraries that narrate every step at INFO: their warnings only.
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Mail (Django's MAILERS): printed on the console here; settings/prod.py sends it by SMTP.
MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
# 待办 by mail (core/notifications.py): off unless set; uses the mail settings above.
HOTLINE_PERF_EMAIL_NOTIFICATIONS = os.environ.get(
    "HOTLINE_PERF_EMAIL_NOTIFICATIONS", ""
).strip().lower() in ("1", "true", "yes", "on")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # reversed in the language of the login page
LOGOUT_REDIRECT_URL = "login"

# Background tasks (django.tasks). The embedded default runs each task at once, inside the
# request, so rendering works with no extra service; production (settings/prod.py) queues
# them in the database for `manage.py db_worker` (django-tasks-db, whose tables every
# environment has so that switching backends needs no migration).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}

# Task workers (`manage.py run_worker`, documents/leases.py): a worker beats every
# `heartbeat_seconds`; a render job (or worker) without a beat for `lease_seconds` is lost,
# and its job is queued again at most `max_retries` times, then marked failed. Every worker
# looks for lost jobs on start and every `recovery_seconds`. Retention (`manage.py prune`):
# rendered files no longer current, finished task results and dead workers' rows older
# than `retention_days`.
DOCUMENTS_WORKERS = {
    "heartbeat_seconds": float(os.environ.get("HOTLINE_PERF_WORKER_HEARTBEAT", "10")),
    "lease_seconds": float(os.environ.get("HOTLINE_PERF_WORKER_LEASE", "120")),
    "recovery_seconds": float(os.environ.get("HOTLINE_PERF_WORKER_RECOVERY", "30")),
    "max_retries": int(os.environ.get("HOTLINE_PERF_WORKER_MAX_RETRIES", "3")),
    "retention_days": int(os.environ.get("HOTLINE_PERF_RETENTION_DAYS", "30")),
}

# Target review (targets/reasonableness.py, targets/monitoring.py). Shares are Decimal
# strings so that settings stay exact.
TARGETS_REVIEW = {
    # A quantitative target this far from the history it is compared with is flagged.
    "history_deviation": "0.10",
    # Budget execution ÷ elapsed share of the year: below "red" is red, below "yellow" is
    # yellow, else green (the common 运行监控 rule).
    "execution_red": "0.60",
    "execution_yellow": "0.80",
}

# Request bodies (core/request_limits.py): refused from Content-Length before they
# are read. The largest upload is an evidence file (20 MB); the form around it is small.
REQUEST_BODY_MAX_BYTES = 25 * 1024 * 1024
# Form fields other than files, held in memory (Django's default, stated).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file larger than this is spooled to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Raw hotline records (records/, docs/records.md). The engine the KPI expressions run on:
# DuckDB in-process, or Spark ("master": "local[*]" / a master URL, or "remote":
# "sc://host:15002" for Spark Connect) — records/engines.py.
RECORDS_ENGINE = {
    "engine": os.environ.get("HOTLINE_PERF_RECORDS_ENGINE", "duckdb"),
    "master": os.environ.get("HOTLINE_PERF_SPARK_MASTER", "local[*]"),
    "remote": os.environ.get("HOTLINE_PERF_SPARK_REMOTE", ""),
}
# 一致 within: a share of the reported count or mean, and percentage points of a rate
# (besides the reported figure's own rounding); 0 waves nothing through.
RECORDS_RECONCILIATION = {"relative": "0", "rate_points": "0"}
# A browser upload of records (the command reads files of any size): within the request
# limit; a zip is decompressed against these bounds (records/ingest.py).
RECORDS_LIMITS = {
    "max_bytes": 20 * 1024 * 1024,
    "max_uncompressed_bytes": 1024 * 1024 * 1024,
    "max_ratio": 200,
}

# Operating-data uploads (operations/): every limit is checked before a workbook is opened
# (kernel/spreadsheets/, through operations/reading.py). A 10,000-row template workbook is about 200 KB.
OPERATIONS_UPLOAD_LIMITS = {
    "max_bytes": 5 * 1024 * 1024,  # the uploaded file
    "max_rows": 20_000,  # data rows below the header
    "max_columns": 20,
    "max_entries": 200,  # files inside the xlsx zip
    "max_uncompressed_bytes": 50 * 1024 * 1024,  # all of them, decompressed
    "max_ratio": 200,  # per zip entry: uncompressed ÷ compressed
    "max_cells": 500_000,  # cells written in all sheets together, merged ones included
    "max_cell_chars": 32_767,  # per cell (Excel's own limit)
}

# The JSON API (/api/v1/, api/): personal API tokens (``Authorization: Bearer …``) or the
# browser's session; the user's own scope, throttled per user (per address when not
# signed in); lists paged by cursor; every error a JSON object naming the field
# (api/errors.py). The throttle counts live in the default cache: per process unless
# CACHES names a shared one.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("HOTLINE_PERF_API_ANON_RATE", "60/min"),
        "user": os.environ.get("HOTLINE_PERF_API_USER_RATE", "600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务服务便民热线预算绩效管理 API",
    "DESCRIPTION": "hotline_perf 的 JSON API（v1）：读取组织、项目、预算年度、绩效目标表、"
    "运行数据、绩效评价、运行监控和文档，写入运行数据、预算执行数和目标表草稿。"
    "认证：在“API 令牌”页面创建个人令牌，请求头 `Authorization: Bearer <令牌>`。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # core/converters.py: an integer that fits a signed 64-bit column
    "PATH_CONVERTER_OVERRIDES": {
        "int64": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "maximum": 2**63 - 1,
        }
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_responses",
    ],
}
