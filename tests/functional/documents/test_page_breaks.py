"""Page and line breaks as a typesetter makes them, read off the rendered PDFs of both seed
reports and every seed target form with pdfplumber's positions (``layout.Layout``): no
table row alone on a page, no heading last on a page, numbers kept with their units, titles
broken between words, nothing past the margins, contents with aligned leaders and page
numbers, headings in the bold sans face."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from budgets.models import Project
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.pdf import layout_pages, render_pdf, rows_starting_pages
from documents.rendering import document_render
from documents.typesetting import joined, typeset
from tests.functional.documents.layout import Layout, leader_breaches

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils"),
]

REPORTS = ["tianjin-2020", "panjin-2023"]
FORMS = ["tianjin-2020", "shanghai-2019", "suzhou-2023", "panjin-2023"]
REPORT_MARGINS = (22, 20)  # left, right (mm): reports/evaluation_report.html
FORM_MARGINS = (16, 16)  # reports/base.html
LONG_URL = (
    "https://www.tj.gov.cn/zwgk/szfwj/tjsrmzf/202012/t20201231_5278342_performance"
    "_evaluation_hotline_12345_operating_expenditure_report_attachment.pdf"
)
LONG_LATIN = "GB/T33358-2016PublicServiceHotlineStandardAndOperatingRequirements"


def _pdf(kind: DocumentKind, code: str) -> bytes:
    doctype = document_type(kind)
    assert doctype is not None
    return document_render(doctype, doctype.build(code), DocumentFormat.PDF)


@pytest.fixture(scope="module")
def reports(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, Layout]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return {
            code: Layout(_pdf(DocumentKind.EVALUATION_REPORT, code)) for code in REPORTS
        }


@pytest.fixture(scope="module")
def forms(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, Layout]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return {code: Layout(_pdf(DocumentKind.TARGET_FORM, code)) for code in FORMS}


# ---------------------------------------------------------------------- the two reports


@pytest.mark.parametrize("code", REPORTS)
def test_no_table_row_alone_on_a_page_of_a_report(
    reports: dict[str, Layout], code: str
) -> None:
    assert reports[code].lonely_rows() == []


@pytest.mark.parametrize("code", REPORTS)
def test_no_heading_or_caption_is_last_on_a_page(
    reports: dict[str, Layout], code: str
) -> None:
    assert reports[code].headings_last_on_a_page() == []


@pytest.mark.parametrize("code", REPORTS)
def test_numbers_keep_their_units_in_a_report(
    reports: dict[str, Layout], code: str
) -> None:
    assert reports[code].numbers_split_from_units() == []


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ("tianjin-2020", ["2020年天津市便民专线服务中心运行经费项目", "绩效评价报告"]),
        (
            "panjin-2023",
            ["2023年度12345热线平台运营及人员外包经费项目", "（政策）重点绩效评价报告"],
        ),
    ],
)
def test_the_report_title_breaks_between_words(
    reports: dict[str, Layout], code: str, lines: list[str]
) -> None:
    assert reports[code].title_lines() == lines


@pytest.mark.parametrize("code", REPORTS)
def test_nothing_is_drawn_past_the_margins_of_a_report(
    reports: dict[str, Layout], code: str
) -> None:
    assert reports[code].outside_margins(*REPORT_MARGINS) == []


@pytest.mark.parametrize("code", REPORTS)
def test_contents_have_aligned_leaders_and_page_numbers(
    reports: dict[str, Layout], code: str
) -> None:
    layout = reports[code]
    entries = list(layout.contents_entries())
    assert len(entries) >= 15
    assert leader_breaches(layout) == []


@pytest.mark.parametrize("code", REPORTS)
def test_headings_are_in_the_bold_sans_face_and_the_body_in_the_serif(
    reports: dict[str, Layout], code: str
) -> None:
    lines = [line for page in reports[code].body_lines[1:] for line in page]
    headings = [line for line in lines if re.match(r"^[一二三四五]、", line.text)]
    assert len(headings) >= 4
    for line in headings:
        assert line.fonts == {"Noto-Sans-CJK-SC-Bold"}, line
    faces = Counter(face for line in lines for face in line.fonts)
    assert faces.most_common(1)[0][0] == "Noto-Serif-CJK-SC"  # the body


SAMPLE = Template(
    '{% extends "reports/base.html" %}'
    "{% block page_margin %}24mm 20mm 22mm 22mm{% endblock %}"
    '{% block style %}{% include "reports/evaluation/style.css" %}{% endblock %}'
    "{% block content %}{{ content }}{% endblock %}"
)


def _sample(content: str) -> Layout:
    """A page of the report's own print styles holding ``content`` (HTML)."""
    html = SAMPLE.render(Context({"content": mark_safe(content)}))
    return Layout(render_pdf(typeset(html)))


