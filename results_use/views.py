"""结果应用: the finance bureau records its decision on a budget year, given the
recommendation of last year's result (shown on the budget year page, where the form is
too; this page takes the post and shows it again with its errors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budgets.models import BudgetYear
from budgets.scoping import budget_years_for
from core.concurrency import EditConflict
from results_use.forms import DecisionForm
from results_use.panels import BudgetPanel, budget_panel, can_decide
from results_use.services import budget_decision_record


def _budget_year_for_user(
    request: HttpRequest, project_code: str, year: int
) -> BudgetYear:
    return get_object_or_404(
        budget_years_for(request.user).select_related("project", "project__unit"),
        project__code=project_code,
        year=year,
    )


@login_required
def decision(request: HttpRequest, project_code: str, year: int) -> HttpResponse:
    budget_year = _budget_year_for_user(request, project_code, year)
    panel = budget_panel(budget_year, request.user)
    status = 200
    if request.method == "POST":
        if not can_decide(request.user):
            return HttpResponse(
                _("Only the finance bureau records the decision."), status=403
            )
        form = DecisionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                budget_decision_record(
                    budget_year=budget_year,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    user=request.user,  # type: ignore[arg-type]
                    version=form.cleaned_data["version"],
                )
            except EditConflict as conflict:
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form.data = data
                form.add_error(None, conflict)
                status = 409
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect("budgets:detail", project_code=project_code, year=year)
        if panel is not None:
            panel = BudgetPanel(
                panel.budget_year, panel.recommendation, panel.decision, form
            )
    return render(
        request,
        "results_use/decision.html",
        {"budget_year": budget_year, "panel": panel},
        status=status,
    )
