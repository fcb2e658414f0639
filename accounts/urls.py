from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "reviews"

urlpatterns = [
    path("evaluations/<slug:code>/", views.evaluation_review, name="evaluation"),
]
