"""Target pages: entry in the official grid (``entry``), review and history (``review``),
monitoring (``monitoring``), the official xlsx (``workbook``) and the dashboards
(``dashboards``). Shared scoped lookups are in ``access``."""

from __future__ import annotations

from targets.views.dashboards import home, projects_dashboard, unit_dashboard
from targets.views.entry import (
    form_create,
    form_detail,
    form_list,
    indicator_add,
    indicator_delete,
    indicator_move,
    indicator_update,
    library_search,
    value_parse,
)
from targets.views.monitoring import form_monitoring, indicator_actual
from targets.views.review import (
    adjustment_decide,
    adjustment_list,
    form_approve,
    form_history,
    form_return,
    form_submit,
)
from targets.views.workbook import form_export, form_import

__all__ = [
    "adjustment_decide",
    "adjustment_list",
    "form_approve",
    "form_create",
    "form_detail",
    "form_export",
    "form_history",
    "form_import",
    "form_list",
    "form_monitoring",
    "form_return",
    "form_submit",
    "home",
    "indicator_actual",
    "indicator_add",
    "indicator_delete",
    "indicator_move",
    "indicator_update",
    "library_search",
    "projects_dashboard",
    "unit_dashboard",
    "value_parse",
]
