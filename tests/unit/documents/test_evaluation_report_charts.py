"""The evaluation report's pure parts: how figures print, section numbers, grade bands,
the table-of-contents estimate, and the SVG charts (no database)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from documents.charts import Point, TrendPanel, bar_chart, nice_maximum, trend_chart
from documents.evaluation_reports import (
    CONTENTS_FROM_PAGES,
    Heading,
    Paragraphs,
    chinese_number,
    estimated_pages,
    figure,
    percent,
)
from evaluations.models import default_grade_bands
from evaluations.reports.sentences import grade_band_sentence


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("15", "15"),
        ("15.00", "15"),
        ("19.5", "19.50"),
        ("92.37", "92.37"),
        ("5855.215", "5855.22"),  # half-up, once
        ("11092.4", "11092.40"),
        ("9", "9"),
        ("0", "0"),
        ("-15.03", "-15.03"),
        ("-0.001", "0"),
        ("699.00", "699"),
    ],
)
def test_figures_print_as_the_seed_reports_print_them(value: str, printed: str) -> None:
    assert figure(Decimal(value)) == printed


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("88.24", "88.24%"),
        ("100.00", "100%"),
        ("0", "0%"),
        ("1.1", "1.10%"),
        (None, "-"),
    ],
)
def test_rates_print_with_their_percent_sign(value: str | None, printed: str) -> None:
    assert percent(None if value is None else Decimal(value)) == printed


@pytest.mark.parametrize(
    ("number", "chinese"),
    [
        (1, "一"),
        (5, "五"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (34, "三十四"),
    ],
)
def test_section_numbers_in_chinese(number: int, chinese: str) -> None:
    assert chinese_number(number) == chinese


def test_grade_bands_are_worded_from_the_evaluations_bands() -> None:
    assert grade_band_sentence(default_grade_bands(), Decimal(100)) == (
        "评价总分为100分，评价结果分为优、良、中、差四个等级：综合得分90（含）-100分为"
        "“优”，80（含）-90分为“良”，60（含）-80分为“中”，60分以下为“差”。"
    )
    three = [
        {"grade": "合格", "minimum": "60"},
        {"grade": "优秀", "minimum": "85"},
        {"grade": "不合格", "minimum": "0"},
    ]
    assert grade_band_sentence(three, Decimal(100)) == (
        "评价总分为100分，评价结果分为优秀、合格、不合格三个等级：综合得分85（含）-100分"
        "为“优秀”，60（含）-85分为“合格”，60分以下为“不合格”。"
    )


def test_a_short_report_gets_no_table_of_contents_and_a_long_one_does() -> None:
    short = [Heading(1, "一、", "项目基本情况"), Paragraphs(("字" * 400,))]
    assert estimated_pages(("字" * 200,), short) <= CONTENTS_FROM_PAGES
    long = [*short, Paragraphs(("字" * 300,) * 30)]
    assert estimated_pages(("字" * 200,), long) > CONTENTS_FROM_PAGES


@pytest.mark.parametrize(
    ("value", "maximum"),
    [(12.15, 15), (1012.36, 1500), (2.96, 4), (100, 150), (0, 1), (8.99, 15)],
)
def test_trend_axes_end_on_a_round_number_above_the_values(
    value: float, maximum: float
) -> None:
    assert nice_maximum(value) == pytest.approx(maximum)


def test_a_bar_chart_escapes_its_labels_and_lists_every_text_it_draws() -> None:
    chart = bar_chart(
        [
            Point("决策", Decimal("88.24"), "88.24%"),
            Point("<b>&</b>", Decimal(100), "100%"),
        ],
        axis_maximum=Decimal(100),
        axis_step=Decimal(25),
        axis_suffix="%",
        description="各一级指标得分率 <&>",
    )
    assert "<b>" not in chart.svg
    assert ">&lt;b&gt;&amp;&lt;/b&gt;</text>" in chart.svg
    assert 'aria-label="各一级指标得分率 &lt;&amp;&gt;"' in chart.svg
    assert chart.texts == (
        "0%",
        "50%",
        "100%",
        "88.24%",
        "决策",
        "100%",
        "<b>&</b>",
    )
    # One font, the report's body face: a chart adds no font to the PDF.
    assert set(re.findall(r'font-family="([^"]+)"', chart.svg)) == {"Noto Serif CJK SC"}
    # Bars are as long as their values: 88.24% of the 180-unit plot height.
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', chart.svg)]
    assert heights == pytest.approx([180 * 0.8824, 180.0], abs=0.1)


def test_a_line_label_goes_under_a_point_lower_than_a_neighbour() -> None:
    chart = trend_chart(
        [
            TrendPanel(
                "每1万接听量人工成本（万元）",
                (
                    Point("2018年", Decimal("8.97"), "8.97"),
                    Point("2019年", Decimal("12.15"), "12.15"),
                    Point("2020年", Decimal("8.99"), "8.99"),
                ),
                "line",
                Point("均值", Decimal("10.58"), "10.58"),
            )
        ],
        description="趋势",
    )
    points = dict(
        (label, float(y))
        for y, label in re.findall(
            r'<text x="[\d.]+" y="([\d.]+)"[^>]*>([\d.]+)</text>', chart.svg
        )
    )
    circles = [
        float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', chart.svg)
    ]
    below = {
        label: points[label] > cy
        for label, cy in zip(["8.97", "12.15", "8.99"], circles, strict=True)
    }
    assert below == {"8.97": True, "12.15": False, "8.99": True}
    assert chart.texts[-1] == "均值 10.58"
