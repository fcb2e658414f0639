"""Reads: each list and object reached through the owning app's scoping (``*_for``), so a
user — by session or by personal token — sees through the API exactly what the pages
show them, and anything else is a 404. The figures are the selectors' (budgets'
derived totals and rates, operations' year table, the evaluation's scored tree of
``manage.py evaluate --json``), never computed again here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import organisations_for
from api.serializers import (
    BudgetYearSerializer,
    BudgetYearSummarySerializer,
    EvaluationFilters,
    EvaluationSummarySerializer,
    ListFilters,
    MonitoringFilters,
    MonitoringSerializer,
    OperatingValueFilters,
    OperatingValueSerializer,
    OperatingYearSerializer,
    OrganisationFilters,
    OrganisationSerializer,
    ProjectSerializer,
    ScoredEvaluationSerializer,
    TargetFormFilters,
    TargetFormSerializer,
    TargetFormSummarySerializer,
    rate,
)
from api.views.base import ApiView, changed_since, changes_since, filtered
from budgets.models import BudgetLine, BudgetYear, Organisation, Project
from budgets.scoping import budget_figures_editable, budget_years_for, projects_for
from budgets.selectors import BudgetYearFigures, figures_for_budget_year
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoping import evaluations_for
from evaluations.selectors import evaluation_as_dict, evaluation_score
from kernel.decimals import without_trailing_zeros
from operations.derived import Derived, Figure
from operations.models import OperatingValue
from operations.selectors import year_table
from targets.models import TargetForm, TargetIndicator
from targets.scoping import can_prepare_target_form, target_forms_for
from targets.selectors import IndicatorNode, target_form_tree


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request: Request) -> Response:
    """Any other address under /api/v1/: a 404 in the API's JSON shape."""
    raise Http404


# Where a form's or an evaluation's organisation is: its project's department or unit,
# or the organisation of a department-wide one.
SUBJECT = ("project__department", "project__unit", "organisation")

# --------------------------------------------------------------------------- organisations


