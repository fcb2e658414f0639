"""Production: everything from the environment (docs/production.md has the table).

Nothing here stops the import: what is missing or unsafe (no or a weak secret key, a
database that is not PostgreSQL, an unwritable media root, demo accounts) is reported by
the system checks of core/checks.py, one clear message each, which stop
`scripts/serve`, `migrate` and the WSGI application.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, MIDDLEWARE, STORAGES


def _env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


HOTLINE_PERF_PRODUCTION = True
DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A kept connection is tested before a request uses it, so a database restart costs no error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Behind the TLS proxy of deploy/: it says which scheme the browser used and appends the
# client's address to X-Forwarded-For. With no proxy (0) neither header is believed.
HOTLINE_PERF_PROXY_COUNT = int(os.environ.get("HOTLINE_PERF_PROXY_COUNT", "1"))
if HOTLINE_PERF_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS is enforced by the app unless the environment says the proxy does it; an explicit
# "the proxy does it" silences the matching `check --deploy` warning, a default never does.
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The health check answers over plain HTTP too (a monitor on the machine itself).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True
)
SECURE_HSTS_PRELOAD = _env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SILENCED_SYSTEM_CHECKS = [
    # hotline_perf.E001/E002 (core/checks.py) refuse a missing or weak key with
    # the same rule, as an error.
    "security.W009",
    *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    *(["security.W004"] if not SECURE_HSTS_SECONDS else []),
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
]

# Static files are served by the app process itself (WhiteNoise), compressed and with
# content-hashed names (core/staticfiles.py), from STATIC_ROOT filled by `collectstatic` (scripts/serve runs it).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STATIC_ROOT = Path(
    os.environ.get("HOTLINE_PERF_STATIC_ROOT", BASE_DIR / "var" / "static")
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "core.staticfiles.GzipManifestStaticFilesStorage"},
}

# Errors mailed to ADMINS (LOGGING in settings/base.py), through this mail server.
ADMINS = _env_list("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": _env_bool("DJANGO_EMAIL_USE_TLS", False),
            "use_ssl": _env_bool("DJANGO_EMAIL_USE_SSL", False),
            "timeout": 10,
        },
    }
}

# Documents render off the request path: the page queues a task in the database and one or
# more `manage.py db_worker --max-tasks 50` processes (any machine sharing this PostgreSQL;
# tasks are claimed with SKIP LOCKED) run it.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
