from __future__ import annotations

from django.urls import path

from evaluations import views
from evaluations.views import data
from evaluations.views import self_evaluation as self_views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("self-evaluations/start/", self_views.self_start_view, name="self_start"),
    path("<slug:code>/", views.evaluation_detail, name="detail"),
    path("<slug:code>/self/", self_views.self_table_view, name="self_table"),
    path("<slug:code>/self/submit/", self_views.self_submit_view, name="self_submit"),
    path("<slug:code>/self/review/", self_views.self_review_view, name="self_review"),
    path(
        "<slug:code>/self/history/", self_views.self_history_view, name="self_history"
    ),
    path("<slug:code>/scores/", views.evaluation_scores_view, name="scores"),
    path("<slug:code>/submit/", views.evaluation_submit_view, name="submit"),
    path("<slug:code>/report/", views.report_sections_view, name="report"),
    path("<slug:code>/report/start/", views.report_start_view, name="report_start"),
    path(
        "<slug:code>/report/sections/<int64:pk>/",
        views.report_section_view,
        name="report_section",
    ),
    path(
        "<slug:code>/report/sections/<int64:pk>/accept/",
        views.report_accept_view,
        name="report_accept",
    ),
    path("<slug:code>/data/refresh/", data.data_refresh_view, name="data_refresh"),
    path("<slug:code>/targets/adopt/", data.targets_adopt_view, name="targets_adopt"),
    path(
        "<slug:code>/workbook.xlsx",
        views.workbook_export_view,
        name="export_workbook",
    ),
    path(
        "<slug:code>/workbook/import/",
        views.workbook_import_view,
        name="import_workbook",
    ),
    path(
        "<slug:code>/indicators/<int64:pk>/evidence/",
        views.indicator_evidence,
        name="evidence",
    ),
    path(
        "<slug:code>/indicators/<int64:pk>/evidence/<int64:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
]
