"""The year at a glance as a table: the columns of the xlsx export (``workbooks.py``)."""

from __future__ import annotations

from typing import Any

from import_export.fields import Field
from import_export.widgets import NumberWidget

from budgets.models import Project
from core.resources import ProjectResource
from overview.selectors import EvaluationState, YearRow


def _evaluation_status(state: EvaluationState | None) -> str:
    return "" if state is None else state.status_label


class YearOverviewResource(ProjectResource):
    """One row per project (``selectors.YearRow``); headers in the users' language.
    Export only: nothing is imported from this sheet."""

    project = Field(column_name="项目名称")
    code = Field(column_name="项目代码")
    unit = Field(column_name="实施单位")
    department = Field(column_name="主管部门")
    budget = Field(column_name="预算")
    target = Field(column_name="绩效目标")
    monitoring = Field(column_name="运行监控")
    monitoring_light = Field(column_name="监控结果")
    self_status = Field(column_name="绩效自评")
    self_total = Field(
        column_name="自评得分", widget=NumberWidget(coerce_to_string=False)
    )
    external_kind = Field(column_name="重点评价")
    external_status = Field(column_name="评价状态")
    external_total = Field(
        column_name="评价得分", widget=NumberWidget(coerce_to_string=False)
    )
    external_grade = Field(column_name="评价等级")
    source_total = Field(
        column_name="报告所载得分", widget=NumberWidget(coerce_to_string=False)
    )
    source_grade = Field(column_name="报告所载等级")
    rectifications = Field(column_name="整改事项")
    rectifications_open = Field(
        column_name="未完成", widget=NumberWidget(coerce_to_string=False)
    )
    rectifications_overdue = Field(
        column_name="逾期", widget=NumberWidget(coerce_to_string=False)
    )
    decision = Field(column_name="结果应用（下年度预算）")

    class Meta:
        model = Project
        fields = (
            "project",
            "code",
            "unit",
            "department",
            "budget",
            "target",
            "monitoring",
            "monitoring_light",
            "self_status",
            "self_total",
            "external_kind",
            "external_status",
            "external_total",
            "external_grade",
            "source_total",
            "source_grade",
            "rectifications",
            "rectifications_open",
            "rectifications_overdue",
            "decision",
        )

    def dehydrate_project(self, row: YearRow) -> str:
        return row.project.name

    def dehydrate_code(self, row: YearRow) -> str:
        return row.project.code

    def dehydrate_unit(self, row: YearRow) -> str:
        return row.project.unit.name

    def dehydrate_department(self, row: YearRow) -> str:
        return row.project.department.name

    def dehydrate_budget(self, row: YearRow) -> str:
        return "有" if row.has_budget else "无"

    def dehydrate_target(self, row: YearRow) -> str:
        if row.target_status is None:
            return "未填报"
        return "重新提交" if row.target_resubmitted else row.target_status_label

    def dehydrate_monitoring(self, row: YearRow) -> str:
        state = row.monitoring
        if state is None:
            return "未填报"
        return f"1–{state.months}月 {state.status_label}"

    def dehydrate_monitoring_light(self, row: YearRow) -> str:
        state = row.monitoring
        if state is None:
            return ""
        counts = (
            f"（红灯 {state.red}，黄灯 {state.yellow}）"
            if state.red or state.yellow
            else ""
        )
        return f"{state.light_label}{counts}"

    def dehydrate_self_status(self, row: YearRow) -> str:
        if row.self_evaluation is None:
            return "未开展"
        return row.self_evaluation.status_label

    def dehydrate_self_total(self, row: YearRow) -> Any:
        return None if row.self_evaluation is None else row.self_evaluation.total

    def dehydrate_external_kind(self, row: YearRow) -> str:
        return "无" if row.external is None else row.external.kind_label

    def dehydrate_external_status(self, row: YearRow) -> str:
        return _evaluation_status(row.external)

    def dehydrate_external_total(self, row: YearRow) -> Any:
        return None if row.external is None else row.external.total

    def dehydrate_external_grade(self, row: YearRow) -> str:
        return "" if row.external is None else row.external.grade

    def dehydrate_source_total(self, row: YearRow) -> Any:
        return None if row.external is None else row.external.source_total

    def dehydrate_source_grade(self, row: YearRow) -> str:
        return "" if row.external is None else row.external.source_grade

    def dehydrate_rectifications(self, row: YearRow) -> Any:
        state = row.rectifications
        if state is None:
            return "无"
        return (
            f"共 {state.total} 项：未完成 {state.open}（逾期 {state.overdue}），"
            f"待销号 {state.awaiting_verification}，已销号 {state.verified}"
        )

    def dehydrate_rectifications_open(self, row: YearRow) -> int:
        return 0 if row.rectifications is None else row.rectifications.open

    def dehydrate_rectifications_overdue(self, row: YearRow) -> int:
        return 0 if row.rectifications is None else row.rectifications.overdue

    def dehydrate_decision(self, row: YearRow) -> str:
        state = row.decision
        if state is None:
            return "未记录决定"
        return (
            f"{state.budget_year} 年预算：{state.decision_label}（依据 "
            f"{state.evaluation_year} 年评价 {state.total} 分 {state.grade}："
            f"{state.recommendation}）"
        )
