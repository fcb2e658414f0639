"""Writes, each through the same form and service as its page — the same validation,
the same history, the same workflow rules — so the API can do nothing a page refuses:

- operating values: the rows of the upload template, checked and imported all or
  nothing by ``operations.services.operating_data_import`` (the upload's own path);
- budget figures: ``budgets.forms.BudgetYearForm`` (who may set which figure, the
  reduction within the budget) and ``budgets.services.budget_year_update`` (history,
  the version the client read: a save in between is a 409 naming it);
- target form drafts: ``targets.forms.IndicatorAddForm``/``IndicatorEditForm`` and
  ``targets.services``; a submitted or approved form refuses every change (403), as
  its page does.

A refused write answers with each field's message (``api.errors``) and writes nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import ModelChoiceField
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import organisations_for
from api.errors import error_response, field_errors, invalid
from api.serializers import (
    BudgetYearInput,
    BudgetYearSerializer,
    ErrorSerializer,
    IndicatorAddInput,
    IndicatorUpdateInput,
    OperatingValueBatchInput,
    OperatingValueBatchResult,
    TargetFormCreateInput,
    TargetFormSerializer,
)
from api.views.base import ApiView
from api.views.reads import (
    TargetFormList,
    budget_year_response,
    scoped_budget_year,
    scoped_target_form,
    target_form_data,
)
from budgets.forms import BudgetYearForm
from budgets.scoping import budget_figures_editable
from budgets.services import LINE_FIGURES, YEAR_FIGURES, LineFigures, budget_year_update
from core.concurrency import EditConflict, allocate
from operations.layout import COLUMNS
from operations.scoping import can_upload_operating_data
from operations.services import operating_data_import
from targets.forms import IndicatorAddForm, IndicatorEditForm, TargetFormCreateForm
from targets.library_links import library_link_after_rename, library_match
from targets.models import TargetForm, TargetIndicator
from targets.scoping import can_prepare_target_form, projects_to_prepare
from targets.services import (
    next_form_code,
    target_form_create,
    target_indicator_add,
    target_indicator_remove,
    target_indicator_update,
)

# The title a new form prints, by layout (the new-form page's).
FORM_TITLES = {
    "project": "项目支出绩效目标表",
    "application": "财政支出项目绩效目标申报表",
}

API_SOURCE = "API"
"""How an upload made through the API names its source (beside 命令行, 种子数据)."""

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误，未写入任何数据"),
    403: OpenApiResponse(ErrorSerializer, description="无权修改，或已提交/已批准"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不可见"),
    409: OpenApiResponse(ErrorSerializer, description="他人已先保存（version 已变）"),
}


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _body(request: Request, serializer_class: type[Any]) -> Any:
    found = serializer_class(data=request.data)
    if not found.is_valid():
        return invalid(list(field_errors(found.errors)))
    return found.validated_data


# --------------------------------------------------------------------------- operating data

# The template's columns as the file the API writes lays them out (A, B, C …), and the
# field of a batch row each one comes from.
_FIELDS = dict(
    zip(
        "ABCDEF",
        ("organisation", "metric", "period", "value", "unit", "note"),
        strict=True,
    )
)


def _template_rows(organisation_name: str, values: list[dict[str, str]]) -> bytes:
    """The batch as the upload template (a CSV: its cells are read as typed, never as
    formulas), row i of the batch on spreadsheet row i + 2."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in values:
        writer.writerow(
            [
                organisation_name,
                row["metric"],
                row["period"],
                row["value"],
                row.get("unit", ""),
                row.get("note", ""),
            ]
        )
    return out.getvalue().encode("utf-8")


class OperatingValueBatch(ApiView):
    serializer_class = OperatingValueBatchInput

    @extend_schema(
        request=OperatingValueBatchInput,
        responses={201: OperatingValueBatchResult, **REFUSED},
        summary="写入运行数据（一批，全部或全不；与上传相同的检查与历史）",
    )
    def post(self, request: Request) -> Response:
        body = _body(request, OperatingValueBatchInput)
        if isinstance(body, Response):
            return body
        organisation = get_object_or_404(
            organisations_for(request.user), code=body["organisation"]
        )
        if not can_upload_operating_data(request.user, organisation):
            raise PermissionDenied(
                _("Only the hotline centre itself reports its operating data.")
            )
        outcome = operating_data_import(
            organisation=organisation,
            name="api.csv",
            content=_template_rows(organisation.name, body["values"]),
            uploaded_by=_user(request),
            source=API_SOURCE,
        )
        if not outcome.committed or outcome.upload is None:
            return invalid(
                [
                    {
                        "field": (
                            f"values[{problem.row - 2}]"
                            + (
                                f".{_FIELDS[problem.column]}"
                                if problem.column in _FIELDS
                                else ""
                            )
                            if problem.row >= 2
                            else "values"
                        ),
                        "message": problem.message,
                    }
                    for problem in outcome.problems
                ]
                + [{"field": "values", "message": c} for c in outcome.conflicts]
            )
        return Response(
            {
                "organisation": organisation.code,
                "upload": outcome.upload.pk,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": len(outcome.unchanged),
                "years": list(outcome.years),
            },
            status=status.HTTP_201_CREATED,
        )


