"""The home page, at the site root (``/``; ``/en/`` in English) (included by
hotline_perf/urls.py): it says what is waiting for the user's role
(evaluations.views.home)."""

from __future__ import annotations

from django.urls import path

from evaluations.views.home import home

urlpatterns = [
    path("", home, name="home"),
]
