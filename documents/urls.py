from __future__ import annotations

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    # Before the <kind>/<code>/ patterns, which would take "jobs" for a kind.
    path("jobs/<uuid:job_id>/", views.job_progress, name="job"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="download"),
    path("<slug:kind>/<slug:code>/", views.document_page, name="page"),
    path("<slug:kind>/<slug:code>/preview/", views.document_preview, name="preview"),
    path(
        "<slug:kind>/<slug:code>/render/<slug:format>/",
        views.render_start,
        name="render",
    ),
]
