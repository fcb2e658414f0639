"""Operating-data pages: upload with preview and confirm, the kept files, a year's figures with
their history, and the centre's own metrics. (Target monitoring, /operations/monitoring/, is
the targets' page: ``targets.views.monitoring``, routed here to keep its address.)

Who may do what (``accounts.scoping`` decides what a user sees):
- reading (uploads, figures, files, monitoring): whoever can see the organisation or the
  target form; anything else is a 404, so nothing leaks that it exists;
- uploading, confirming, discarding, adding metrics: users of the centre itself (role
  “实施单位/热线中心”, their own organisation only); other roles get a 403.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import organisations_for
from budgets.models import Organisation
from core.errors import missing_file
from core.pagination import paginate
from operations import selectors, services, verification
from operations.forms import ConfirmForm, CustomMetricForm, UploadForm, YearForm
from operations.models import OperatingDataUpload, OperatingValue
from operations.reading import Problem
from operations.resources import OperatingValueResource
from operations.scoping import can_upload_operating_data, operating_data_unit
from operations.workbooks import entry_of, template_workbook

PREVIEW_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_unit(request: HttpRequest) -> Organisation:
    """The organisation a hotline-centre user uploads for; 403 for every other role."""
    organisation = operating_data_unit(request.user)
    if organisation is None:
        raise PermissionDenied(
            _(
                "Only users of a hotline centre (implementing unit) may upload their"
                " own unit's operating data"
            )
        )
    return organisation


def _can_upload_for(request: HttpRequest, organisation: Organisation) -> bool:
    return can_upload_operating_data(request.user, organisation)


def _get_organisation_for_user(request: HttpRequest, code: str) -> Organisation:
    organisation: Organisation = get_object_or_404(
        organisations_for(request.user), code=code
    )
    return organisation


def _get_upload_for_user(request: HttpRequest, pk: int) -> OperatingDataUpload:
    return get_object_or_404(
        selectors.uploads_of(organisations=organisations_for(request.user)), pk=pk
    )


def _get_own_upload(request: HttpRequest, pk: int) -> OperatingDataUpload:
    upload = _get_upload_for_user(request, pk)
    if not _can_upload_for(request, upload.organisation):
        raise PermissionDenied(
            _(
                "Only users of the uploading unit's hotline centre may confirm or"
                " discard this upload"
            )
        )
    return upload


# --------------------------------------------------------------------------- home


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for(request.user)
    uploads = paginate(request, selectors.uploads_of(organisations=organisations), 25)
    own = operating_data_unit(request.user)
    return render(
        request,
        "operations/index.html",
        {
            "page": uploads,
            "params": "",
            "own": own,
            "years": selectors.years_with_data_of(organisations=organisations),
            "year_default": date.today().year - 1,
        },
    )


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The centre's own template for the year asked (``?year=2024``)."""
    organisation = _own_unit(request)
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else date.today().year - 1
    return redirect("operations:workbook", code=organisation.code, year=year)


# --------------------------------------------------------------------------- upload


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    organisation = _own_unit(request)
    outcome = None
    file_name = ""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        file_name = file.name or ""
        outcome = services.operating_data_upload(
            organisation=organisation,
            name=file_name,
            content=file.read(),
            uploaded_by=request.user,  # type: ignore[arg-type]
        )
        if outcome.ok and outcome.upload is not None:
            return redirect("operations:upload_detail", pk=outcome.upload.pk)
    return render(
        request,
        "operations/upload.html",
        {
            "form": form,
            "organisation": organisation,
            "outcome": outcome,
            "file_name": file_name,
            "limits": services.upload_limits(),
            "year": date.today().year - 1,
        },
    )


@login_required
@require_GET
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _get_upload_for_user(request, pk)
    pending = upload.status == OperatingDataUpload.Status.PENDING
    # taken before the preview: a change after it is named when confirming
    seen = (
        services.operating_value_mark(organisation=upload.organisation)
        if pending
        else None
    )
    outcome = services.operating_data_preview(upload=upload) if pending else None
    changes = list(outcome.changes) if outcome else []
    return render(
        request,
        "operations/upload_detail.html",
        {
            "upload": upload,
            "outcome": outcome,
            "changes": changes[:PREVIEW_ROWS],
            "changes_hidden": max(len(changes) - PREVIEW_ROWS, 0),
            "history": selectors.upload_changes(upload=upload)[:PREVIEW_ROWS]
            if not pending
            else [],
            "can_confirm": pending and _can_upload_for(request, upload.organisation),
            "confirm_form": ConfirmForm(initial={"seen": seen}),
        },
    )


