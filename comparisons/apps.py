from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    # Its layer (docs: architecture): hotline KPIs compared across centres and cities
    # (接通率, 满意率, …) with their sources; above operations and records (counts and
    # verified figures), below evaluations.
    layer = 5.7
    verbose_name = _("Hotline comparisons")
