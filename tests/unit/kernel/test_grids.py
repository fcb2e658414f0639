"""Grids place cells like HTML tables do and refuse rows that do not fill the table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from documents.templatetags.reports import amount as amount_filter
from kernel.grids import (
    Check,
    Grid,
    Section,
    SectionBuilder,
    amount,
    checks,
    label,
    paragraphs,
    section_line_rows,
    section_split_at,
    text,
)


def test_cells_skip_columns_taken_by_a_rowspan_from_above() -> None:
    table = SectionBuilder("t", 4)
    table.row(
        label("项目资金", rowspan=2),
        amount(Decimal("1"), rowspan=2),
        label("a"),
        text("1"),
    )
    table.row(label("b"), text("2"))
    section = table.build()
    assert [[c.col for c in row.cells] for row in section.body] == [
        [0, 1, 2, 3],
        [2, 3],
    ]


def test_a_row_must_fill_every_column() -> None:
    table = SectionBuilder("t", 3)
    with pytest.raises(ValueError, match="fills 2 of 3 columns"):
        table.row(text("a"), text("b"))


def test_a_rowspan_may_not_run_past_the_section() -> None:
    table = SectionBuilder("t", 2)
    table.row(text("a", rowspan=3), text("b"))
    table.row(text("c"))
    with pytest.raises(ValueError, match="runs past the last row"):
        table.build()


def test_widths_add_up_to_the_page() -> None:
    with pytest.raises(ValueError, match="add up to 90"):
        Grid(title="t", subtitle="", widths=(40, 50), sections=())


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Decimal("133340000"), "133,340,000.00"),
        (Decimal("2298.67"), "2,298.67"),
        (Decimal("0"), "0.00"),
        (Decimal("15.6"), "15.60"),
        (Decimal("0.005"), "0.01"),  # half-up, the project's one rounding rule
        (None, ""),
    ],
)
def test_amounts_print_with_two_decimals_and_thousands_separators(
    value: Decimal | None, printed: str
) -> None:
    assert amount_filter(value) == printed


def test_cells_escape_text_and_draw_check_boxes() -> None:
    html = render_to_string(
        "reports/_grid_cell.html",
        {
            "cell": checks(
                ((Check("<b>甲</b> & 乙", True), Check("丙", False)),), colspan=3
            )
        },
    )
    assert html.strip() == (
        '<td colspan="3" class=""><div class="checks">'
        '<span class="check">&lt;b&gt;甲&lt;/b&gt; &amp; 乙<span class="box">☑</span></span>'
        '<span class="check">丙<span class="box">☐</span></span></div></td>'
    )


def _goal_section() -> Section:
    builder = SectionBuilder("header", 3)
    builder.row(label("单位名称"), text("苏州市便民服务中心", colspan=2))
    builder.row(
        label("年度目标"),
        paragraphs("1. 第一项。\n\n2. 第二项。\n" + "3." + "长" * 700, colspan=2),
        breakable=True,
    )
    builder.row(label("备注"), paragraphs("一行", colspan=2), breakable=True)
    return builder.build()


def test_a_long_text_is_a_row_per_line_beside_its_label() -> None:
    section = section_line_rows(_goal_section(), kept_whole=600)
    rows = [
        [(c.text[:8], c.rowspan, c.joins_above) for c in row.cells]
        for row in section.body
    ]
    assert rows == [
        [("单位名称", 1, False), ("苏州市便民服务中", 1, False)],
        [("年度目标", 3, False), ("1. 第一项。", 1, False)],
        [("2. 第二项。", 1, True)],
        [("3." + "长" * 6, 1, True)],
        [("备注", 1, False), ("一行", 1, False)],  # one line: as it was
    ]
    # lines kept on one page, unless longer than a page could hold
    assert [row.breakable for row in section.body] == [False, False, False, True, True]
    assert section.body[2].cells[0].col == 1


def test_a_page_starting_at_a_line_repeats_the_label_with_the_rule_above() -> None:
    section = section_split_at(section_line_rows(_goal_section(), kept_whole=600), {2})
    rows = [
        [(c.text[:8], c.rowspan, c.joins_above, c.style) for c in row.cells]
        for row in section.body
    ]
    assert rows[1:4] == [
        [("年度目标", 1, False, "label"), ("1. 第一项。", 1, False, "")],
        [("年度目标", 2, False, "label continued"), ("2. 第二项。", 1, False, "")],
        [("3." + "长" * 6, 1, True, "")],
    ]
