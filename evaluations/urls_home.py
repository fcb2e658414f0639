"""The home page, at the site root outside the language prefix (included by
hotline_perf/urls.py): it says what is waiting for the user's role
(targets.views.dashboards.home)."""

from __future__ import annotations

from django.urls import path

from targets.views import home

urlpatterns = [
    path("", home, name="home"),
]
