from __future__ import annotations

from django.urls import path

from results_use import views

app_name = "results_use"

urlpatterns = [
    path(
        "budgets/<slug:project_code>/<int64:year>/decision/",
        views.decision,
        name="decision",
    ),
]
