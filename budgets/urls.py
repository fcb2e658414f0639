from __future__ import annotations

from django.urls import path

from budgets import views

app_name = "budgets"

urlpatterns = [
    path("", views.budget_year_list, name="list"),
    path(
        "department/<slug:organisation_code>/<int64:year>/spending/",
        views.department_spending,
        name="department_spending",
    ),
    path("<slug:project_code>/<int64:year>/", views.budget_year_detail, name="detail"),
    path(
        "<slug:project_code>/<int64:year>/adjustments/",
        views.adjustment_request,
        name="adjustment_request",
    ),
    path(
        "<slug:project_code>/<int64:year>/adjustments/<int64:pk>/decide/",
        views.adjustment_decide,
        name="adjustment_decide",
    ),
]
