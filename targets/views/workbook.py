"""The target form as the official xlsx: export (the same grid as the PDF, written by
``targets.workbooks``) and import into a draft or returned form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.target_forms import target_form_document
from targets.services import target_form_replace_indicators
from targets.views.access import get_form_for_user, get_form_to_prepare
from targets.workbooks import grid_workbook_bytes
from targets.workbooks_io import WorkbookError, read_indicators

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def form_export(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_for_user(request, code)
    document = target_form_document(code=form.code)
    content = grid_workbook_bytes(
        document.context["grid"],  # type: ignore[arg-type]
        running_header=str(document.context["running_header"]),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form.code}.xlsx"'
    return response


@login_required
@require_POST
def form_import(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an xlsx file to import."))
        return redirect("targets:detail", code=form.code)
    try:
        roots = read_indicators(upload.read())
        count = target_form_replace_indicators(form=form, roots=roots)
    except WorkbookError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(count)s indicators were imported.") % {"count": count}
        )
    return redirect("targets:detail", code=form.code)
