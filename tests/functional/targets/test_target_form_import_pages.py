"""Importing the official xlsx on the target form page: the header block comes back with
the indicators, all or nothing, into the same form only, and every change is in the
form's history."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import Role
from targets.models import TargetForm, TargetFormStatus, TargetIndicator
from targets.services import (
    CommentData,
    target_form_return,
    target_form_submit,
    target_indicator_record_actual,
)

pytestmark = pytest.mark.django_db

SEED_FORMS = ("tianjin-2020", "shanghai-2019", "suzhou-2023", "panjin-2023")
LEVEL3_COUNTS = {
    "tianjin-2020": 19,
    "shanghai-2019": 7,
    "suzhou-2023": 45,
    "panjin-2023": 6,
}
NEW_GOAL = "1. 保障 1030 名合同员工薪酬支出。\n2. 全年培训 9000 人次。"


def preparer(login: Callable[..., Client], code: str) -> Client:
    """A member of the unit that prepares form ``code``."""
    form = TargetForm.objects.select_related("project__unit", "organisation").get(
        code=code
    )
    owner = form.project.unit if form.project else form.organisation
    assert owner is not None
    return login(owner.code, Role.UNIT, f"{code}-preparer")


def export(client: Client, code: str) -> bytes:
    response = client.get(f"/targets/{code}/export.xlsx")
    assert response.status_code == 200
    return response.content


def first_sheet(content: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def saved(sheet: Worksheet) -> bytes:
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def insert_row(sheet: Worksheet, before: int) -> None:
    """An empty row before row ``before``, as Excel inserts one: merged ranges move with
    their cells (openpyxl's ``insert_rows`` leaves them behind)."""
    ranges = [
        (r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges
    ]
    for min_row, min_col, max_row, max_col in ranges:
        sheet.unmerge_cells(
            start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col
        )
    sheet.insert_rows(before)
    for min_row, min_col, max_row, max_col in ranges:
        shift_top = 1 if min_row >= before else 0
        shift_bottom = 1 if max_row >= before else 0
        sheet.merge_cells(
            start_row=min_row + shift_top,
            start_column=min_col,
            end_row=max_row + shift_bottom,
            end_column=max_col,
        )


def post_import(
    client: Client, code: str, content: bytes, *, prefix: str = "/en"
) -> list[str]:
    """The messages the import leaves (in English under ``/en``, so that they do not
    depend on the translation catalogue; the workbook's own messages are Chinese)."""
    upload = io.BytesIO(content)
    upload.name = f"{code}.xlsx"
    response = client.post(f"{prefix}/targets/{code}/import/", {"file": upload})
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_fields(code: str) -> dict[str, object]:
    form = TargetForm.objects.get(code=code)
    return {
        f.attname: getattr(form, f.attname) for f in TargetForm._meta.concrete_fields
    }


def indicator_tree(code: str) -> list[tuple[object, ...]]:
    """Every indicator in order, under its ancestors' names, with the values the workbook
    carries (not ``source_text`` or actuals: the workbook does not hold them)."""
    indicators = list(
        TargetIndicator.objects.filter(form__code=code).order_by("position", "id")
    )
    by_id = {i.pk: i for i in indicators}

    def path(indicator: TargetIndicator) -> tuple[str, ...]:
        parent = by_id.get(indicator.parent_id) if indicator.parent_id else None
        return (*path(parent), parent.name) if parent else ()

    return [
        (
            path(i),
            i.level,
            i.name,
            i.value_text,
            i.value_comparator,
            i.value_number,
            i.value_unit,
            i.half_year_text,
            i.half_year_comparator,
            i.half_year_number,
            i.half_year_unit,
            i.library_indicator_id,
        )
        for i in indicators
    ]


def history_counts(code: str) -> tuple[int, int]:
    form = TargetForm.objects.get(code=code)
    return (
        TargetForm.history.filter(id=form.pk).count(),
        TargetIndicator.history.filter(form_id=form.pk).count(),
    )


@pytest.mark.parametrize("code", SEED_FORMS)
def test_an_exported_workbook_imports_back_with_nothing_changed(
    login: Callable[..., Client], code: str
) -> None:
    client = preparer(login, code)
    fields, tree = form_fields(code), indicator_tree(code)
    records = history_counts(code)

    shown = post_import(client, code, export(client, code))

    assert shown == [
        f"{LEVEL3_COUNTS[code]} indicators were imported; the header is unchanged."
    ]
    assert form_fields(code) == fields
    assert indicator_tree(code) == tree
    # no empty change to the form, and its indicators are the same rows, untouched
    assert history_counts(code) == records


def test_edited_header_cells_change_those_fields_and_nothing_else(
    login: Callable[..., Client],
) -> None:
    code = "tianjin-2020"
    client = login("tj-8890", Role.UNIT, "tj-centre")
    sheet = first_sheet(export(client, code))
    assert (sheet["A5"].value, sheet["C5"].value) == ("项目资金（万元）", 10000)
    assert (
        sheet["A7"].value == "绩效目标"
    )  # the overall goal: the form has no annual one
    sheet["C5"] = 11100
    sheet["C7"] = NEW_GOAL
    insert_row(sheet, 1)  # above the title
    insert_row(sheet, 6)  # between 主管预算部门 and 项目资金
    assert (sheet["A7"].value, sheet["C7"].value) == ("项目资金（万元）", 11100)
    fields, tree = form_fields(code), indicator_tree(code)

    shown = post_import(client, code, saved(sheet))

    assert shown == [
        "19 indicators were imported; header updated: "
        "项目资金 10000.00 → 11100.00 万元; 绩效目标 (text changed)."
    ]
    assert form_fields(code) == {
        **fields,
        "funds_total": Decimal("11100.00"),
        "overall_goal": NEW_GOAL,
    }
    assert indicator_tree(code) == tree
    form = TargetForm.objects.get(code=code)
    records = TargetForm.history.filter(id=form.pk).order_by("history_id")
    assert [
        (
            r.funds_total,
            r.overall_goal == NEW_GOAL,
            getattr(r.history_user, "username", None),
        )
        for r in records
    ] == [
        (Decimal("10000.00"), False, None),  # loaded from the seed
        (Decimal("11100.00"), True, "tj-centre"),
    ]
    html = client.get(f"/targets/{code}/history/").content.decode()
    assert (
        '<td>项目资金</td><td class="before">10000.00</td>'
        '<td class="after">11100.00</td>' in html
    )
    assert '<td>总体目标</td><td class="before">1. 保障 1030 名' in html


def test_department_header_texts_come_back_and_its_budget_block_is_not_read(
    login: Callable[..., Client],
) -> None:
    code = "suzhou-2023"
    client = preparer(login, code)
    sheet = first_sheet(export(client, code))
    assert (sheet["A4"].value, sheet["C7"].value, sheet["F7"].value) == (
        "单位主要职能",
        "资金总额",
        2298.67,
    )
    sheet["C4"] = "(一) 负责全市便民服务热线的运行管理。"
    sheet["F7"] = 9999  # 部门整体资金 belongs to the department budget
    fields = form_fields(code)

    shown = post_import(client, code, saved(sheet))

    assert shown == [
        "45 indicators were imported; header updated: 单位主要职能 (text changed)."
    ]
    assert form_fields(code) == {
        **fields,
        "main_functions": "(一) 负责全市便民服务热线的运行管理。",
    }
    html = client.get(f"/targets/{code}/history/").content.decode()
    assert '<td>单位主要职能</td><td class="before">(一) 负责拟订' in html


def test_application_form_takes_the_unit_of_its_budget_label(
    login: Callable[..., Client],
) -> None:
    code = "shanghai-2019"
    client = preparer(login, code)
    sheet = first_sheet(export(client, code))
    assert (sheet["C13"].value, sheet["D13"].value) == ("项目当年预算（元）", 133340000)
    sheet["C13"] = "项目当年预算（万元）"
    sheet["D13"] = "13,334.00"
    fields = form_fields(code)

    shown = post_import(client, code, saved(sheet))

    assert shown == [
        "7 indicators were imported; header updated: 项目当年预算 unit 元 → 万元; "
        "项目当年预算 133340000.00 → 13334.00 万元."
    ]
    assert form_fields(code) == {
        **fields,
        "funds_unit": "万元",
        "funds_total": Decimal("13334.00"),
    }


def _unchanged(code: str) -> Callable[[], None]:
    """A check that form ``code``, its indicators and its history are as they are now."""
    fields, tree, counts = form_fields(code), indicator_tree(code), history_counts(code)

    def check() -> None:
        assert form_fields(code) == fields
        assert indicator_tree(code) == tree
        assert history_counts(code) == counts

    return check


@pytest.mark.parametrize(
    ("source", "year", "message"),
    [
        (
            "shanghai-2019",
            None,
            "所选文件不是这张绩效目标表：文件是财政支出项目绩效目标申报表，"
            "本表是项目支出绩效目标表；文件是 2019 年度的，本表是 2020 年度的。"
            "请选择正确的文件。",
        ),
        (
            "panjin-2023",
            "（2020年度）",
            "所选文件不是这张绩效目标表：C3：项目名称是“12345热线平台运营及人员外包”，"
            "本表是“天津市便民专线服务中心运行经费”。请选择正确的文件。",
        ),
        (
            "tianjin-2020",
            "（2021年度）",
            "所选文件不是这张绩效目标表：文件是 2021 年度的，本表是 2020 年度的。"
            "请选择正确的文件。",
        ),
        (
            "suzhou-2023",
            None,
            "所选文件不是这张绩效目标表：文件是部门整体预算绩效目标表，"
            "本表是项目支出绩效目标表；文件是 2023 年度的，本表是 2020 年度的。"
            "请选择正确的文件。",
        ),
    ],
)
def test_the_workbook_of_another_form_or_year_is_refused_and_changes_nothing(
    login: Callable[..., Client], source: str, year: str | None, message: str
) -> None:
    sheet = first_sheet(export(preparer(login, source), source))
    if year is not None:
        sheet["A2"] = year
    client = login("tj-8890", Role.UNIT, "tj-centre")
    unchanged = _unchanged("tianjin-2020")

    assert post_import(client, "tianjin-2020", saved(sheet)) == [message]
    unchanged()


def test_an_unreadable_amount_names_its_cell_and_changes_nothing(
    login: Callable[..., Client],
) -> None:
    client = login("tj-8890", Role.UNIT, "tj-centre")
    sheet = first_sheet(export(client, "tianjin-2020"))
    sheet["C7"] = NEW_GOAL
    sheet["C5"] = "十万"
    unchanged = _unchanged("tianjin-2020")

    shown = post_import(client, "tianjin-2020", saved(sheet))

    assert shown == ["C5：项目资金“十万”无法识别为金额。"]
    unchanged()


def test_a_header_change_is_not_kept_when_the_indicators_fail(
    login: Callable[..., Client],
) -> None:
    client = login("tj-8890", Role.UNIT, "tj-centre")
    sheet = first_sheet(export(client, "tianjin-2020"))
    sheet["C5"] = 11100
    sheet["C9"] = None  # 数量指标: its five 三级 would sit right under 产出指标
    unchanged = _unchanged("tianjin-2020")

    shown = post_import(client, "tianjin-2020", saved(sheet), prefix="")

    assert shown == ["该层级的指标不能放在“一级指标”之下。"]
    unchanged()


def test_an_approved_form_refuses_the_import(login: Callable[..., Client]) -> None:
    client = login("tj-8890", Role.UNIT, "tj-centre")
    sheet = first_sheet(export(client, "tianjin-2020"))
    sheet["C5"] = 11100
    TargetForm.objects.filter(code="tianjin-2020").update(
        status=TargetFormStatus.APPROVED
    )
    unchanged = _unchanged("tianjin-2020")

    shown = post_import(client, "tianjin-2020", saved(sheet), prefix="")

    assert shown == ["本表状态为“已批复”，不能修改；批复后如需修改请申请目标调整。"]
    unchanged()


def test_a_corrected_workbook_keeps_the_review_comments_and_the_actuals(
    login: Callable[..., Client],
) -> None:
    """Returned with a comment on 全年受理(咨询)量, the centre fixes the value in the
    workbook and imports it: the indicator is the same one, so the comment stays on it, and
    so do the actuals and the OCR source text of the others."""
    code = "tianjin-2020"
    form = TargetForm.objects.get(code=code)
    centre_user = User.objects.create_user("tj-centre-importer")
    finance_user = User.objects.create_user("tj-finance-reviewer")
    volume = form.indicators.get(name="全年受理(咨询)量")
    seats = form.indicators.get(name="设置坐席数")
    target_form_submit(form=form, user=centre_user)
    target_form_return(
        form=form,
        user=finance_user,
        comments=[CommentData("低于2019年实际751.92万件，请调高。", volume)],
    )
    target_indicator_record_actual(indicator=seats, half_year_actual="", actual="560个")
    client = login("tj-8890", Role.UNIT, "tj-centre")
    sheet = first_sheet(export(client, code))
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "750 万件")
    cell.value = "≥760 万件"
    ids = sorted(form.indicators.values_list("pk", flat=True))
    records = history_counts(code)[1]

    assert post_import(client, code, saved(sheet)) == [
        "19 indicators were imported; the header is unchanged."
    ]

    volume.refresh_from_db()
    seats.refresh_from_db()
    assert volume.value_text == "≥760 万件" and volume.value_number == Decimal("760")
    assert sorted(form.indicators.values_list("pk", flat=True)) == ids
    assert [(c.indicator_id, c.text) for c in form.review_comments.all()] == [
        (volume.pk, "低于2019年实际751.92万件，请调高。")
    ]
    assert (seats.actual_text, seats.source_text != "") == ("560个", True)
    assert history_counts(code)[1] == records + 1  # one indicator changed
