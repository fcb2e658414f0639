from __future__ import annotations

from django.urls import path

from rectifications import views

app_name = "rectifications"

urlpatterns = [
    path("", views.item_list_page, name="list"),
    path("evaluations/<slug:code>/", views.evaluation_items, name="evaluation"),
    path(
        "evaluations/<slug:code>/findings/<int64:pk>/",
        views.item_create,
        name="create",
    ),
    path("monitoring/<slug:code>/", views.monitoring_items, name="monitoring"),
    path(
        "monitoring/<slug:code>/lines/<int64:pk>/",
        views.monitoring_item_create,
        name="monitoring_create",
    ),
    path("<int64:pk>/", views.item_detail, name="detail"),
    path("<int64:pk>/report/", views.item_report_view, name="report"),
    path("<int64:pk>/evidence/", views.item_evidence, name="evidence"),
    path(
        "<int64:pk>/evidence/<int64:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<int64:pk>/verify/", views.item_verify_view, name="verify"),
]
