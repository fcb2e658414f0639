from __future__ import annotations

from django.urls import path

from evaluations.views import reviews as views

app_name = "reviews"

urlpatterns = [
    path("evaluations/<slug:code>/", views.evaluation_review, name="evaluation"),
    path(
        "evaluations/<slug:code>/experts/",
        views.expert_assign,
        name="expert_assign",
    ),
    path(
        "evaluations/<slug:code>/experts/<int64:pk>/remove/",
        views.expert_unassign,
        name="expert_unassign",
    ),
]
