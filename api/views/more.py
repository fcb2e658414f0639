"""运行监控 reports (targets' ``MonitoringReport``: a period's execution and each
indicator's light, cause and 纠偏措施, submitted and reviewed) and the cross-centre KPI
comparison (``comparisons.selectors.kpi_comparison``), each through its app's scoping."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import invalid
from api.serializers import (
    ComparisonFilters,
    ComparisonSerializer,
    MonitoringReportFilters,
    MonitoringReportSerializer,
    MonitoringReportSummarySerializer,
)
from api.views.base import ApiView, changed_since, filtered
from api.views.reads import SUBJECT
from comparisons.selectors import UnknownMetric, kpi_comparison
from targets.models import MonitoringLine, MonitoringReport
from targets.scoping import monitoring_reports_for


def _summary(report: MonitoringReport) -> dict[str, Any]:
    return {
        "code": report.code,
        "form": report.form.code,
        "year": report.form.year,
        "months": report.months,
        "status": report.status,
        "submissions": report.submissions,
        "budget_unit": report.budget_unit,
        "budget": report.budget,
        "planned_to_date": report.planned_to_date,
        "spent_to_date": report.spent_to_date,
        "red_lines": report.red_lines,  # type: ignore[attr-defined]
        "submitted_at": report.submitted_at,
        "decided_at": report.decided_at,
        "url": reverse("api:monitoring_report", kwargs={"code": report.code}),
    }


def _reports(request: Request) -> Any:
    return (
        monitoring_reports_for(request.user)
        .select_related("form")
        .annotate(red_lines=Count("lines", filter=Q(lines__light="red")))
    )


class MonitoringReportList(ApiView):
    serializer_class = MonitoringReportSummarySerializer

    @extend_schema(
        parameters=[MonitoringReportFilters],
        responses=MonitoringReportSummarySerializer(many=True),
        operation_id="monitoring_reports_list",
        summary="运行监控报告（期间、状态、红灯数）",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(MonitoringReportFilters)
        found = filtered(
            _reports(request),
            filters,
            organisation=tuple(f"form__{path}" for path in SUBJECT),
            year="form__year",
            exact=("status",),
        )
        found = changed_since(
            found,
            filters.get("updated_since"),
            (MonitoringReport.history.model, "id"),
        )
        return self.page(found)

    def item(self, obj: MonitoringReport) -> Any:
        return MonitoringReportSummarySerializer(_summary(obj)).data


class MonitoringReportDetail(ApiView):
    serializer_class = MonitoringReportSerializer

    @extend_schema(summary="一份运行监控报告：各行的执行情况、灯、偏差原因与纠偏措施")
    def get(self, request: Request, code: str) -> Response:
        report = get_object_or_404(_reports(request), code=code)
        lines = MonitoringLine.objects.filter(report=report).order_by("position", "pk")
        data = {
            **_summary(report),
            "review_comment": report.review_comment,
            "lines": [
                {
                    "position": line.position,
                    "kind": line.kind,
                    "indicator": line.indicator_id,
                    "level1": line.level1,
                    "level2": line.level2,
                    "name": line.name,
                    "period_target": line.period_target,
                    "year_target": line.year_target,
                    "to_date": line.to_date,
                    "to_date_source": line.to_date_source,
                    "expected": line.expected,
                    "likelihood": line.likelihood,
                    "light": line.light,
                    "cause": line.cause,
                    "cause_text": line.cause_text,
                    "measures": line.measures,
                }
                for line in lines
            ],
        }
        return Response(MonitoringReportSerializer(data).data)


class ComparisonView(ApiView):
    serializer_class = ComparisonSerializer

    @extend_schema(
        parameters=[ComparisonFilters],
        summary="各热线中心派生指标的跨城市比较（排名、离散、国家标准线、每个数的来源）",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(ComparisonFilters)
        try:
            found = kpi_comparison(
                user=request.user,
                year=filters.get("year"),
                metric=filters.get("metric"),
            )
        except UnknownMetric as error:
            return invalid([{"field": "metric", "message": str(error)}])
        return Response(ComparisonSerializer(found.as_json()).data)