def _table(rows: int) -> str:
    body = "".join(
        f"<tr><td>第{n}项</td><td class='number'>{n}.00</td></tr>"
        for n in range(1, rows + 1)
    )
    return (
        "<p class='table-caption'>表9 测试表</p>"
        "<table class='grid report-table'><colgroup><col style='width: 50%'>"
        "<col style='width: 50%'></colgroup><thead><tr><th>项目</th><th>金额</th></tr>"
        f"</thead><tbody>{body}</tbody></table>"
    )


@pytest.mark.parametrize("rows", [3, 10])
def test_wherever_a_table_falls_no_row_is_alone_on_a_page(rows: int) -> None:
    # the table moved down a page in steps smaller than a row: every break position
    splits = []
    for space in range(560, 700, 9):
        layout = _sample(f"<div style='height: {space}pt'></div>{_table(rows)}")
        assert layout.lonely_rows() == [], space
        splits += layout.table_splits()
    if rows == 3:
        assert splits == []  # a short table stays whole
    else:
        assert len(splits) >= 3  # it did run over, at several rows
        assert all(before + after == rows for _p, before, after, _h in splits)


def test_wherever_a_heading_falls_it_is_never_last_on_a_page() -> None:
    for space in range(600, 700, 7):
        layout = _sample(
            f"<div style='height: {space}pt'></div>"
            "<h2 class='level-1'>四、存在的主要问题</h2>"
            "<h3 class='level-2'>（一）绩效目标设置合理性不足</h3>"
            f"<p>{'个别产出数量指标与实际需求不符。' * 12}</p>"
        )
        assert layout.headings_last_on_a_page() == [], space


def test_a_long_url_and_a_long_latin_string_wrap_inside_the_report_margins() -> None:
    layout = _sample(f"<p>详见{LONG_URL}。依据{LONG_LATIN}执行。</p>")
    assert layout.outside_margins(*REPORT_MARGINS) == []
    text = "".join(line.text for page in layout.body_lines for line in page)
    assert LONG_URL in text and LONG_LATIN in text  # wrapped, nothing cut


# ---------------------------------------------------------------------- target forms


@pytest.mark.parametrize("code", FORMS)
def test_no_indicator_row_alone_on_a_page_of_a_form(
    forms: dict[str, Layout], code: str
) -> None:
    assert forms[code].lonely_rows() == []


@pytest.mark.parametrize("code", FORMS)
def test_numbers_keep_their_units_in_a_form(
    forms: dict[str, Layout], code: str
) -> None:
    assert forms[code].numbers_split_from_units() == []


@pytest.mark.parametrize("code", FORMS)
def test_no_text_runs_across_a_cell_rule_of_a_form(
    forms: dict[str, Layout], code: str
) -> None:
    assert forms[code].text_across_cell_rules() == []


@pytest.mark.parametrize("code", REPORTS)
def test_no_text_runs_across_a_cell_rule_of_a_report(
    reports: dict[str, Layout], code: str
) -> None:
    assert reports[code].text_across_cell_rules() == []


@pytest.mark.parametrize("code", FORMS)
def test_nothing_is_drawn_past_the_margins_of_a_form(
    forms: dict[str, Layout], code: str
) -> None:
    assert forms[code].outside_margins(*FORM_MARGINS) == []


def test_narrow_form_cells_break_between_words(forms: dict[str, Layout]) -> None:
    # seed 000's department in its narrow cell: “营商环境” on one line, never “营商环/境”
    department = "天津市人民政府政务服务(营商环境)办公室"
    (lines,) = [
        [line.text for line in cell]
        for page in forms["tianjin-2020"].cell_lines
        for cell in page
        if "".join(line.text for line in cell) == department
    ]
    assert len(lines) == 2
    assert any("营商环境" in line for line in lines), lines


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("tianjin-2020", "项目支出绩效目标表"),
        ("shanghai-2019", "上海市财政支出项目绩效目标申报表"),
        ("suzhou-2023", "苏州市市级部门整体预算绩效目标表"),
        ("panjin-2023", "项目支出绩效目标表"),  # reconstructed: never said in its title
    ],
)
def test_form_titles_print_the_locality_as_the_source_does(
    forms: dict[str, Layout], code: str, title: str
) -> None:
    assert forms[code].title_lines() == [title]


def test_merged_labels_are_printed_again_on_every_page_they_run_onto(
    forms: dict[str, Layout],
) -> None:
    layout = forms["suzhou-2023"]
    assert layout.pages == 5
    cells = [
        {"".join(line.text for line in cell) for cell in page}
        for page in layout.cell_lines
    ]
    # 部门整体资金 / 支出 / 项目支出 run from page 1 onto page 2; 年度目标's four items
    # from page 2 onto page 3 (a page starts between two items, and the label is printed
    # beside each part); 过程 and its 预算管理 from page 3 onto page 4; 履职 from page 4
    # onto page 5
    assert {"部门整体资金（万元）", "支出", "项目支出"} <= cells[0]
    assert {"部门整体资金（万元）", "支出", "项目支出"} <= cells[1]
    assert "年度目标" in cells[1] and "年度目标" in cells[2]
    assert {"过程", "预算管理"} <= cells[2]
    assert {"过程", "预算管理"} <= cells[3]
    assert "履职" in cells[3] and "履职" in cells[4]


