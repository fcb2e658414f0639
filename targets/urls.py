from __future__ import annotations

from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("", views.form_list, name="list"),
    path("new/", views.form_create, name="create"),
    path("library/", views.library_search, name="library"),
    path("values/parse/", views.value_parse, name="parse"),
    path("<slug:code>/", views.form_detail, name="detail"),
    path("<slug:code>/indicators/add/", views.indicator_add, name="indicator_add"),
    path(
        "<slug:code>/indicators/<int64:pk>/",
        views.indicator_update,
        name="indicator_update",
    ),
    path(
        "<slug:code>/indicators/<int64:pk>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "<slug:code>/indicators/<int64:pk>/move/",
        views.indicator_move,
        name="indicator_move",
    ),
    path(
        "<slug:code>/indicators/<int64:pk>/actual/",
        views.indicator_actual,
        name="indicator_actual",
    ),
    path(
        "<slug:code>/carry-forward/",
        views.form_carry_forward,
        name="carry_forward",
    ),
    path("<slug:code>/submit/", views.form_submit, name="submit"),
    path("<slug:code>/return/", views.form_return, name="return"),
    path("<slug:code>/approve/", views.form_approve, name="approve"),
    path("<slug:code>/changes/", views.form_changes, name="changes"),
    path("<slug:code>/adjustments/", views.adjustment_list, name="adjustments"),
    path(
        "<slug:code>/adjustments/<int64:pk>/decide/",
        views.adjustment_decide,
        name="adjustment_decide",
    ),
    path("<slug:code>/history/", views.form_history, name="history"),
    path("<slug:code>/monitoring/", views.form_monitoring, name="monitoring"),
    path(
        "<slug:code>/monitoring/start/",
        views.monitoring_report_start,
        name="monitoring_report_start",
    ),
    path(
        "<slug:code>/monitoring/<int64:months>/",
        views.monitoring_report,
        name="monitoring_report",
    ),
    path(
        "<slug:code>/monitoring/<int64:months>/submit/",
        views.monitoring_report_submit,
        name="monitoring_report_submit",
    ),
    path(
        "<slug:code>/monitoring/<int64:months>/return/",
        views.monitoring_report_return,
        name="monitoring_report_return",
    ),
    path(
        "<slug:code>/monitoring/<int64:months>/accept/",
        views.monitoring_report_accept,
        name="monitoring_report_accept",
    ),
    path(
        "<slug:code>/monitoring/<int64:months>/history/",
        views.monitoring_report_history,
        name="monitoring_report_history",
    ),
    path("<slug:code>/export.xlsx", views.form_export, name="export"),
    path("<slug:code>/import/", views.form_import, name="import"),
]
