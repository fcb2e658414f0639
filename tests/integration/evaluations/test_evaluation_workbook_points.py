"""清单 review points in the evaluation workbook (issue 13 item 10): the 评分表's 清单要点
column exports the points ticked (1、3、5) and an import ticks them through the same
service as the scoring page, listed in the preview; a bad cell is refused by row and
column and nothing changes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.models import Evaluation
from evaluations.resources import Change
from evaluations.selectors import evaluation_score
from evaluations.workbooks import read_workbook, scores_import, workbook_export
from tests.integration.evaluations.checklists import BAD_POINTS, tianjin_checklist

pytestmark = pytest.mark.django_db

D = Decimal
CODE = "tianjin-2020"


def _sheet(content: bytes) -> Worksheet:
    return load_workbook(io.BytesIO(content))["评分表"]


def _cell(sheet: Worksheet, name: str, header: str) -> object:
    (row,) = [c.row for c in sheet["C"] if c.value == name]
    column = [c.value for c in sheet[1]].index(header) + 1
    return sheet.cell(row, column)


def _with(sheet: Worksheet, name: str, value: object) -> bytes:
    _cell(sheet, name, "清单要点").value = value  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    assert sheet.parent is not None
    sheet.parent.save(buffer)
    return buffer.getvalue()


def test_the_points_ticked_are_exported_and_imported_back() -> None:
    indicator = tianjin_checklist([0, 1])
    evaluation = Evaluation.objects.get(code=CODE)
    sheet = _sheet(workbook_export(evaluation))
    assert _cell(sheet, "立项依据充分性", "清单要点").value == "1、2"  # type: ignore[attr-defined]
    assert _cell(sheet, "立项程序规范性", "清单要点").value is None  # type: ignore[attr-defined]

    parsed = read_workbook(_with(sheet, "立项依据充分性", "1、2、4、5"))
    preview = scores_import(evaluation=evaluation, parsed=parsed, dry_run=True)
    assert preview.errors == []
    assert preview.changes == [
        Change(
            4, "项目决策 / 项目立项 / 立项依据充分性", "清单要点", "1、2", "1、2、4、5"
        )
    ]
    # 1.20 → 2.40 (four points of 0.6): the blank 得分 takes the rule's score
    assert (preview.total_before, preview.total_after) == (D("90.57"), D("91.77"))
    indicator.refresh_from_db()
    assert indicator.satisfied_points == [0, 1]

    report = scores_import(evaluation=evaluation, parsed=parsed, dry_run=False)
    assert report.applied is True
    indicator.refresh_from_db()
    assert indicator.satisfied_points == [0, 1, 3, 4]
    assert evaluation_score(evaluation).result.total == D("91.77")


@pytest.mark.parametrize(("name", "value", "message"), BAD_POINTS)
def test_a_bad_points_cell_is_refused_by_row_and_column(
    name: str, value: str, message: str
) -> None:
    indicator = tianjin_checklist([0, 1])
    evaluation = Evaluation.objects.get(code=CODE)
    parsed = read_workbook(_with(_sheet(workbook_export(evaluation)), name, value))
    report = scores_import(evaluation=evaluation, parsed=parsed, dry_run=False)
    assert report.errors == [message]
    indicator.refresh_from_db()
    assert indicator.satisfied_points == [0, 1]
