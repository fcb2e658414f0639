"""The JSON API, version 1 (/api/v1/, outside the language prefix: its errors are in the
request's language, Chinese by default). Every route is in the authorization matrix
(tests/functional/test_authorization_matrix.py)."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import documents, more, reads, writes

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    path("organisations/", reads.OrganisationList.as_view(), name="organisations"),
    path(
        "organisations/<slug:code>/",
        reads.OrganisationDetail.as_view(),
        name="organisation",
    ),
    path(
        "organisations/<slug:code>/operating-data/<int64:year>/",
        reads.OperatingYear.as_view(),
        name="operating_year",
    ),
    path("projects/", reads.ProjectList.as_view(), name="projects"),
    path("projects/<slug:code>/", reads.ProjectDetail.as_view(), name="project"),
    path("budget-years/", reads.BudgetYearList.as_view(), name="budget_years"),
    path(
        "budget-years/<slug:project_code>/<int64:year>/",
        writes.BudgetYearDetail.as_view(),
        name="budget_year",
    ),
    path("target-forms/", writes.TargetForms.as_view(), name="target_forms"),
    path(
        "target-forms/<slug:code>/",
        reads.TargetFormDetail.as_view(),
        name="target_form",
    ),
    path(
        "target-forms/<slug:code>/indicators/",
        writes.TargetIndicatorAdd.as_view(),
        name="target_indicators",
    ),
    path(
        "target-forms/<slug:code>/indicators/<int64:pk>/",
        writes.TargetIndicatorDetail.as_view(),
        name="target_indicator",
    ),
    path(
        "target-forms/<slug:code>/monitoring/",
        reads.MonitoringDetail.as_view(),
        name="monitoring",
    ),
    path(
        "operating-values/",
        reads.OperatingValueList.as_view(),
        name="operating_values",
    ),
    path(
        "operating-values/batch/",
        writes.OperatingValueBatch.as_view(),
        name="operating_values_batch",
    ),
    path(
        "monitoring-reports/",
        more.MonitoringReportList.as_view(),
        name="monitoring_reports",
    ),
    path(
        "monitoring-reports/<slug:code>/",
        more.MonitoringReportDetail.as_view(),
        name="monitoring_report",
    ),
    path("comparisons/", more.ComparisonView.as_view(), name="comparisons"),
    path("evaluations/", reads.EvaluationList.as_view(), name="evaluations"),
    path(
        "evaluations/<slug:code>/", reads.EvaluationDetail.as_view(), name="evaluation"
    ),
    path(
        "documents/<slug:kind>/<slug:code>/",
        documents.DocumentDetail.as_view(),
        name="document",
    ),
    path(
        "documents/<slug:kind>/<slug:code>/<slug:format>/",
        documents.DocumentFile.as_view(),
        name="document_file",
    ),
    # anything else under /api/v1/ is a JSON 404 (not the site's HTML page)
    re_path(r"^[\s\S]*$", reads.not_found, name="not_found"),
]
