from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 4
    verbose_name = _("Performance targets")

    def ready(self) -> None:
        from targets import inbox, monitoring_inbox

        # 待办: forms to review, adjustments to decide, forms returned (core/inbox.py)
        inbox.register_sources()
        # 待办: 运行监控 reports to review, and returned to their unit
        monitoring_inbox.register_sources()
