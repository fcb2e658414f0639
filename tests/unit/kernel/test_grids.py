"""Grids place cells like HTML tables do and refuse rows that do not fill the table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from documents.templatetags.reports import amount as amount_filter
from kernel.grids import Check, Grid, SectionBuilder, amount, checks, label, text


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
