"""The budget year companion page of a target form: 年初预算 + 追加 − 调减 = 调整后预算,
到位 and 支出 with their rates, the lines by economic category, the payroll and goods
detail, 预算调整 requests and the history of every figure."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from budgets.forms import (
    AdjustmentRequestForm,
    BudgetYearForm,
    DepartmentSpendingForm,
    MonthForm,
)
from budgets.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetYear,
    DepartmentBudget,
    DepartmentSpending,
)
from budgets.results import result_panel
from budgets.scoping import (
    budget_figures_editable,
    budget_years_for,
    can_decide_budget_adjustment,
    can_report_department_spending,
    can_request_budget_adjustment,
    department_budgets_for,
)
from budgets.selectors import figures_for_budget_year
from budgets.services import (
    LINE_FIGURES,
    YEAR_FIGURES,
    LineFigures,
    budget_adjustment_decide,
    budget_adjustment_request,
    budget_year_update,
    department_spending_record,
)
from core.concurrency import EditConflict
from core.forms import DecisionForm
from core.lists import list_page, name_contains

PAGE_SIZE = 25
HISTORY_ROWS = 30
SORTS = {  # the first is the default
    "-year": ("-year", "project__name"),
    "year": ("year", "project__name"),
    "project": ("project__name", "-year"),
}


def _get_budget_year_for_user(
    request: HttpRequest, project_code: str, year: int
) -> BudgetYear:
    """The budget year if the user may read it; 404 otherwise (no existence leak)."""
    return get_object_or_404(
        budget_years_for(request.user)
        .select_related("project", "project__unit", "project__department")
        .prefetch_related(
            "lines", "sub_projects", "payroll_lines", "goods_services_lines"
        ),
        project__code=project_code,
        year=year,
    )


@login_required
@require_GET
def budget_year_list(request: HttpRequest) -> HttpResponse:
    budget_years = budget_years_for(request.user).select_related(
        "project", "project__unit"
    )
    return render(
        request,
        "budgets/budget_year_list.html",
        list_page(
            request,
            budget_years,
            sorts=SORTS,
            per_page=PAGE_SIZE,
            search=lambda query: name_contains("project__name", query),
        ),
    )


def _history(budget_year: BudgetYear) -> list[dict[str, object]]:
    """The latest changes to the year's figures and its lines (who, when, before → after)."""
    fields = {
        "initial": pgettext("history field", "initial budget"),
        "addition": pgettext("history field", "addition"),
        "reduction": pgettext("history field", "reduction"),
        "received": pgettext("history field", "funds received"),
        "expenditure": pgettext("history field", "expenditure"),
        "budget": pgettext("history field", "budget"),
    }
    entries: list[dict[str, object]] = []
    for model, filters, label in (
        (BudgetYear, {"id": budget_year.pk}, None),
        (BudgetLine, {"budget_year_id": budget_year.pk}, "category"),
    ):
        records = list(
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[int, object] = {}
        for record in records:
            before = previous.get(record.id)
            changes = []
            for name, title in fields.items():
                if not hasattr(record, name):
                    continue
                new = getattr(record, name)
                old = getattr(before, name) if before is not None else None
                if before is None or old != new:
                    changes.append(
                        (title, "" if old is None else old, "" if new is None else new)
                    )
            previous[record.id] = record
            entries.append(
                {
                    "record": record,
                    "what": getattr(record, label)
                    if label
                    else pgettext("history object", "budget year"),
                    "kind": record.get_history_type_display(),
                    "changes": changes,
                }
            )
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)  # type: ignore[attr-defined]
    return entries[:HISTORY_ROWS]


@login_required
def budget_year_detail(
    request: HttpRequest, project_code: str, year: int
) -> HttpResponse:
    budget_year = _get_budget_year_for_user(request, project_code, year)
    lines = list(budget_year.lines.all())
    editable = budget_figures_editable(request.user, budget_year)
    form = BudgetYearForm(
        request.POST if request.method == "POST" else None,
        budget_year=budget_year,
        lines=lines,
        editable=editable,
    )
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.editable_data()
            try:
                budget_year_update(
                    budget_year=budget_year,
                    figures={n: data[n] for n in YEAR_FIGURES if n in data},
                    lines=[
                        LineFigures(
                            line=line,
                            figures={
                                n: data[f"line_{line.pk}_{n}"]
                                for n in LINE_FIGURES
                                if f"line_{line.pk}_{n}" in data
                            },
                        )
                        for line in lines
                    ],
                    version=form.cleaned_data["version"],
                )
            except EditConflict as conflict:
                # the figures typed stay in the form; its next save replaces theirs
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form.data = data
                form.add_error(None, conflict)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The budget figures have been saved."))
                return redirect("budgets:detail", project_code=project_code, year=year)
        # a figure the user may not set is a refusal (403), a stale page a conflict
        # (409), any other error a 400
        status = 403 if form.refused else 409 if status == 409 else 400
    adjustments = BudgetAdjustment.objects.filter(
        line__budget_year=budget_year
    ).select_related("line", "requested_by", "decided_by")
    target_form = budget_year.project.target_forms.filter(year=year).first()
    return render(
        request,
        "budgets/budget_year_detail.html",
        {
            "figures": figures_for_budget_year(budget_year),
            "budget_year": budget_year,
            "form": form,
            "editable": bool(editable),
            "adjustments": adjustments,
            "adjustment_form": AdjustmentRequestForm(budget_year=budget_year),
            "can_request": can_request_budget_adjustment(request.user, budget_year),
            "can_decide": can_decide_budget_adjustment(request.user, budget_year),
            "history": _history(budget_year),
            "target_form": target_form,
            # 结果应用: last year's result and the decision (results_use hands it in)
            "result_panel": result_panel(budget_year=budget_year, user=request.user),
        },
        status=status,
    )


