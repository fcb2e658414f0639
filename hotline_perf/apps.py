from __future__ import annotations

from django.apps import AppConfig


class HotlinePerfConfig(AppConfig):
    name = "hotline_perf"
    verbose_name = "hotline_perf"

    def ready(self) -> None:
        # Registers the production refusals (hotline_perf/checks.py).
        from hotline_perf import checks  # noqa: F401

        # Before any URLconf is imported: the apps' integers are ``<int64:…>``.
        from hotline_perf.converters import register

        register()