# --------------------------------------------------------------------------- budget years


def _line_field(name: str, lines: dict[int, int]) -> str:
    """A ``BudgetYearForm`` field as the API names it: ``line_7_budget`` →
    ``lines[0].budget``."""
    if name.startswith("line_"):
        _prefix, pk, figure = name.split("_", 2)
        return f"lines[{lines[int(pk)]}].{figure}"
    return "" if name == "__all__" else name


class BudgetYearDetail(ApiView):
    serializer_class = BudgetYearSerializer

    @extend_schema(summary="一个项目预算年度：各数、各经济分类行、派生的合计与执行率")
    def get(self, request: Request, project_code: str, year: int) -> Response:
        return budget_year_response(
            request, scoped_budget_year(request, project_code, year)
        )

    @extend_schema(
        request=BudgetYearInput,
        responses={200: BudgetYearSerializer, **REFUSED},
        summary="改预算执行数（到位、支出）或预算数；未给出的数保持不变",
    )
    def patch(self, request: Request, project_code: str, year: int) -> Response:
        budget_year = scoped_budget_year(request, project_code, year)
        editable = budget_figures_editable(request.user, budget_year)
        if not editable:
            raise PermissionDenied(_("You may not change this budget year's figures."))
        body = _body(request, BudgetYearInput)
        if isinstance(body, Response):
            return body
        lines = list(budget_year.lines.all())
        by_pk = {line.pk: line for line in lines}
        data: dict[str, str] = {"version": str(body["version"])}
        for name in YEAR_FIGURES:
            if name in body:
                data[name] = "" if body[name] is None else str(body[name])
        given: dict[int, int] = {}
        for index, item in enumerate(body.get("lines", [])):
            if item["id"] not in by_pk or item["id"] in given:
                return invalid(
                    [
                        {
                            "field": f"lines[{index}].id",
                            "message": _("The line belongs to another budget year."),
                        }
                    ]
                )
            given[item["id"]] = index
            for name in LINE_FIGURES:
                if name in item:
                    value = item[name]
                    data[f"line_{item['id']}_{name}"] = (
                        "" if value is None else str(value)
                    )
        form = BudgetYearForm(
            data, budget_year=budget_year, lines=lines, editable=editable
        )
        valid = form.is_valid()
        errors = [
            {"field": _line_field(name, given), "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        if form.refused:
            return error_response(
                errors[0]["message"] if errors else _("Refused."),
                code="permission_denied",
                errors=errors,
                status_code=status.HTTP_403_FORBIDDEN,
            )
        if not valid:
            return invalid(errors)
        cleaned = form.editable_data()
        try:
            budget_year_update(
                budget_year=budget_year,
                figures={n: cleaned[n] for n in YEAR_FIGURES if n in cleaned},
                lines=[
                    LineFigures(
                        line=by_pk[pk],
                        figures={
                            n: cleaned[f"line_{pk}_{n}"]
                            for n in LINE_FIGURES
                            if f"line_{pk}_{n}" in cleaned
                        },
                    )
                    for pk in given
                ],
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            return error_response(
                " ".join(conflict.messages),
                code="conflict",
                errors=[{"field": "version", "message": " ".join(conflict.messages)}],
                status_code=status.HTTP_409_CONFLICT,
            )
        return budget_year_response(
            request, scoped_budget_year(request, project_code, year)
        )


# --------------------------------------------------------------------------- target forms


def _form_to_prepare(request: Request, code: str) -> TargetForm:
    """The form ``code`` if the user prepares it and it is still a draft (or returned):
    404 if they may not see it, 403 otherwise — as the form's page answers."""
    form = scoped_target_form(request, code)
    if not can_prepare_target_form(request.user, form):
        raise PermissionDenied(
            _("You may not change this form: only the unit preparing it can.")
        )
    if not form.is_editable:
        raise PermissionDenied(
            _("This form is %(status)s and can no longer be edited.")
            % {"status": form.get_status_display()}
        )
    return form


def _form_data(body: dict[str, Any]) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in body.items()}


def _form_errors(form: Any) -> list[dict[str, str]]:
    return [
        {"field": "" if name == "__all__" else name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


class TargetFormCreate(ApiView):
    serializer_class = TargetFormCreateInput

    @extend_schema(
        request=TargetFormCreateInput,
        responses={201: TargetFormSerializer, **REFUSED},
        summary="为本单位的项目新建一张草稿目标表",
    )
    def post(self, request: Request) -> Response:
        projects = projects_to_prepare(request.user)
        if not projects.exists():
            raise PermissionDenied(
                _("You may not change this form: only the unit preparing it can.")
            )
        body = _body(request, TargetFormCreateInput)
        if isinstance(body, Response):
            return body
        fields = TargetFormCreateForm(data={}, projects=projects)
        chosen = fields.fields["project"]
        assert isinstance(chosen, ModelChoiceField)
        project = projects.filter(code=body["project"]).first()
        data = _form_data(body)
        if chosen.to_field_name != "code":
            data["project"] = "" if project is None else str(project.pk)
        if not body["has_half_year"]:
            data.pop("has_half_year")  # an unticked checkbox
        fields = TargetFormCreateForm(data, projects=projects)
        if not fields.is_valid():
            return invalid(_form_errors(fields))
        cleaned = fields.cleaned_data
        created = allocate(
            lambda attempt: target_form_create(
                code=next_form_code(cleaned["project"].code, cleaned["year"]),
                layout=cleaned["layout"],
                year=cleaned["year"],
                project=cleaned["project"],
                title=str(FORM_TITLES[cleaned["layout"]]),
                has_half_year=cleaned["has_half_year"],
                funds_total=cleaned["funds_total"],
                funds_fiscal=cleaned["funds_fiscal"],
                overall_goal=cleaned["overall_goal"],
            ),
            field="code",
        )
        return Response(target_form_data(request, created.code), status=201)


class TargetIndicatorAdd(ApiView):
    serializer_class = IndicatorAddInput

    @extend_schema(
        request=IndicatorAddInput,
        responses={201: TargetFormSerializer, **REFUSED},
        summary="在草稿目标表中添加指标",
    )
    def post(self, request: Request, code: str) -> Response:
        form = _form_to_prepare(request, code)
        body = _body(request, IndicatorAddInput)
        if isinstance(body, Response):
            return body
        fields = IndicatorAddForm(_form_data(body), target_form=form)
        if not fields.is_valid():
            return invalid(_form_errors(fields))
        data = fields.cleaned_data
        with transaction.atomic():
            target_indicator_add(
                form=form,
                level=data["level"],
                name=data["name"],
                parent=data["parent"],
                value=data["value"],
                half_year_value=data["half_year_value"],
                library_indicator=library_match(
                    data["library_indicator"],
                    data["level"],
                    data["name"],
                    data["parent"],
                ),
            )
        return Response(target_form_data(request, form.code), status=201)


class TargetIndicatorDetail(ApiView):
    serializer_class = IndicatorUpdateInput

    def _indicator(self, form: TargetForm, pk: int) -> TargetIndicator:
        indicator = get_object_or_404(TargetIndicator, form=form, pk=pk)
        indicator.form = form
        return indicator

    @extend_schema(
        request=IndicatorUpdateInput,
        responses={200: TargetFormSerializer, **REFUSED},
        summary="改草稿目标表中的一个指标（名称、指标值）",
    )
    def patch(self, request: Request, code: str, pk: int) -> Response:
        form = _form_to_prepare(request, code)
        indicator = self._indicator(form, pk)
        body = _body(request, IndicatorUpdateInput)
        if isinstance(body, Response):
            return body
        fields = IndicatorEditForm(
            _form_data(body), target_form=form, level=indicator.level
        )
        if not fields.is_valid():
            return invalid(_form_errors(fields))
        data = fields.cleaned_data
        relink = library_link_after_rename(
            indicator=indicator,
            name=data["name"],
            chosen=data["library_indicator"],
            level2=indicator.parent.name if indicator.parent is not None else "",
        )
        try:
            target_indicator_update(
                indicator=indicator,
                name=data["name"],
                value=data["value"],
                half_year_value=data["half_year_value"],
                library_indicator=library_match(
                    relink.library_indicator,
                    indicator.level,
                    data["name"],
                    indicator.parent,
                ),
                version=data["version"],
            )
        except EditConflict as conflict:
            return error_response(
                " ".join(conflict.messages),
                code="conflict",
                errors=[{"field": "version", "message": " ".join(conflict.messages)}],
                status_code=status.HTTP_409_CONFLICT,
            )
        return Response(target_form_data(request, form.code))

    @extend_schema(
        responses={204: None, **REFUSED}, summary="从草稿目标表中删除一个指标及其下级"
    )
    def delete(self, request: Request, code: str, pk: int) -> Response:
        form = _form_to_prepare(request, code)
        target_indicator_remove(indicator=self._indicator(form, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetForms(TargetFormList):
    """``target-forms/``: the list (GET) and a new draft (POST)."""

    post = TargetFormCreate.post
