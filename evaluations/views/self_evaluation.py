"""The self-evaluation pages (单位自评): start one from an approved target form; the 自评表
(项目资金, 年度总体目标, 绩效指标 with each value's source) filled in and saved as one form;
submit; the 主管部门's and the finance bureau's decisions; the history of every change;
自评质量 beside a third-party evaluation of the same project-year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import is_administrator, own_organisation_id
from core.access import Role
from core.concurrency import EditConflict
from evaluations.flag_texts import flag_text
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationKind,
    ReviewStage,
)
from evaluations.scoping import (
    can_edit_self_evaluation,
    can_review_self_evaluation,
    can_score,
    evaluations_for,
)
from evaluations.self_evaluations import (
    SelfEvaluationTable,
    self_evaluation_quality,
    self_evaluation_table,
)
from evaluations.self_forms import (
    GoalForm,
    ReviewForm,
    SelfRowForm,
    SelfSubmitForm,
    StartForm,
)
from evaluations.services.scores import RowsRefused
from evaluations.services.self_evaluation import (
    self_evaluation_rows_save,
    self_evaluation_start,
)
from evaluations.services.self_review import (
    self_evaluation_accept,
    self_evaluation_forward,
    self_evaluation_return,
    self_evaluation_submit,
)
from targets.models import TargetForm, TargetFormStatus
from targets.scoping import target_forms_for


def _get_self_evaluation(request: HttpRequest, code: str) -> Evaluation:
    """The self-evaluation ``code`` if the user may read it; 404 otherwise."""
    return get_object_or_404(
        evaluations_for(request.user).select_related(
            "project__unit", "project__department", "framework", "target_form"
        ),
        code=code,
        kind=EvaluationKind.SELF,
    )


def startable_forms(request: HttpRequest) -> QuerySet[TargetForm]:
    """The approved project forms of the user's own unit (administrators: all) whose
    year has no self-evaluation started from a form yet."""
    forms = target_forms_for(request.user).filter(
        status=TargetFormStatus.APPROVED, project__isnull=False
    )
    if not is_administrator(request.user):
        unit = own_organisation_id(request.user, Role.UNIT)
        if unit is None:
            return forms.none()
        forms = forms.filter(project__unit_id=unit)
    started = Evaluation.objects.filter(
        kind=EvaluationKind.SELF, target_form__isnull=False
    ).values_list("target_form_id", flat=True)
    return (
        forms.exclude(pk__in=started)
        .select_related("project")
        .order_by("-year", "code")
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_start_view(request: HttpRequest) -> HttpResponse:
    """Start the year's self-evaluation from an approved target form and a framework."""
    forms = startable_forms(request)
    if request.method == "POST":
        form = StartForm(request.POST, forms_=forms)
        if form.is_valid():
            try:
                evaluation = self_evaluation_start(
                    form=form.cleaned_data["form"],
                    framework=form.cleaned_data["framework"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Self-evaluation %(code)s started.") % {"code": evaluation.code},
                )
                return redirect("evaluations:self_table", code=evaluation.code)
        status = 400
    else:
        initial = {"framework": "national-self-evaluation"}
        if request.GET.get("form"):
            initial["form"] = request.GET["form"]
        form = StartForm(initial=initial, forms_=forms)
        status = 200
    return render(
        request,
        "evaluations/self_start.html",
        {"form": form, "forms": forms},
        status=status,
    )


def _row_forms(table: SelfEvaluationTable, data: Any = None) -> dict[int, SelfRowForm]:
    leaves = [r.indicator for r in table.rows]
    budget = _budget_leaf(table)
    if budget is not None:
        leaves.insert(0, budget)
    forms = {}
    for indicator in leaves:
        prefix = f"row-{indicator.pk}"
        if data is not None:
            if f"{prefix}-version" in data:
                forms[indicator.pk] = SelfRowForm(data, prefix=prefix)
            continue
        forms[indicator.pk] = SelfRowForm(
            prefix=prefix,
            initial={
                "weight": indicator.weight,
                "actual_text": indicator.actual_text if indicator.actual_typed else "",
                "override_reason": indicator.actual_override_reason,
                "final_score": (
                    "" if indicator.final_score is None else indicator.final_score
                ),
                "reason": indicator.reason,
                "deviation_reason": indicator.deviation_reason,
                "version": indicator.version,
            },
        )
    return forms


def _budget_leaf(table: SelfEvaluationTable) -> EvaluationIndicator | None:
    scored = table.scored
    for indicator in scored.children.get(None, []):
        if not scored.children.get(indicator.pk):
            return indicator
    return None


def _page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    row_forms: dict[int, SelfRowForm] | None = None,
    goal_form: GoalForm | None = None,
    submit_form: SelfSubmitForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    table = self_evaluation_table(evaluation)
    editable = can_edit_self_evaluation(request.user, evaluation)
    forms = _row_forms(table) if editable else {}
    if row_forms:
        forms.update(row_forms)
    budget_leaf = _budget_leaf(table)
    reviewable = can_review_self_evaluation(request.user, evaluation)
    context = {
        "evaluation": evaluation,
        "table": table,
        "editable": editable,
        "row_forms": forms,
        "rows": [(row, forms.get(row.indicator.pk)) for row in table.rows],
        "budget_form": forms.get(budget_leaf.pk) if budget_leaf else None,
        "budget_leaf": budget_leaf,
        "goal_form": goal_form
        or GoalForm(
            initial={
                "goal_achieved": evaluation.goal_achieved,
                "goal_seen": evaluation.goal_achieved,
            }
        ),
        "submit_form": submit_form
        or SelfSubmitForm(initial={"total": table.scored.result.total}),
        "reviewable": reviewable,
        "review_form": review_form
        or ReviewForm(initial={"stage": evaluation.review_stage}),
        "review_decisions": (
            ["forward", "return"]
            if evaluation.review_stage == ReviewStage.DEPARTMENT
            else ["accept", "return"]
        ),
        "quality": self_evaluation_quality(evaluation),
        "flags": [(None, flag_text(f)) for f in table.scored.result.flags],
        "last_return": next(
            (s for s in reversed(table.steps) if s.action == "returned"), None
        ),
    }
    return render(request, "evaluations/self_table.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def self_table_view(request: HttpRequest, code: str) -> HttpResponse:
    """The 自评表; a POST saves every changed row and the 年度总体目标's 实际完成情况,
    all or nothing (refused rows drawn again as typed, their message beside them)."""
    evaluation = _get_self_evaluation(request, code)
    if request.method == "GET":
        return _page(request, evaluation)
    if not can_edit_self_evaluation(request.user, evaluation):
        if evaluation.is_locked and can_score(request.user, evaluation):
            messages.error(
                request,
                _("This self-evaluation has been submitted and can no longer change."),
            )
            return redirect("evaluations:self_table", code=evaluation.code)
        raise PermissionDenied(_("You cannot change this self-evaluation."))
    table = self_evaluation_table(evaluation)
    forms = _row_forms(table, request.POST)
    goal_form = GoalForm(request.POST)
    by_pk = {i.pk: i for i in table.scored.indicators}
    edits = []
    conflict = False
    invalid = not goal_form.is_valid()
    for pk, form in forms.items():
        if not form.is_valid():
            invalid = True
        elif (edit := form.edit(by_pk[pk])) is not None:
            edits.append(edit)
    if not invalid:
        try:
            with transaction.atomic():
                _goal_save(evaluation, goal_form)
                self_evaluation_rows_save(
                    evaluation=evaluation,
                    edits=edits,
                    unit_name=evaluation.project.unit.name
                    if evaluation.project
                    else "",
                )
        except RowsRefused as refused:
            invalid = True
            conflict = any(isinstance(e, EditConflict) for e in refused.by_row.values())
            for pk, error in refused.by_row.items():
                _add_error(forms[pk], error)
        except ValidationError as error:
            invalid = True
            goal_form.add_error(None, error)
    if not invalid:
        messages.success(request, _("Self-evaluation saved."))
        return redirect("evaluations:self_table", code=evaluation.code)
    evaluation.refresh_from_db()
    messages.error(request, _("Nothing was saved: correct the rows marked below."))
    return _page(
        request,
        evaluation,
        row_forms=forms,
        goal_form=goal_form,
        status=409 if conflict else 400,
    )


def _goal_save(evaluation: Evaluation, form: GoalForm) -> None:
    """The 实际完成情况 typed, unless someone saved another since the page was drawn."""
    typed = form.cleaned_data["goal_achieved"].strip()
    seen = form.cleaned_data["goal_seen"].strip()
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if typed == locked.goal_achieved:
        return
    if seen != locked.goal_achieved.strip():
        raise ValidationError(
            _(
                "Someone saved another text of the actual completion since this page "
                "was drawn: “%(theirs)s”. Yours is still in the box: save again to "
                "replace theirs."
            )
            % {"theirs": locked.goal_achieved}
        )
    locked.goal_achieved = typed
    locked.full_clean()
    locked.save(update_fields=["goal_achieved"])


def _add_error(form: SelfRowForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_POST
def self_submit_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_self_evaluation(request, code)
    if not can_edit_self_evaluation(request.user, evaluation):
        if evaluation.is_locked and can_score(request.user, evaluation):
            messages.error(
                request,
                _("This self-evaluation has been submitted and can no longer change."),
            )
            return redirect("evaluations:self_table", code=evaluation.code)
        raise PermissionDenied(_("You cannot change this self-evaluation."))
    form = SelfSubmitForm(request.POST)
    if form.is_valid():
        try:
            self_evaluation_submit(
                evaluation=evaluation,
                user=request.user,  # type: ignore[arg-type]
                total_seen=form.cleaned_data["total"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "The self-evaluation has been submitted to the supervising "
                    "department and is locked."
                ),
            )
            return redirect("evaluations:self_table", code=evaluation.code)
    evaluation.refresh_from_db()
    return _page(request, evaluation, submit_form=form, status=400)


@login_required
@require_POST
def self_review_view(request: HttpRequest, code: str) -> HttpResponse:
    """The 主管部门's (forward or return) or the finance bureau's (accept or return)
    decision at the stage the page showed (a decision on a stale page is refused)."""
    evaluation = _get_self_evaluation(request, code)
    if not can_review_self_evaluation(request.user, evaluation):
        if evaluation.review_stage in (ReviewStage.DEPARTMENT, ReviewStage.FINANCE):
            raise PermissionDenied(_("You cannot decide on this self-evaluation."))
        messages.error(request, _("This self-evaluation is not awaiting a decision."))
        return redirect("evaluations:self_table", code=evaluation.code)
    form = ReviewForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        user: Any = request.user
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["stage"] != evaluation.review_stage:
                raise ValidationError(
                    _(
                        "The self-evaluation was decided on since this page was "
                        "drawn: it is now “%(stage)s”."
                    )
                    % {"stage": evaluation.get_review_stage_display()}
                )
            if decision == "return":
                self_evaluation_return(
                    evaluation=evaluation, user=user, comment=comment
                )
            elif decision == "forward" and evaluation.review_stage == "department":
                self_evaluation_forward(
                    evaluation=evaluation, user=user, comment=comment
                )
            elif decision == "accept" and evaluation.review_stage == "finance":
                self_evaluation_accept(
                    evaluation=evaluation, user=user, comment=comment
                )
            else:
                raise ValidationError(_("This decision is not possible at this stage."))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("evaluations:self_table", code=evaluation.code)
    evaluation.refresh_from_db()
    return _page(request, evaluation, review_form=form, status=400)


@login_required
@require_GET
def self_history_view(request: HttpRequest, code: str) -> HttpResponse:
    """Every change: the review's steps, the evaluation's fields and each indicator's,
    who, when, before → after (oldest records compared with the one before them)."""
    evaluation = _get_self_evaluation(request, code)
    changes = []
    for model_records in (
        evaluation.history.select_related("history_user").order_by(
            "history_date", "history_id"
        ),
        EvaluationIndicator.history.filter(evaluation_id=evaluation.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
    ):
        last: dict[int, Any] = {}
        for record in model_records:
            before = last.get(record.id)
            last[record.id] = record
            if before is None:
                continue
            delta = record.diff_against(before)
            fields = [
                (
                    str(record.instance._meta.get_field(c.field).verbose_name),
                    "" if c.old is None else str(c.old),
                    "" if c.new is None else str(c.new),
                )
                for c in delta.changes
                if c.field not in ("version",)
            ]
            if fields:
                changes.append(
                    {
                        "at": record.history_date,
                        "who": record.history_user,
                        "what": getattr(record, "name", "") or evaluation.code,
                        "fields": fields,
                    }
                )
    changes.sort(key=lambda c: c["at"], reverse=True)
    steps = list(evaluation.review_steps.select_related("by").order_by("-at", "-pk"))
    return render(
        request,
        "evaluations/self_history.html",
        {"evaluation": evaluation, "changes": changes, "steps": steps},
    )