@login_required
@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _get_own_upload(request, pk)
    form = ConfirmForm(request.POST)
    seen = form.cleaned_data["seen"] if form.is_valid() else None
    try:
        outcome = services.operating_data_commit(upload=upload, seen=seen)
    except services.UploadStateError as error:
        messages.error(request, str(error))
        return redirect("operations:upload_detail", pk=pk)
    if outcome.conflicts:
        messages.error(
            request,
            _(
                "Not imported (nothing was changed): since the preview, another upload"
                " changed the following values of this file. The preview below has"
                " been drawn again with the values as they are now; check it, then"
                " confirm the import to replace them with this file's values."
            ),
        )
        for conflict in outcome.conflicts:
            messages.error(request, conflict)
    elif outcome.committed:
        messages.success(
            request,
            _(
                "Imported: %(created)s added, %(updated)s updated, %(unchanged)s"
                " unchanged."
            )
            % {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": len(outcome.unchanged),
            },
        )
    else:
        # named here: the page below previews again, and may no longer find them
        messages.error(
            request,
            _("Not imported (nothing was changed): %(count)s errors found:")
            % {"count": len(outcome.problems)},
        )
        for problem in outcome.problems[:PROBLEMS_IN_MESSAGES]:
            messages.error(request, _problem_text(problem))
    return redirect("operations:upload_detail", pk=pk)


PROBLEMS_IN_MESSAGES = 20


def _problem_text(problem: Problem) -> str:
    where = (
        _("row %(row)s") % {"row": problem.row} if problem.row else _("the whole file")
    )
    if problem.column:
        where = _("%(where)s column %(column)s") % {
            "where": where,
            "column": problem.column,
        }
    return _("%(where)s: %(message)s") % {"where": where, "message": problem.message}


@login_required
@require_POST
def upload_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _get_own_upload(request, pk)
    try:
        services.operating_data_discard(upload=upload)
    except services.UploadStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "This upload was discarded and nothing was changed; the original file"
                " is kept for reference."
            ),
        )
    return redirect("operations:index")


@login_required
@require_GET
def upload_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The original file as uploaded, served through this scoped view (never the web root)."""
    upload = _get_upload_for_user(request, pk)
    try:
        stream = services.stored_file(upload)
    except FileNotFoundError:
        return missing_file(request)
    return FileResponse(stream, as_attachment=True, filename=upload.original_name)


@login_required
@require_GET
def workbook(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The template workbook for ``year``: the organisation's stored values (exported
    through the resource) and a blank row for every other metric it may enter."""
    organisation = _get_organisation_for_user(request, code)
    catalogue = selectors.metrics_for(organisation=organisation)
    stored = (
        OperatingValue.objects.filter(organisation=organisation, year=year)
        .select_related("organisation", "metric")
        .order_by("month", "metric__is_custom", "metric__position")
    )
    exported = OperatingValueResource().export(queryset=stored)
    rows: list[list[object]] = [list(r) for r in exported]
    annual = {v.metric_id for v in stored if v.month is None}
    blanks = [
        [organisation.name, m.name, str(year), None, m.unit, ""]
        for m in catalogue
        if m.is_entered and m.pk not in annual
    ]
    content = template_workbook(
        rows=[*rows, *blanks],
        catalogue=[entry_of(selectors.spec_of(m)) for m in catalogue],
        limits=services.upload_limits(),
    )
    response = HttpResponse(content, content_type=XLSX)
    name = f"{_('Operating data')}-{organisation.name}-{year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --------------------------------------------------------------------------- figures


@login_required
@require_GET
def year_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = _get_organisation_for_user(request, code)
    table = selectors.year_table(organisation=organisation, year=year)
    months = sorted({m for row in table for m in row.months})
    return render(
        request,
        "operations/year.html",
        {
            "organisation": organisation,
            "year": year,
            "rows": [(row, [row.months.get(m) for m in months]) for row in table],
            "months": months,
            "history": selectors.value_history(organisation=organisation, year=year)[
                :300
            ],
            "cost": selectors.cost_table(organisation=organisation, year=year),
            # counts read back from published rates, and what is computed from them
            "reconstructed": selectors.reconstructed_metrics(
                organisation=organisation, years=[year]
            ).get(year, set()),
            "years": selectors.years_with_data(organisation=organisation),
            "can_upload": _can_upload_for(request, organisation),
            # reported figures against raw records, when the records app provides it
            "verification": verification.year_verification(
                organisation=organisation, year=year
            ),
        },
    )


@login_required
def metric_list(request: HttpRequest) -> HttpResponse:
    organisation = operating_data_unit(request.user)
    form = None
    if organisation is not None:
        form = CustomMetricForm(request.POST or None, organisation=organisation)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                metric = services.metric_create_custom(
                    organisation=organisation,
                    name=data["name"],
                    unit=data["unit"],
                    kind=data["kind"],
                    aggregation=data["aggregation"],
                    description=data["description"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _(
                        "Custom metric “%(name)s” added: it can be entered in the"
                        " template."
                    )
                    % {"name": metric.name},
                )
                return redirect("operations:metrics")
    elif request.method == "POST":
        raise PermissionDenied(
            _(
                "Only users of a hotline centre (implementing unit) may add their own"
                " unit's custom metrics"
            )
        )
    catalogue = selectors.metrics_for(organisation=organisation)
    library = selectors.library_names()
    return render(
        request,
        "operations/metrics.html",
        {
            "catalogue": [
                (m, [library.get(c, c) for c in m.library_codes]) for m in catalogue
            ],
            "form": form,
            "open": request.method == "POST",
        },
    )
