from __future__ import annotations

from django.urls import path

from overview import views

app_name = "overview"

urlpatterns = [
    path("", views.year_page, name="year"),
    path("export/", views.year_export, name="export"),
]
