from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationsConfig(AppConfig):
    name = "rectifications"
    # Its layer (docs: architecture): 问题整改: findings of evaluations and red lights of
    # monitoring reports tracked to their end; above evaluations, below documents (which
    # prints the 整改情况报告).
    layer = 6.3
    verbose_name = _("Rectifications")

    def ready(self) -> None:
        from rectifications import inbox

        # 待办: items to complete, to verify (销号), overdue ones (core/inbox.py)
        inbox.register_sources()
