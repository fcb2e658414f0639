"""Records pages: import (the centre's own users), the reconciliation of a year (whoever
may see the organisation; anyone else a 404), the xlsx verification sheet, and the
centre's column mapping.

Who may do what (``accounts.scoping``): reading follows ``organisations_for``; importing
and the column mapping belong to the users of the hotline centre itself
(``operations.scoping.operating_data_unit``, as for operating data); others get a 403.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scoping import organisations_for
from budgets.models import Organisation
from core.pagination import paginate
from operations.scoping import operating_data_unit
from records import selectors, services
from records.columns import FIELDS, RecordKind
from records.forms import ColumnMappingForm, RecordsUploadForm, limits
from records.workbooks import verification_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_unit(request: HttpRequest) -> Organisation:
    organisation = operating_data_unit(request.user)
    if organisation is None:
        raise PermissionDenied(
            _("Only users of a hotline centre may import their own unit's records")
        )
    return organisation


def _get_organisation_for_user(request: HttpRequest, code: str) -> Organisation:
    organisation: Organisation = get_object_or_404(
        organisations_for(request.user), code=code
    )
    return organisation


def _kind(value: str) -> RecordKind:
    try:
        return RecordKind(value)
    except ValueError:
        raise Http404 from None


def _local_copy(file: UploadedFile[bytes], folder: Path) -> Path:
    target = folder / "upload"
    with target.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    return target


@login_required
def index(request: HttpRequest) -> HttpResponse:
    own = operating_data_unit(request.user)
    if request.method == "POST" and own is None:
        _own_unit(request)
    posted = request.method == "POST"
    form = RecordsUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    refused: services.RecordsRefused | None = None
    file_name = ""
    if request.method == "POST" and own is not None and form.is_valid():
        data = form.cleaned_data
        file = data["file"]
        file_name = file.name or ""
        kind = RecordKind(data["kind"])
        with tempfile.TemporaryDirectory(prefix="records_upload_") as work:
            try:
                record_import = services.records_import(
                    organisation=own,
                    kind=kind,
                    path=_local_copy(file, Path(work)),
                    original_name=file_name,
                    year=data["year"],
                    imported_by=request.user,  # type: ignore[arg-type]
                    source="网页上传",
                    limits=limits(),
                )
            except services.RecordsRefused as error:
                refused = error
            else:
                messages.success(
                    request,
                    _(
                        "Imported %(rows)s %(kind)s records of %(months)s; the"
                        " reconciliation below uses them."
                    )
                    % {
                        "rows": f"{record_import.rows:,}",
                        "kind": kind.label,
                        "months": "、".join(f"{m}月" for m in record_import.months),
                    },
                )
                return redirect("records:year", code=own.code, year=record_import.year)
    organisations = organisations_for(request.user)
    imports = paginate(
        request,
        selectors.imports_in(organisations=organisations),
        25,
    )
    return render(
        request,
        "records/index.html",
        {
            "own": own,
            "form": form,
            "refused": refused,
            "file_name": file_name,
            "page": imports,
            "params": "",
            "years": selectors.years_of(organisations=organisations),
            "limits": limits(),
            "kinds": [(k, FIELDS[k]) for k in RecordKind],
        },
    )


@login_required
@require_GET
def year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = _get_organisation_for_user(request, code)
    verification = selectors.year_verification(organisation, year)
    return render(
        request,
        "records/year.html",
        {
            "organisation": organisation,
            "year": year,
            "verification": verification,
            "can_import": operating_data_unit(request.user) == organisation,
        },
    )


@login_required
@require_GET
def workbook(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = _get_organisation_for_user(request, code)
    verification = selectors.year_verification(organisation, year)
    content = verification_workbook(
        organisation=organisation,
        year=year,
        lines=verification.lines if verification else (),
    )
    response = HttpResponse(content, content_type=XLSX)
    name = f"{_('Data verification')}-{organisation.name}-{year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


EXAMPLES = {
    RecordKind.CALLS: {
        "call_id": "202003010001",
        "trunk": "中继01",
        "arrived_at": "2020-03-01 08:00:05",
        "answered_at": "2020-03-01 08:00:12",
        "ended_at": "2020-03-01 08:03:40",
        "seat": "S0001",
        "queue": "综合",
        "abandoned": "0",
        "transferred": "0",
    },
    RecordKind.ORDERS: {
        "order_id": "202003010001",
        "accepted_at": "2020-03-01 08:03:40",
        "type": "派单",
        "channel": "电话",
        "business_environment": "0",
        "department": "市交通运输委",
        "deadline": "2020-03-06 08:03:40",
        "closed_at": "2020-03-04 16:20:00",
        "resolved_directly": "0",
        "callback_at": "2020-03-05 10:00:00",
        "callback_result": "满意",
        "returned": "0",
        "liable_complaint": "0",
    },
}


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    """The column contract as a CSV (UTF-8 with BOM, as Excel opens it): the header and
    one example row, the centre's own name in 热线中心."""
    record_kind = _kind(kind)
    own = operating_data_unit(request.user)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.header for f in FIELDS[record_kind]])
    example = {
        **EXAMPLES[record_kind],
        "centre": own.name if own else "天津市便民专线服务中心",
    }
    writer.writerow([example.get(f.key, "") for f in FIELDS[record_kind]])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv"
    )
    name = f"{record_kind.label}-{_('template')}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def mapping(request: HttpRequest, kind: str) -> HttpResponse:
    record_kind = _kind(kind)
    organisation = _own_unit(request)
    saved = selectors.column_mapping(organisation=organisation, kind=record_kind)
    posted = request.POST if request.method == "POST" else None
    form = ColumnMappingForm(posted, kind=record_kind, saved=saved)
    if request.method == "POST" and form.is_valid():
        services.column_mapping_save(
            organisation=organisation,
            kind=record_kind,
            columns={k: v for k, v in form.cleaned_data.items() if k in form.fields},
            updated_by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _(
                "Column names of call records saved: files are read with them from now on."
            )
            if record_kind is RecordKind.CALLS
            else _(
                "Column names of work orders saved: files are read with them from now on."
            ),
        )
        return redirect("records:mapping", kind=record_kind.value)
    return render(
        request,
        "records/mapping.html",
        {"form": form, "kind": record_kind, "organisation": organisation},
    )
