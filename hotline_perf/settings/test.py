"""Test settings: the database still comes from DATABASE_URL, so the same suite runs on
SQLite (default) and PostgreSQL (``.ci/run`` starts one on loopback)."""

from __future__ import annotations

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
