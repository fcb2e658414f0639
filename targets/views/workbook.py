"""The target form as the official xlsx: export (the same grid as the PDF, written by
``targets.workbooks``) and import into a draft or returned form (its header fields and its
indicators, read by ``targets.workbooks_io``)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from kernel.spreadsheets import FileRefused, check_size
from targets.exports import official_workbook
from targets.services import FormImport, HeaderChange, target_form_import
from targets.views.access import get_form_for_user, get_form_to_prepare
from targets.workbooks_io import MAX_BYTES, WorkbookError, read_target_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def form_export(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_for_user(request, code)
    response = HttpResponse(official_workbook(form.code), content_type=XLSX)
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
        check_size(upload.size or 0, MAX_BYTES)  # before the upload is read
        workbook = read_target_form(upload.read())
        result = target_form_import(
            form=form, header=workbook.header, roots=workbook.indicators
        )
    except FileRefused as exc:
        messages.error(request, f"{exc}。")
    except WorkbookError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _import_message(result, unit=form.funds_unit))
    return redirect("targets:detail", code=form.code)


def _import_message(result: FormImport, *, unit: str) -> str:
    """What the import did: how many indicators, and each header field it changed."""
    count = {"count": result.indicators}
    if not result.header_read:
        return _("%(count)s indicators were imported.") % count
    if not result.changes:
        return _("%(count)s indicators were imported; the header is unchanged.") % count
    changes = pgettext("list separator", "; ").join(
        _change_text(change, unit=unit) for change in result.changes
    )
    return _("%(count)s indicators were imported; header updated: %(changes)s.") % {
        **count,
        "changes": changes,
    }


def _change_text(change: HeaderChange, *, unit: str) -> str:
    if change.field == "funds_unit":
        return _("%(label)s unit %(before)s → %(after)s") % {
            "label": change.label,
            "before": change.before,
            "after": change.after,
        }
    if isinstance(change.before, Decimal) or isinstance(change.after, Decimal):
        return (
            f"{change.label} {_amount(change.before)} → {_amount(change.after)} {unit}"
        )
    return _("%(label)s (text changed)") % {"label": change.label}


def _amount(value: Decimal | str | None) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}"
