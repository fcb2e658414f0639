from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    # Its layer (docs: architecture): it imports only from lower ones; load_seeds
    # calls the apps' seeds bottom first (core/seeding.py).
    layer = 7
    verbose_name = _("Documents")

    def ready(self) -> None:
        from core.health import add_figures
        from documents.evaluation_reports import EvaluationReportDocuments
        from documents.health import worker_figures
        from documents.kinds import register
        from documents.models import DocumentFormat
        from documents.monitoring_tables import MonitoringTableDocuments
        from documents.project_info import ProjectInfoDocuments
        from documents.rectification_reports import RectificationReportDocuments
        from documents.self_evaluation_tables import SelfEvaluationTableDocuments
        from documents.target_forms import TargetFormDocuments, target_form_document
        from targets import exports

        # The kinds of document (documents/kinds.py imports none of them).
        register(TargetFormDocuments())
        register(EvaluationReportDocuments())
        register(ProjectInfoDocuments())
        register(MonitoringTableDocuments())
        register(RectificationReportDocuments())
        register(SelfEvaluationTableDocuments())
        # /healthz reports the task workers too (core/health.py).
        add_figures(worker_figures)
        # A target form's xlsx export is its official grid, which documents lays out
        # (targets sits below documents and is handed the writer: targets/exports.py).
        exports.provide(
            lambda code: TargetFormDocuments().export(
                target_form_document(code=code), DocumentFormat.XLSX
            )
        )
