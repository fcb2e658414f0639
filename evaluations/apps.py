from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 6
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        # Registers the production refusal of active demo accounts (evaluations/checks.py).
        from evaluations import (
            checks,  # noqa: F401
            inbox,
        )

        # 待办: evaluations to score and to review (core/inbox.py)
        inbox.register_sources()
