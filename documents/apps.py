from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from core.health import add_figures
        from documents.health import worker_figures

        # /healthz reports the task workers too (core/health.py).
        add_figures(worker_figures)
