from __future__ import annotations

from django.urls import path

from targets import views

app_name = "dashboards"

urlpatterns = [
    path("projects/", views.projects_dashboard, name="projects"),
    path("units/<slug:code>/", views.unit_dashboard, name="unit"),
]
