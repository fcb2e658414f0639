from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    # Its layer (docs: architecture): the versioned JSON API (/api/v1/) over the same
    # services and selectors as the pages; the top domain layer.
    layer = 8
    verbose_name = _("API")