def test_a_long_url_wraps_inside_the_form_margins() -> None:
    project = Project.objects.get(code="shanghai-2019")
    project.overview = f"{LONG_URL}\n{LONG_LATIN}\n{project.overview}"
    project.save()
    layout = Layout(_pdf(DocumentKind.TARGET_FORM, "shanghai-2019"))
    assert layout.outside_margins(*FORM_MARGINS) == []


# ---------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<p>依据评分细则，得4分。</p>",
            '<p>依据评分细则，<span class="nobr">得4分</span>。</p>',
        ),
        (
            "<td>1,012.36万个</td>",
            '<td><span class="nobr">1,012.36万个</span></td>',
        ),
        ("<p>≥98.01%</p>", '<p><span class="nobr">≥98.01%</span></p>'),
        ("<p>7×24小时</p>", '<p><span class="nobr">7×24小时</span></p>'),
        (
            '<h1 class="report-title">项目绩效评价报告</h1>',
            '<h1 class="report-title"><span class="word">项目</span>'
            '<span class="word">绩效评价报告</span></h1>',
        ),
        (
            '<td class="label">营商环境</td>',
            '<td class="label"><span class="word">营商环境</span></td>',
        ),
        # paragraphs keep their words breakable; markup, styles and SVG pass untouched
        ("<p>绩效评价</p>", "<p>绩效评价</p>"),
        # the 绩效指标 label of a project form's narrow first column breaks where it must
        ('<th class="lead">绩效指标</th>', '<th class="lead">绩效指标</th>'),
        (
            '<style>p{margin:0 0 1mm}</style><svg><text x="1">10分</text></svg>',
            '<style>p{margin:0 0 1mm}</style><svg><text x="1">10分</text></svg>',
        ),
        (
            "<p>&lt;b&gt;5分&amp;</p>",
            '<p>&lt;b&gt;<span class="nobr">5分</span>&amp;</p>',
        ),
        ("<p>ab12分</p>", "<p>ab12分</p>"),
    ],
)
def test_typeset_keeps_numbers_with_units_and_title_words_whole(
    html: str, expected: str
) -> None:
    assert typeset(html) == expected


def test_joined_keeps_each_typeset_group_whole_with_word_joiners() -> None:
    """What WeasyPrint is given: the spans' groups with U+2060 between their characters
    (the HTML twin keeps the spans)."""
    typeset_html = typeset(
        '<h1 class="report-title">项目绩效评价报告</h1><p>得4分。</p>'
    )
    assert joined(typeset_html) == (
        '<h1 class="report-title">项\u2060目绩\u2060效\u2060评\u2060价\u2060报\u2060告'
        "</h1><p>得\u20604\u2060分。</p>"
    )
    # a group holding an entity (none of ours does) keeps its span
    assert joined('<span class="nobr">5&amp;分</span>') == (
        '<span class="nobr">5&amp;分</span>'
    )


def test_wherever_a_line_ends_a_score_keeps_its_unit_and_a_heading_its_words() -> None:
    """The joined groups in the PDF, swept across widths that put a line's end at every
    character: never 得 / 4分 or 得4 / 分, never 绩效 / 评价."""
    broken_somewhere = False
    for width in range(50, 125, 3):  # from a line that holds 得4分 and 绩效评价
        layout = _sample(
            f"<p style='width: {width}pt; text-indent: 0'>一二三四五六七得4分八九十</p>"
            f"<h3 style='width: {width}pt; text-indent: 0; font-size: 10.5pt'>"
            "一二三绩效评价四五</h3>"
        )
        lines = [line.text for page in layout.body_lines for line in page]
        assert any("得4分" in line for line in lines), (width, lines)
        assert any("绩效评价" in line for line in lines), (width, lines)
        broken_somewhere |= len(lines) > 2
    assert broken_somewhere


def test_a_row_running_on_from_the_page_before_starts_no_page() -> None:
    """``rows_starting_pages``: the rows a page starts with, not a long row broken
    inside it (its label copied there would land on the page before)."""
    row = "<tr data-table='0' data-row='{}'><td>{}</td></tr>"
    html = (
        "<table><tbody>"
        + row.format(0, "<div style='height: 200mm'>甲</div>")
        + row.format(1, "长文" * 800)
        + row.format(2, "乙")
        + "</tbody></table>"
    )
    pages = layout_pages(html)
    assert len(pages.pages) == 2  # row 1 runs from page 1 onto page 2
    assert rows_starting_pages(pages) == {}
    html = html.replace("长文" * 800, "<div style='height: 200mm'>丙</div>")
    assert rows_starting_pages(layout_pages(html)) == {"0": {1}}
