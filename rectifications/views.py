"""问题整改 pages: the list of items (the responsible unit's and the bureau's, overdue ones
flagged), an evaluation's findings and their items, and one item's page (report, evidence,
销号).

Every view reaches its objects through the helpers at the top, which apply
``rectifications.scoping`` (or the evaluations' scoping): anything else is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.concurrency import EditConflict
from core.errors import missing_file
from core.lists import list_page
from evaluations.models import Evaluation, Finding
from evaluations.scoping import evaluations_for
from rectifications.forms import (
    ItemCreateForm,
    ItemEvidenceForm,
    ItemReportForm,
    VerifyForm,
)
from rectifications.models import RectificationEvidence, RectificationItem
from rectifications.scoping import (
    can_create_items,
    can_report,
    can_verify,
    items_for,
    reads_items,
    responsible_choices,
)
from rectifications.selectors import (
    counts,
    finding_rows,
    item_list,
    overdue,
    red_lines,
)
from rectifications.services import (
    RED_LIGHT_STATUSES,
    evidence_add,
    item_from_finding,
    item_from_red_light,
    item_report,
    item_verify,
)
from targets.models import MonitoringLine, MonitoringReport
from targets.scoping import monitoring_reports_for

PAGE_SIZE = 50
REPORT_KIND = "rectification_report"
"""The 整改情况报告's document kind (``documents.models.DocumentKind``; documents sits
above this app and prints it, so it is named here by its value)."""
SORTS = {  # the first is the default
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "-year": ("-year", "deadline", "pk"),
}


def _evaluation_for_user(request: HttpRequest, code: str) -> Evaluation:
    """A project's evaluation whose rectification the user follows: its finance,
    department and unit (not its evaluator or expert, who reach no item)."""
    if not reads_items(request.user):
        raise Http404
    return get_object_or_404(
        evaluations_for(request.user).select_related("project", "project__unit"),
        code=code,
        project__isnull=False,
    )


def _item_for_user(request: HttpRequest, pk: int) -> RectificationItem:
    return get_object_or_404(
        items_for(request.user).select_related(
            "project",
            "responsible",
            "evaluation",
            "finding",
            "recommendation",
            "monitoring_line__report",
            "created_by",
            "verified_by",
        ),
        pk=pk,
    )


@login_required
@require_GET
def item_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = item_list(items_for(request.user), today)
    status = request.GET.get("status", "")
    if status in {"open", "in_progress", "done", "impossible"}:
        items = items.filter(status=status)
    elif status == "overdue":
        items = overdue(items, today)
    elif status == "awaiting":
        items = items.filter(
            status__in=["done", "impossible"], verified_at__isnull=True
        )
    elif status == "closed":
        items = items.filter(verified_at__isnull=False)
    else:
        status = ""
    context = list_page(request, items, sorts=SORTS, per_page=PAGE_SIZE)
    context.update(
        {
            "today": today,
            "status": status,
            "counts": counts(items_for(request.user), today),
        }
    )
    return render(request, "rectifications/item_list.html", context)


def _evaluation_page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    failed: tuple[int, ItemCreateForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    creator = can_create_items(request.user)
    rows = []
    for row in finding_rows(evaluation, timezone.localdate()):
        form = None
        if creator and row.item is None:
            if failed is not None and failed[0] == row.finding.pk:
                form = failed[1]
            else:
                form = ItemCreateForm(
                    organisations=responsible_choices(request.user),
                    initial={"responsible": evaluation.project.unit_id},  # type: ignore[union-attr]
                    prefix=f"finding-{row.finding.pk}",
                )
        rows.append({"row": row, "form": form})
    return render(
        request,
        "rectifications/evaluation.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "today": timezone.localdate(),
            "report_kind": REPORT_KIND,
        },
        status=status,
    )


@login_required
@require_GET
def evaluation_items(request: HttpRequest, code: str) -> HttpResponse:
    return _evaluation_page(request, _evaluation_for_user(request, code))


@login_required
@require_POST
def item_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _evaluation_for_user(request, code)
    finding = get_object_or_404(Finding, evaluation=evaluation, pk=pk)
    return _item_create(
        request,
        prefix=f"finding-{finding.pk}",
        create=partial(item_from_finding, finding=finding),
        back=reverse("rectifications:evaluation", kwargs={"code": code}),
        again=lambda form: _evaluation_page(
            request, evaluation, failed=(finding.pk, form), status=400
        ),
    )


def _item_create(
    request: HttpRequest,
    *,
    prefix: str,
    create: Callable[..., RectificationItem],
    back: str,
    again: Callable[[ItemCreateForm], HttpResponse],
) -> HttpResponse:
    """Finance makes a finding or a red line (``create`` knows which) an item; a refused
    form comes back on its page (``again``), what was typed kept."""
    if not can_create_items(request.user):
        return HttpResponse(
            _("Only the finance bureau assigns rectification items."), status=403
        )
    form = ItemCreateForm(
        request.POST, organisations=responsible_choices(request.user), prefix=prefix
    )
    if form.is_valid():
        try:
            item = create(
                responsible=form.cleaned_data["responsible"],
                measures=form.cleaned_data["measures"],
                deadline=form.cleaned_data["deadline"],
                user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is now a rectification item.") % {"title": item.title},
            )
            return redirect(back)
    return again(form)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _detail(
    request: HttpRequest,
    item: RectificationItem,
    *,
    report_form: ItemReportForm | None = None,
    evidence_form: ItemEvidenceForm | None = None,
    verify_form: VerifyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reporter = can_report(request.user, item)
    verifier = can_verify(request.user, item)
    history = list(
        item.history.select_related("history_user").order_by("-history_date")[:30]
    )
    return render(
        request,
        "rectifications/item_detail.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "overdue": item.is_overdue(timezone.localdate()),
            "files": item.evidence.select_related("uploaded_by"),
            "report_form": (report_form or ItemReportForm.for_item(item))
            if reporter
            else None,
            "evidence_form": (evidence_form or ItemEvidenceForm())
            if reporter
            else None,
            "verify_form": (verify_form or VerifyForm()) if verifier else None,
            "history": history,
        },
        status=status,
    )


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _item_for_user(request, pk))


@login_required
@require_POST
def item_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_user(request, pk)
    if not can_report(request.user, item):
        return HttpResponse(
            _("Only the responsible organisation reports on an open item."),
            status=403,
        )
    form = ItemReportForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            item_report(
                item=item,
                version=form.cleaned_data["version"],
                **form.given(),
            )
        except EditConflict as conflict:
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form.data = data
            form.add_error(None, conflict)
            status = 409
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The rectification item has been saved."))
            return redirect("rectifications:detail", pk=pk)
    item.refresh_from_db()
    return _detail(request, item, report_form=form, status=status)


@login_required
@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_user(request, pk)
    if not can_report(request.user, item):
        return HttpResponse(
            _("Only the responsible organisation adds evidence to an open item."),
            status=403,
        )
    form = ItemEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_add(
                item=item,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The evidence has been added."))
            return redirect("rectifications:detail", pk=pk)
    return _detail(request, item, evidence_form=form, status=400)


@login_required
@require_GET
def evidence_download(
    request: HttpRequest, pk: int, evidence_pk: int
) -> HttpResponseBase:
    item = _item_for_user(request, pk)
    evidence = get_object_or_404(RectificationEvidence, item=item, pk=evidence_pk)
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the files)
        return missing_file(request)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=Path(evidence.file.name or "evidence").name,
    )


@login_required
@require_POST
def item_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_user(request, pk)
    if not can_verify(request.user, item):
        return HttpResponse(
            _(
                "Only the finance bureau verifies an item, once it is reported as "
                "rectified or impossible to rectify."
            ),
            status=403,
        )
    form = VerifyForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            item_verify(
                item=item,
                user=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
                accept=accept,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The item has been verified and closed.")
                if accept
                else _("The item has been sent back for more work."),
            )
            return redirect("rectifications:detail", pk=pk)
    return _detail(request, item, verify_form=form, status=400)


# ------------------------------------------------------------ 运行监控's red lights


def _report_for_user(request: HttpRequest, code: str) -> MonitoringReport:
    """A monitoring report whose rectification the user follows (its form's readers
    among finance, department and unit)."""
    if not reads_items(request.user):
        raise Http404
    return get_object_or_404(
        monitoring_reports_for(request.user).select_related(
            "form", "form__project", "form__project__unit", "form__organisation"
        ),
        code=code,
    )


def _monitoring_page(
    request: HttpRequest,
    report: MonitoringReport,
    *,
    failed: tuple[int, ItemCreateForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    creator = can_create_items(request.user) and report.status in RED_LIGHT_STATUSES
    form = report.form
    owner = form.project.unit_id if form.project else form.organisation_id
    rows = []
    for line in red_lines(report):
        item = getattr(line, "rectification_item", None)
        create = None
        if creator and item is None:
            if failed is not None and failed[0] == line.pk:
                create = failed[1]
            else:
                create = ItemCreateForm(
                    organisations=responsible_choices(request.user),
                    initial={"responsible": owner, "measures": line.measures},
                    prefix=f"line-{line.pk}",
                )
        rows.append(
            {
                "line": line,
                "item": item,
                "overdue": item is not None and item.is_overdue(today),
                "form": create,
            }
        )
    return render(
        request,
        "rectifications/monitoring.html",
        {
            "report": report,
            "rows": rows,
            "submitted": report.status in RED_LIGHT_STATUSES,
        },
        status=status,
    )


@login_required
@require_GET
def monitoring_items(request: HttpRequest, code: str) -> HttpResponse:
    return _monitoring_page(request, _report_for_user(request, code))


@login_required
@require_POST
def monitoring_item_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    report = _report_for_user(request, code)
    line = get_object_or_404(MonitoringLine, report=report, pk=pk)
    return _item_create(
        request,
        prefix=f"line-{line.pk}",
        create=partial(item_from_red_light, line=line),
        back=reverse("rectifications:monitoring", kwargs={"code": code}),
        again=lambda form: _monitoring_page(
            request, report, failed=(line.pk, form), status=400
        ),
    )
