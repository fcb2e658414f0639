from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsUseConfig(AppConfig):
    name = "results_use"
    # Its layer (docs: architecture): 结果应用: a grade's budget recommendation and last
    # year's result cited in next year's target review; above evaluations and
    # rectifications, below documents.
    layer = 6.6
    verbose_name = _("Use of results")
