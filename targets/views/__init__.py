"""Target pages: entry in the official grid (``entry``), review and history (``review``),
monitoring (``monitoring``) and the official xlsx (``workbook``). Shared scoped lookups are
in ``access``. (The dashboards are operations', the home page the evaluations'.)"""

from __future__ import annotations

from targets.views.entry import (
    form_carry_forward,
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
from targets.views.monitoring import (
    form_monitoring,
    indicator_actual,
    monitoring_report,
    monitoring_report_accept,
    monitoring_report_history,
    monitoring_report_return,
    monitoring_report_start,
    monitoring_report_submit,
)
from targets.views.review import (
    adjustment_decide,
    adjustment_list,
    form_approve,
    form_changes,
    form_history,
    form_return,
    form_submit,
)
from targets.views.workbook import form_export, form_import

__all__ = [
    "adjustment_decide",
    "adjustment_list",
    "form_approve",
    "form_carry_forward",
    "form_changes",
    "form_create",
    "form_detail",
    "form_export",
    "form_history",
    "form_import",
    "form_list",
    "form_monitoring",
    "form_return",
    "form_submit",
    "indicator_actual",
    "indicator_add",
    "indicator_delete",
    "indicator_move",
    "indicator_update",
    "library_search",
    "monitoring_report",
    "monitoring_report_accept",
    "monitoring_report_history",
    "monitoring_report_return",
    "monitoring_report_start",
    "monitoring_report_submit",
    "value_parse",
]
