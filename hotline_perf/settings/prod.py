"""Production: PostgreSQL through DATABASE_URL, secrets and hosts from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Documents render off the request path: the page queues a task in the database and one or
# more `manage.py db_worker --max-tasks 50` processes (any machine sharing this PostgreSQL;
# tasks are claimed with SKIP LOCKED) run it.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
