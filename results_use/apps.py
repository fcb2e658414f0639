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

    def ready(self) -> None:
        from budgets import results
        from results_use.panels import budget_panel
        from results_use.selectors import previous_results
        from targets import previous_results as cited

        # budgets and targets sit below: they are handed the readers (budgets/results.py,
        # targets/previous_results.py)
        results.provide(budget_panel)
        cited.provide(
            lambda form: (
                previous_results(form.project, form.year)
                if form.project is not None
                else []
            )
        )
