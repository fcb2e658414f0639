"""The uploaded data give the evaluations' actual values exactly, so their scores can come
from it unchanged (the evaluations app maps its rows to these through the library)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.models import Evaluation
from operations.selectors import actual_values
from targets.selectors import library_index

pytestmark = pytest.mark.django_db
D = Decimal


def matched(
    code: str,
) -> dict[str, tuple[Decimal, Decimal, Decimal | None, Decimal | None]]:
    """Evaluation leaf → (its printed actual, the uploaded actual, numerators …)."""
    evaluation = Evaluation.objects.select_related("project__unit").get(code=code)
    assert evaluation.project is not None
    actual = actual_values(organisation=evaluation.project.unit, year=evaluation.year)
    index = library_index()
    found = {}
    for row in evaluation.indicators.filter(
        children__isnull=True, actual_number__isnull=False
    ):
        library = index.match(row.name)
        uploaded = actual.get(library.code) if library else None
        if uploaded is not None:
            found[row.name] = (
                row.actual_number,
                uploaded.value,
                row.actual_numerator,
                uploaded.numerator,
            )
    return found


def test_tianjin_evaluation_actuals_equal_the_uploaded_figures() -> None:
    rows = matched("tianjin-2020")
    assert set(rows) == {
        "专线租赁数量",
        "中继线开通率",
        "坐席电话接听率",
        "坐席设置数量",
        "单位接听量占用人工成本",
        "工资涨幅对降低人员流失率的效果",
        "年度受理咨询数量",
        "录用合同制人员数量",
        "开展培训人次",
        "营商环境促进程度",
    }
    for name, (
        printed,
        uploaded,
        printed_numerator,
        uploaded_numerator,
    ) in rows.items():
        assert printed == uploaded, name
        assert printed_numerator == uploaded_numerator, name


def test_panjin_evaluation_actuals_equal_the_uploaded_figures() -> None:
    rows = matched("panjin-2023")
    assert {name: uploaded for name, (_p, uploaded, _pn, _un) in rows.items()} == {
        "平台人员数量": D("52"),
        "话务接通率": D("98.01"),
        "话务好评率": D("98.33"),
        "话务直接办复率": D("75.53"),
        "解决企业群众非紧急类民生诉求": D("99.88"),
        "保障水平": D("91.43"),
    }
    assert all(printed == uploaded for printed, uploaded, _pn, _un in rows.values())
