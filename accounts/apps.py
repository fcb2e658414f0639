from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 3
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from accounts.scoping import access_for
        from core.access import provide

        # budgets, accounts' independent sibling, scopes by this answer (core/access.py).
        provide(access_for)
