from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "overview"
    # Its layer (docs: architecture): the finance bureau's year at a glance: every
    # project's stages in one page; above every app whose state it shows.
    layer = 7.5
    verbose_name = _("Year at a glance")