class OrganisationList(ApiView):
    serializer_class = OrganisationSerializer

    @extend_schema(
        parameters=[OrganisationFilters],
        summary="组织（本人可见的）",
        responses=OrganisationSerializer(many=True),
        operation_id="organisations_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(OrganisationFilters)
        found = organisations_for(request.user).select_related("parent")
        if "kind" in filters:
            found = found.filter(kind=filters["kind"])
        return self.page(found)

    def item(self, obj: Organisation) -> Any:
        return OrganisationSerializer(obj).data


class OrganisationDetail(ApiView):
    serializer_class = OrganisationSerializer

    @extend_schema(summary="一个组织")
    def get(self, request: Request, code: str) -> Response:
        found = get_object_or_404(
            organisations_for(request.user).select_related("parent"), code=code
        )
        return Response(OrganisationSerializer(found).data)


# --------------------------------------------------------------------------- projects


class ProjectList(ApiView):
    serializer_class = ProjectSerializer

    @extend_schema(
        parameters=[ListFilters],
        summary="项目（本人可见的）",
        responses=ProjectSerializer(many=True),
        operation_id="projects_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(ListFilters)
        found = filtered(
            projects_for(request.user).select_related("department", "unit"),
            filters,
            organisation=("department", "unit"),
            year="budget_years__year",
        )
        found = changed_since(
            found,
            filters.get("updated_since"),
            (BudgetYear.history.model, "project_id"),
        )
        return self.page(found)

    def item(self, obj: Project) -> Any:
        return ProjectSerializer(obj).data


class ProjectDetail(ApiView):
    serializer_class = ProjectSerializer

    @extend_schema(summary="一个项目")
    def get(self, request: Request, code: str) -> Response:
        found = get_object_or_404(
            projects_for(request.user).select_related("department", "unit"), code=code
        )
        return Response(ProjectSerializer(found).data)


# --------------------------------------------------------------------------- budget years


def budget_year_url(budget_year: BudgetYear) -> str:
    return reverse(
        "api:budget_year",
        kwargs={"project_code": budget_year.project.code, "year": budget_year.year},
    )


def budget_year_summary(budget_year: BudgetYear) -> dict[str, Any]:
    return {
        "project": budget_year.project.code,
        "year": budget_year.year,
        "unit": budget_year.unit,
        "initial": budget_year.initial,
        "addition": budget_year.addition,
        "reduction": budget_year.reduction,
        "adjusted": budget_year.adjusted,
        "received": budget_year.received,
        "expenditure": budget_year.expenditure,
        "receipt_rate": rate(budget_year.receipt_rate),
        "execution_rate": rate(budget_year.execution_rate),
        "version": budget_year.version,
        "url": budget_year_url(budget_year),
    }


def budget_year_data(figures: BudgetYearFigures, editable: frozenset[str]) -> Any:
    total = figures.lines_total
    data = {
        **budget_year_summary(figures.budget_year),
        "lines": [
            {
                "id": line.pk,
                "position": line.position,
                "category": line.category,
                "budget": line.budget,
                "received": line.received,
                "expenditure": line.expenditure,
                "execution_rate": rate(line.execution_rate),
                "overspend": line.overspend,
            }
            for line in figures.lines
        ],
        "lines_total": {
            "budget": total.budget,
            "received": total.received,
            "expenditure": total.expenditure,
            "execution_rate": rate(total.execution_rate),
        },
        "disagreements": [
            {
                "name": d.name,
                "header": d.header,
                "lines": d.lines,
                "difference": d.difference,
            }
            for d in figures.disagreements
        ],
        "editable": sorted(editable),
    }
    return BudgetYearSerializer(data).data


def scoped_budget_year(request: Request, project: str, year: int) -> BudgetYear:
    return get_object_or_404(
        budget_years_for(request.user)
        .select_related("project")
        .prefetch_related(
            "lines", "sub_projects", "payroll_lines", "goods_services_lines"
        ),
        project__code=project,
        year=year,
    )


class BudgetYearList(ApiView):
    serializer_class = BudgetYearSummarySerializer

    @extend_schema(
        parameters=[ListFilters],
        summary="项目预算年度（派生的调整后预算与执行率）",
        responses=BudgetYearSummarySerializer(many=True),
        operation_id="budget_years_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(ListFilters)
        found = filtered(
            budget_years_for(request.user).select_related("project"),
            filters,
            organisation=("project__department", "project__unit"),
        )
        found = changed_since(
            found,
            filters.get("updated_since"),
            (BudgetYear.history.model, "id"),
            (BudgetLine.history.model, "budget_year_id"),
        )
        return self.page(found)

    def item(self, obj: BudgetYear) -> Any:
        return BudgetYearSummarySerializer(budget_year_summary(obj)).data


def budget_year_response(request: Request, budget_year: BudgetYear) -> Response:
    return Response(
        budget_year_data(
            figures_for_budget_year(budget_year),
            budget_figures_editable(request.user, budget_year),
        )
    )


# --------------------------------------------------------------------------- target forms


def target_form_summary(form: TargetForm) -> dict[str, Any]:
    return {
        "code": form.code,
        "title": form.title,
        "layout": form.layout,
        "year": form.year,
        "status": form.status,
        "project": form.project.code if form.project else None,
        "organisation": form.organisation.code if form.organisation else None,
        "submitted_at": form.submitted_at,
        "decided_at": form.decided_at,
        "url": reverse("api:target_form", kwargs={"code": form.code}),
    }


def _parsed(indicator: TargetIndicator, *, half: bool) -> dict[str, Any] | None:
    value = indicator.half_year_value if half else indicator.value
    text = indicator.half_year_text if half else indicator.value_text
    if not text:
        return None
    return {
        "text": text,
        "comparator": str(value.comparator),
        "number": value.number,
        "unit": value.unit,
    }


def _node(node: IndicatorNode) -> dict[str, Any]:
    indicator = node.indicator
    library = indicator.library_indicator
    return {
        "id": indicator.pk,
        "level": indicator.level,
        "position": indicator.position,
        "name": indicator.name,
        "library_indicator": library.code if library else None,
        "value": _parsed(indicator, half=False),
        "half_year_value": _parsed(indicator, half=True),
        "actual": indicator.actual_text,
        "version": indicator.version,
        "children": [_node(child) for child in node.children],
    }


def target_form_data(request: Request, code: str) -> Any:
    tree = target_form_tree(code=code)
    form = tree.form
    data = {
        **target_form_summary(form),
        "has_half_year": form.has_half_year,
        "funds_unit": form.funds_unit,
        "funds_total": form.funds_total,
        "funds_fiscal": form.funds_fiscal,
        "funds_other": form.funds_other,
        "overall_goal": form.overall_goal,
        "annual_goal": form.annual_goal,
        "long_term_goal": form.long_term_goal,
        "editable": form.is_editable and can_prepare_target_form(request.user, form),
        "indicators": [_node(root) for root in tree.roots],
        "documents": reverse(
            "api:document", kwargs={"kind": "target_form", "code": form.code}
        ),
    }
    return TargetFormSerializer(data).data


def scoped_target_form(request: Request, code: str) -> TargetForm:
    return get_object_or_404(
        target_forms_for(request.user).select_related(
            "project", "project__unit", "organisation", "submitted_by"
        ),
        code=code,
    )


class TargetFormList(ApiView):
    serializer_class = TargetFormSummarySerializer

    @extend_schema(
        parameters=[TargetFormFilters],
        summary="绩效目标表",
        responses=TargetFormSummarySerializer(many=True),
        operation_id="target_forms_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(TargetFormFilters)
        found = filtered(
            target_forms_for(request.user).select_related("project", "organisation"),
            filters,
            organisation=SUBJECT,
            exact=("status",),
        )
        found = changed_since(
            found,
            filters.get("updated_since"),
            (TargetForm.history.model, "id"),
            (TargetIndicator.history.model, "form_id"),
        )
        return self.page(found)

    def item(self, obj: TargetForm) -> Any:
        return TargetFormSummarySerializer(target_form_summary(obj)).data


class TargetFormDetail(ApiView):
    serializer_class = TargetFormSerializer

    @extend_schema(summary="一张绩效目标表及其指标树（指标值原文与解析）")
    def get(self, request: Request, code: str) -> Response:
        form = scoped_target_form(request, code)
        return Response(target_form_data(request, form.code))


# --------------------------------------------------------------------------- monitoring


class MonitoringDetail(ApiView):
    serializer_class = MonitoringSerializer

    @extend_schema(
        parameters=[MonitoringFilters],
        summary="运行监控：预算执行与时间进度的红黄绿灯、各三级指标的完成判断",
    )
    def get(self, request: Request, code: str) -> Response:
        # the monitoring page's own context, so the API says what the page says
        from targets.views.monitoring import monitoring_context

        self.filters(MonitoringFilters)  # a malformed as_of is a 400, not today
        form = scoped_target_form(request, code)
        context = monitoring_context(request._request, form)

        def execution(found: Any) -> dict[str, Any]:
            return {
                "label": str(found.label),
                "budget": found.budget,
                "expenditure": found.expenditure,
                "execution_percent": found.execution_percent,
                "elapsed_percent": found.elapsed_percent,
                "ratio": found.ratio,
                "light": str(found.light),
            }

        rows: list[Any] = context["rows"]  # type: ignore[assignment]
        data = {
            "form": form.code,
            "year": form.year,
            "as_of": context["as_of"],
            "elapsed_percent": context["elapsed_percent"],
            "budget": execution(context["budget"]) if context["budget"] else None,
            "lines": [execution(line) for line in context["lines"]],  # type: ignore[attr-defined]
            "overspends": [
                {
                    "category": o.category,
                    "budget": o.budget,
                    "expenditure": o.expenditure,
                    "approved_adjustments": o.approved_adjustments,
                    "uncovered": o.uncovered,
                    "message": o.message,
                }
                for o in context["overspends"]  # type: ignore[attr-defined]
            ],
            "indicators": [
                {
                    "indicator": row.indicator.pk,
                    "name": row.indicator.name,
                    "target": row.indicator.value_text,
                    "actual": row.full.text,
                    "source": row.full.source,
                    "judgement": row.full.judgement.status,
                    "half_year_target": row.indicator.half_year_text
                    if row.half
                    else None,
                    "half_year_actual": row.half.text if row.half else None,
                    "half_year_judgement": row.half.judgement.status
                    if row.half
                    else None,
                }
                for row in rows
            ],
            "summary": context["summary"],
        }
        return Response(MonitoringSerializer(data).data)


# --------------------------------------------------------------------------- operating data


def operating_values_for(request: Request) -> QuerySet[OperatingValue]:
    """The entered operating values of the organisations the user sees."""
    return OperatingValue.objects.filter(
        organisation__in=organisations_for(request.user).order_by().values("pk")
    )


class OperatingValueList(ApiView):
    serializer_class = OperatingValueSerializer

    @extend_schema(
        parameters=[OperatingValueFilters],
        summary="填报的运行数据（每个指标、每个期间一行）",
        responses=OperatingValueSerializer(many=True),
        operation_id="operating_values_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(OperatingValueFilters)
        found = operating_values_for(request).select_related(
            "organisation", "metric", "upload", "upload__uploaded_by"
        )
        if "organisation" in filters:
            found = found.filter(organisation__code=filters["organisation"])
        if "year" in filters:
            found = found.filter(year=filters["year"])
        if "metric" in filters:
            found = found.filter(metric__code=filters["metric"])
        if "updated_since" in filters:
            found = found.filter(updated_at__gte=filters["updated_since"])
        return self.page(found)

    def item(self, obj: OperatingValue) -> Any:
        return OperatingValueSerializer(
            {
                "id": obj.pk,
                "organisation": obj.organisation.code,
                "metric": obj.metric.code,
                "metric_name": obj.metric.name,
                "year": obj.year,
                "month": obj.month,
                "value": without_trailing_zeros(obj.value),
                "unit": obj.unit,
                "note": obj.note,
                "source": obj.upload.label,
                "updated_at": obj.updated_at,
            }
        ).data


def _figure(found: Figure | Derived | None) -> dict[str, Any] | None:
    if found is None:
        return None
    if isinstance(found, Derived):
        return {
            "value": found.value,
            "unit": found.unit,
            "numerator": found.numerator,
            "numerator_unit": found.numerator_unit,
            "denominator": found.denominator,
            "denominator_unit": found.denominator_unit,
            "months": list(found.months),
            "sources": list(found.sources),
        }
    return {
        "value": found.value,
        "unit": found.unit,
        "numerator": None,
        "numerator_unit": "",
        "denominator": None,
        "denominator_unit": "",
        "months": list(found.months),
        "sources": list(found.sources),
    }


class OperatingYear(ApiView):
    serializer_class = OperatingYearSerializer

    @extend_schema(
        summary="一个热线中心一年的运行数据：计数与派生比率（含分子分母），全年与按月"
    )
    def get(self, request: Request, code: str, year: int) -> Response:
        organisation = get_object_or_404(organisations_for(request.user), code=code)
        data = {
            "organisation": organisation.code,
            "year": year,
            "metrics": [
                {
                    "metric": row.metric.code,
                    "name": row.metric.name,
                    "kind": row.metric.kind,
                    "entered": row.metric.is_entered,
                    "year": _figure(row.year_value),
                    "months": {
                        str(month): _figure(figure)
                        for month, figure in sorted(row.months.items())
                    },
                }
                for row in year_table(organisation=organisation, year=year)
            ],
        }
        return Response(OperatingYearSerializer(data).data)


# --------------------------------------------------------------------------- evaluations


def evaluation_summary(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "code": evaluation.code,
        "title": evaluation.title,
        "kind": evaluation.kind,
        "year": evaluation.year,
        "status": evaluation.status,
        "project": evaluation.project.code if evaluation.project else None,
        "organisation": evaluation.organisation.code
        if evaluation.organisation
        else None,
        "submitted_at": evaluation.submitted_at,
        "published_total": evaluation.published_total,
        "published_grade": evaluation.published_grade,
        "review_stage": evaluation.review_stage,
        "url": reverse("api:evaluation", kwargs={"code": evaluation.code}),
    }


class EvaluationList(ApiView):
    serializer_class = EvaluationSummarySerializer

    @extend_schema(
        parameters=[EvaluationFilters],
        summary="绩效评价",
        responses=EvaluationSummarySerializer(many=True),
        operation_id="evaluations_list",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(EvaluationFilters)
        found = filtered(
            evaluations_for(request.user).select_related("project", "organisation"),
            filters,
            organisation=SUBJECT,
            exact=("status", "kind"),
        )
        since = filters.get("updated_since")
        if since is not None:
            found = found.filter(
                changes_since(
                    since, (EvaluationIndicator.history.model, "evaluation_id")
                )
                | Q(submitted_at__gte=since)
            )
        return self.page(found)

    def item(self, obj: Evaluation) -> Any:
        return EvaluationSummarySerializer(evaluation_summary(obj)).data


class EvaluationDetail(ApiView):
    serializer_class = ScoredEvaluationSerializer

    @extend_schema(
        summary="一项绩效评价的评分树（与 manage.py evaluate <code> --json 相同）"
    )
    def get(self, request: Request, code: str) -> Response:
        evaluation = get_object_or_404(
            evaluations_for(request.user).select_related(
                "project", "framework", "evaluator"
            ),
            code=code,
        )
        return Response(evaluation_as_dict(evaluation_score(evaluation)))
