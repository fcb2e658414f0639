from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 3
    verbose_name = _("Budgets")

    def ready(self) -> None:
        from budgets import inbox

        # 待办: budget adjustments to decide (core/inbox.py)
        inbox.register_sources()
