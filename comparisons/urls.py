from __future__ import annotations

from django.urls import path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("", views.comparison, name="index"),
    path("export.xlsx", views.export, name="export"),
]
