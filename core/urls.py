"""The routes outside the language prefix that belong to no app (included by
hotline_perf/urls.py)."""

from __future__ import annotations

from django.urls import path

from core.favicon import favicon
from core.health import healthz

urlpatterns = [
    # For the load balancer and monitoring: public, no language prefix (core/health.py).
    path("healthz", healthz, name="healthz"),
    # public: browsers ask for it on every site, logged in or not
    path("favicon.ico", favicon, name="favicon"),
]
