"""目标审核: submit, return with comments, approve; 目标调整 requests and their review; the
history of every change (django-simple-history: who, when, before, after); the form as the
official xlsx."""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.models import AdjustmentStatus
from core.pagination import paginate
from targets import notifications
from targets.forms import (
    AdjustmentDecisionForm,
    AdjustmentForm,
    ApproveForm,
    ReturnForm,
)
from targets.models import (
    IndicatorLevel,
    TargetAdjustment,
    TargetForm,
    TargetFormStatus,
    TargetIndicator,
)
from targets.resubmission import changes_since_return, latest_return
from targets.scoping import can_prepare_target_form, can_review_target_form
from targets.services import (
    CommentData,
    target_adjustment_decide,
    target_adjustment_request,
    target_form_approve,
    target_form_return,
    target_form_submit,
)
from targets.views.access import (
    get_form_for_user,
    get_form_to_prepare,
    get_form_to_review,
)
from targets.views.entry import editor_context

HISTORY_PAGE_SIZE = 50


def _link(request: HttpRequest, name: str, form: TargetForm) -> str:
    """The page's address as a mail gives it (the request's scheme and host)."""
    return request.build_absolute_uri(reverse(name, args=[form.code]))


def _errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def form_submit(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    try:
        target_form_submit(form=form, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The form has been submitted for review."))
        notifications.form_submitted(form, _link(request, "targets:detail", form))
    return redirect("targets:detail", code=form.code)


@login_required
@require_POST
def form_return(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_review(request, code)
    leaves = list(
        form.indicators.filter(level=IndicatorLevel.LEVEL3).order_by("position")
    )
    return_form = ReturnForm(request.POST, leaves=leaves)
    if not return_form.is_valid():
        for errors in return_form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("targets:detail", code=form.code)
    try:
        target_form_return(
            form=form,
            user=request.user,  # type: ignore[arg-type]
            comments=[
                CommentData(text=text, indicator=indicator)
                for indicator, text in return_form.indicator_comments()
            ],
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The form has been returned to the unit."))
        notifications.form_returned(form, _link(request, "targets:detail", form))
    return redirect("targets:detail", code=form.code)


@login_required
@require_GET
def form_changes(request: HttpRequest, code: str) -> HttpResponse:
    """What changed since the form was last returned, indicator by indicator, beside
    the comments the bureau wrote (whoever reads the form may read this)."""
    form = get_form_for_user(request, code)
    returned = latest_return(form)
    return render(
        request,
        "targets/form_changes.html",
        {
            "form": form,
            "changes": changes_since_return(form, returned),
            "reviewer": can_review_target_form(request.user, form),
        },
    )


@login_required
@require_POST
def form_approve(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_review(request, code)
    approval = ApproveForm(request.POST, target_form=form)
    if not approval.is_valid():
        for errors in approval.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("targets:detail", code=form.code)
    try:
        target_form_approve(form=form, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(
            request, _("The form has been approved; its values are locked.")
        )
        notifications.form_approved(form, _link(request, "targets:detail", form))
    return redirect("targets:detail", code=form.code)


@login_required
def adjustment_list(request: HttpRequest, code: str) -> HttpResponse:
    """The form's 目标调整 requests, and (for the unit) a new one."""
    form = get_form_for_user(request, code)
    preparer = can_prepare_target_form(request.user, form)
    new = AdjustmentForm(request.POST or None, target_form=form)
    if request.method == "POST":
        if not preparer:
            raise PermissionDenied
        if new.is_valid():
            try:
                adjustment = target_adjustment_request(
                    indicator=new.cleaned_data["indicator"],
                    user=request.user,  # type: ignore[arg-type]
                    value=new.cleaned_data["value"],
                    half_year_value=new.cleaned_data["half_year_value"],
                    reason=new.cleaned_data["reason"],
                )
            except ValidationError as exc:
                new.add_error(None, exc)
            else:
                messages.success(request, _("The adjustment request has been sent."))
                notifications.adjustment_requested(
                    adjustment, _link(request, "targets:adjustments", form)
                )
                return redirect("targets:adjustments", code=form.code)
    adjustments = form.adjustments.select_related(
        "indicator", "requested_by", "decided_by"
    ).order_by("-requested_at")
    context = editor_context(request, form)
    context.update(
        {
            "adjustments": adjustments,
            "new": new,
            "can_request": preparer and form.status == "approved",
        }
    )
    return render(
        request, "targets/adjustments.html", context, status=400 if new.errors else 200
    )


@login_required
@require_POST
def adjustment_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    form = get_form_to_review(request, code)
    adjustment = get_object_or_404(
        TargetAdjustment.objects.select_related("indicator"), form=form, pk=pk
    )
    adjustment.indicator.form = form
    decision = AdjustmentDecisionForm(request.POST)
    if not decision.is_valid():
        for errors in decision.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("targets:adjustments", code=form.code)
    try:
        target_adjustment_decide(
            adjustment=adjustment,
            user=request.user,  # type: ignore[arg-type]
            approve=decision.approve,
            comment=decision.cleaned_data["comment"],
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(
            request,
            _("The adjustment has been approved and applied.")
            if adjustment.status == AdjustmentStatus.APPROVED
            else _("The adjustment has been rejected."),
        )
        notifications.adjustment_decided(
            adjustment, _link(request, "targets:adjustments", form)
        )
    return redirect("targets:adjustments", code=form.code)


# Each field by the name a history reader knows it by (pgettext: a field of the history).
FIELD_LABELS = {
    "name": pgettext_lazy("history field", "name"),
    "value_text": pgettext_lazy("history field", "target value"),
    "half_year_text": pgettext_lazy("history field", "half-year target value"),
    "half_year_actual_text": pgettext_lazy("history field", "half-year actual"),
    "actual_text": pgettext_lazy("history field", "full-year actual"),
    "position": pgettext_lazy("history field", "position"),
    "status": pgettext_lazy("history field", "status"),
    "funds_unit": pgettext_lazy("history field", "unit of amounts"),
    "funds_total": pgettext_lazy("history field", "project funds"),
    "funds_fiscal": pgettext_lazy("history field", "fiscal appropriation"),
    "funds_other": pgettext_lazy("history field", "other funds"),
    "overall_goal": pgettext_lazy("history field", "overall goal"),
    "annual_goal": pgettext_lazy("history field", "annual goal"),
    "long_term_goal": pgettext_lazy("history field", "medium- and long-term goal"),
    "main_functions": pgettext_lazy("history field", "main functions of the unit"),
    "staffing": pgettext_lazy("history field", "organisation and staffing"),
}
HIDDEN_FIELDS = {
    "value_comparator",
    "value_number",
    "value_unit",
    "half_year_comparator",
    "half_year_number",
    "half_year_unit",
    "half_year_actual_number",
    "actual_number",
    "submissions",
    "submitted_at",
    "submitted_by",
    "decided_at",
    "decided_by",
}


@login_required
@require_GET
def form_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every change to the form and its indicators: who, when, which field, before, after
    (newest first, paginated; each record is compared with the one before it)."""
    form = get_form_for_user(request, code)
    records = (
        TargetIndicator.history.filter(form_id=form.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    page = paginate(request, records, HISTORY_PAGE_SIZE)
    current = list(page.object_list)
    previous = _previous_records(current)
    changes = []
    for record in current:
        before = previous.get(record.history_id)
        changes.append(
            {
                "record": record,
                "kind": record.get_history_type_display(),
                "fields": _diff(before, record),
            }
        )
    form_records = (
        TargetForm.history.filter(id=form.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_PAGE_SIZE]
    )
    form_list = list(form_records)
    form_changes = [
        {
            "record": record,
            "kind": record.get_history_type_display(),
            "fields": _diff(
                form_list[i + 1] if i + 1 < len(form_list) else None, record
            ),
        }
        for i, record in enumerate(form_list)
    ]
    return render(
        request,
        "targets/history.html",
        {"form": form, "page": page, "changes": changes, "form_changes": form_changes},
    )


def _previous_records(records: list[object]) -> dict[int, object]:
    """For each history record, the record of the same indicator just before it (one
    query for the whole page)."""
    if not records:
        return {}
    ids = {r.id for r in records}  # type: ignore[attr-defined]
    oldest = min(r.history_date for r in records)  # type: ignore[attr-defined]
    earlier = TargetIndicator.history.filter(id__in=ids).filter(
        Q(history_date__lt=oldest) | Q(history_id__in=[r.history_id for r in records])  # type: ignore[attr-defined]
    )
    by_indicator: dict[int, list[object]] = {}
    for record in earlier.order_by("history_date", "history_id"):
        by_indicator.setdefault(record.id, []).append(record)
    found: dict[int, object] = {}
    for chain in by_indicator.values():
        for before, after in itertools.pairwise(chain):
            found[after.history_id] = before  # type: ignore[attr-defined]
    return found


CHANGE_ONLY = {"position", "status"}
"""Fields shown only when they change (a new indicator's position says nothing)."""


def _shown(name: str, value: object) -> object:
    if name == "status" and value in TargetFormStatus.values:
        return TargetFormStatus(value).label
    return value


def _diff(before: object | None, after: object) -> list[tuple[str, str, str]]:
    """The shown fields that differ between two history records (foreign keys by id, so
    that no related object is loaded)."""
    fields = []
    for name, lazy_label in FIELD_LABELS.items():
        label = str(lazy_label)
        attribute = f"{name}_id" if name == "library_indicator" else name
        if not hasattr(after, attribute) or name in HIDDEN_FIELDS:
            continue
        new = _shown(name, getattr(after, attribute))
        old = None if before is None else _shown(name, getattr(before, attribute))
        if before is None:
            if new not in (None, "") and name not in CHANGE_ONLY:
                fields.append((label, "", str(new)))
        elif old != new:
            fields.append(
                (
                    label,
                    "" if old is None else str(old),
                    "" if new is None else str(new),
                )
            )
    return fields