@login_required
@require_POST
def adjustment_request(
    request: HttpRequest, project_code: str, year: int
) -> HttpResponse:
    budget_year = _get_budget_year_for_user(request, project_code, year)
    if not can_request_budget_adjustment(request.user, budget_year):
        raise PermissionDenied
    form = AdjustmentRequestForm(request.POST, budget_year=budget_year)
    if form.is_valid():
        try:
            budget_adjustment_request(
                line=form.cleaned_data["line"],
                user=request.user,  # type: ignore[arg-type]
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The adjustment request has been sent."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("budgets:detail", project_code=project_code, year=year)


@login_required
@require_POST
def adjustment_decide(
    request: HttpRequest, project_code: str, year: int, pk: int
) -> HttpResponse:
    budget_year = _get_budget_year_for_user(request, project_code, year)
    if not can_decide_budget_adjustment(request.user, budget_year):
        raise PermissionDenied
    adjustment = get_object_or_404(
        BudgetAdjustment, line__budget_year=budget_year, pk=pk
    )
    decision = DecisionForm(request.POST)
    if not decision.is_valid():
        for errors in decision.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect("budgets:detail", project_code=project_code, year=year)
    try:
        budget_adjustment_decide(
            adjustment=adjustment,
            user=request.user,  # type: ignore[arg-type]
            approve=decision.approve,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("budgets:detail", project_code=project_code, year=year)


def _get_department_budget_for_user(
    request: HttpRequest, organisation_code: str, year: int
) -> DepartmentBudget:
    """The department budget if the user may read it; 404 otherwise."""
    return get_object_or_404(
        department_budgets_for(request.user).select_related("organisation"),
        organisation__code=organisation_code,
        year=year,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_spending(
    request: HttpRequest, organisation_code: str, year: int
) -> HttpResponse:
    """部门整体资金's spending to date, line by line, for one month (``?month=``, June by
    default): what 运行监控 compares with the budget and its 半年计划执行数."""
    budget = _get_department_budget_for_user(request, organisation_code, year)
    month_form = MonthForm(request.GET or {"month": "6"})
    month = month_form.cleaned_data["month"] if month_form.is_valid() else 6
    lines = list(budget.expenditure_lines.order_by("position"))
    spent = {
        row.line_id: row.amount
        for row in DepartmentSpending.objects.filter(line__in=lines, month=month)
    }
    can_edit = can_report_department_spending(request.user, budget)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = DepartmentSpendingForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                department_spending_record(
                    budget=budget, month=month, amounts=form.amounts()
                )
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                messages.success(request, _("The spending to date was saved."))
                return redirect(
                    f"{request.path}?month={month}"  # the same page, that month
                )
        else:
            errors = [str(m) for ms in form.errors.values() for m in ms]
            status = 400
    else:
        form = DepartmentSpendingForm(
            lines=lines, initial={f"line_{pk}": amount for pk, amount in spent.items()}
        )
    rows = [
        {"line": line, "field": form[f"line_{line.pk}"], "spent": spent.get(line.pk)}
        for line in lines
    ]
    return render(
        request,
        "budgets/department_spending.html",
        {
            "budget": budget,
            "month": month,
            "month_form": month_form,
            "rows": rows,
            "can_edit": can_edit,
            "errors": errors,
            "total_budget": sum((line.full_year_budget for line in lines), Decimal(0)),
            "total_plan": sum(
                (line.half_year_plan or Decimal(0) for line in lines), Decimal(0)
            ),
            "total_spent": sum(spent.values(), Decimal(0))
            if len(spent) == len(lines)
            else None,
        },
        status=status,
    )
