from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The Django-level helpers every app stands on and no app owns (forms base,
    pagination, versions and history, request limits and logs, health, production checks,
    backup, serving). Imports no app: the apps import it."""

    name = "core"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 2
    verbose_name = "core"

    def ready(self) -> None:
        # Registers the production refusals (core/checks.py).
        from core import checks  # noqa: F401

        # Before any URLconf is imported: the apps' integers are ``<int64:…>``.
        from core.converters import register

        register()
