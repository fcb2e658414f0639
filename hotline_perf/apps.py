from __future__ import annotations

from django.apps import AppConfig


class HotlinePerfConfig(AppConfig):
    name = "hotline_perf"
    verbose_name = "hotline_perf"
