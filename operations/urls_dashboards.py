from __future__ import annotations

from django.urls import path

from operations import dashboards

app_name = "dashboards"

urlpatterns = [
    path("projects/", dashboards.projects_dashboard, name="projects"),
    path("units/<slug:code>/", dashboards.unit_dashboard, name="unit"),
]
