"""The three seed target forms as PDF, read back: text, table cells, fonts, glyphs.

Each form is rendered once per module through the pipeline (``document_render``) and read
back with poppler (``pdftotext``, ``pdffonts``) and pdfplumber (table cells).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_html, document_render
from documents.target_forms import target_form_pages
from targets.models import IndicatorLevel, TargetForm, TargetIndicator
from targets.selectors import IndicatorNode, target_form_tree
from tests.functional.documents.readback import (
    ReadBack,
    drawn_text,
    pdf_fonts,
    read_back,
    squash,
    visible_text,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils"),
]

SUZHOU_FIRST_KEY_TASK = (
    "负责市“12345”政府公共服务热线的诉求受理、答复，事项的交办、跟踪、督办和回复回访，"
    "协助做好承办单位的业务协调、服务质量和效果监督考核工作；承担“寒山闻钟”论坛的"
    "日常运行管理职能。"
)
SEEDS = ["tianjin-2020", "shanghai-2019", "suzhou-2023"]


@dataclass(frozen=True)
class Rendered(ReadBack):
    code: str
    html: str
    header: str  # the running header

    @property
    def cells(self) -> str:
        """All cell texts in reading order, squashed (a cell split by a page break rejoins)."""
        return "".join(cell for row in self.rows for cell in row)


def _read(code: str) -> Rendered:
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    document = doctype.build(code)
    back = read_back(document_render(doctype, document, DocumentFormat.PDF))
    return Rendered(
        **vars(back),
        code=code,
        # the HTML the PDF is made of: merged labels repeated where pages start inside them
        html=target_form_pages(document, document_html)[0],
        header=str(document.context["running_header"]),
    )


@pytest.fixture(scope="module")
def rendered(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, Rendered]:
    """Rendered once per module from the seeded test database (read only)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return {code: _read(code) for code in SEEDS}


HEADINGS = {
    "tianjin-2020": [
        "项目支出绩效目标表",
        "（2020年度）",
        "项目名称",
        "项目起止时间",
        "主管预算部门",
        "项目实施单位",
        "项目资金（万元）",
        "其中：财政拨款",
        "其他资金",
        "绩效目标",
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
    ],
    "shanghai-2019": [
        "上海市财政支出项目绩效目标申报表",
        "（2019年）",
        "申报单位名称：中共上海市委、上海市人民政府信访办公室",
        "项目名称",
        "项目类型",
        "资金用途",
        "开始时间",
        "结束时间",
        "项目概况",
        "立项依据",
        "项目设立的必要性",
        "保证项目实施的制度、措施",
        "项目总预算（元）",
        "项目当年预算（元）",
        "同名项目上年预算额（元）",
        "同名项目上年预算执行数（元）",
        "项目当年投入资金构成",
        "子项目名称",
        "预算金额（元）",
        "项目实施计划",
        "项目总目标",
        "年度绩效目标",
        "分解目标",
        "分解目标内容",
        "绩效指标",
        "指标目标值",
        "备注",
    ],
    "suzhou-2023": [
        "苏州市市级部门整体预算绩效目标表",
        "2023年度",
        "单位名称",
        "单位主要职能",
        "机构设置及人员配置",
        "部门整体资金（万元）",
        "收入",
        "全年预算数",
        "资金总额",
        "财政拨款",
        "小计",
        "支出",
        "半年计划执行数",
        "基本支出",
        "项目支出",
        "中长期目标",
        "年度目标",
        "一级指标",
        "二级指标",
        "重点工作",
        "三级指标",
        "半年指标值",
        "全年指标值",
    ],
}

# Label and value cells that sit side by side in one row, amounts as printed.
ROWS = {
    "tianjin-2020": [
        [
            "项目名称",
            "天津市便民专线服务中心运行经费",
            "项目起止时间",
            "2020年1月-2020年12月",
        ],
        [
            "主管预算部门",
            "天津市人民政府政务服务(营商环境)办公室",
            "项目实施单位",
            "天津市便民专线服务中心",
        ],
        ["项目资金（万元）", "10,000.00", "其中：财政拨款", "10,000.00"],
        ["其他资金", ""],
    ],
    "shanghai-2019": [
        ["项目名称", "12345市民服务热线外包服务"],
        ["开始时间", "2019-1-1", "结束时间", "2019-12-31"],
        ["项目总预算（元）", "133,340,000.00", "项目当年预算（元）", "133,340,000.00"],
        [
            "同名项目上年预算额（元）",
            "136,990,000.00",
            "同名项目上年预算执行数（元）",
            "136,990,000.00",
        ],
        ["项目当年投入资金构成", "子项目名称", "预算金额（元）"],
        [
            "12345热线基本运行经费（房租、物业及水、电、电话费、上网费等）",
            "19,030,000.00",
        ],
        ["话务平台、手语客服网络及大数据等专用软硬件设施经费", "9,480,000.00"],
        ["话务语音座席人员聘用及管理经费", "95,890,000.00"],
        ["应交税费", "8,940,000.00"],
    ],
    "suzhou-2023": [
        ["单位名称", "苏州市便民服务中心"],
        ["资金总额", "2,298.67"],
        ["财政拨款", "小计", "2,298.67"],
        ["一般公共预算资金", "2,298.67"],
        ["政府性基金", "0.00"],
        ["财政专户管理资金", "0.00"],
        ["国有资本金", "0.00"],
        ["社保基金", "0.00"],
        ["上年结转资金", "0.00"],
        ["其他资金", "0.00"],
        ["半年计划执行数", "全年预算数"],
        ["基本支出", "285.00", "727.18"],
        ["小计", "593.46", "1,571.49"],
        ["全市便民服务人员业务技能培训", "0.00", "15.60"],
        ["呼叫平台、热线电话费等", "68.70", "120.00"],
        ["全市政务服务便民热线运行绩效第三方测评", "0.00", "22.50"],
        ["党团活动费", "0.00", "3.20"],
        ["“12345”政府公共服务热线运行经费", "443.00", "1,165.62"],
        ["法律顾问", "0.00", "5.00"],
        ["苏州12345热线专项委托业务费", "0.00", "70.00"],
        ["《市民手册》制作费、一般宣传材料印刷费", "0.00", "5.00"],
        ["“便民杯”考核经费", "24.50", "24.50"],
        ["“寒山闻钟”论坛日常运行费用", "29.20", "43.50"],
        ["热线系统软硬件维护", "28.06", "88.27"],
        ["体检经费", "0.00", "8.30"],
    ],
}


@pytest.mark.parametrize("code", SEEDS)
def test_every_heading_is_printed(rendered: dict[str, Rendered], code: str) -> None:
    text = squash(rendered[code].text)
    missing = [heading for heading in HEADINGS[code] if squash(heading) not in text]
    assert missing == []


@pytest.mark.parametrize("code", SEEDS)
def test_every_long_text_of_the_form_is_printed_whole(
    rendered: dict[str, Rendered], code: str
) -> None:
    """Long texts may run over a page break: read them from the page text, line by line,
    without the page furniture and without their label (printed beside them,
    mid-paragraph)."""
    form = TargetForm.objects.select_related("project").get(code=code)
    texts = {
        "绩效目标": form.overall_goal if code == "tianjin-2020" else "",
        "项目总目标": form.overall_goal if code == "shanghai-2019" else "",
        "年度绩效目标": form.annual_goal if code == "shanghai-2019" else "",
        "单位主要职能": form.main_functions,
        "机构设置及人员配置": form.staffing,
        "中长期目标": form.long_term_goal,
        "年度目标": form.annual_goal if code == "suzhou-2023" else "",
    }
    if code == "shanghai-2019":
        project = form.project
        assert project is not None
        texts |= {
            "项目概况": project.overview,
            "立项依据": project.basis,
            "项目设立的必要性": project.necessity,
            "保证项目实施的制度、措施": project.safeguards,
            "项目实施计划": project.implementation_plan,
        }
    page_text = squash(rendered[code].text).replace(squash(rendered[code].header), "")
    for number in range(1, len(rendered[code].pages) + 1):
        page_text = page_text.replace(
            f"第{number}页共{len(rendered[code].pages)}页", ""
        )
    missing = []
    for heading, value in texts.items():
        if not value:
            continue
        body = page_text.replace(squash(heading), "")
        # line by line: a long text is a row per line (documents.target_forms), and a
        # page may start between two lines, where the page text reads the next page's
        # furniture and the left column first
        lines = [squash(line) for line in value.splitlines() if line.strip()]
        if any(line.replace(squash(heading), "") not in body for line in lines):
            missing.append(heading)
    assert missing == []
    assert (
        sum(1 for value in texts.values() if value)
        == {
            "tianjin-2020": 1,
            "shanghai-2019": 7,
            "suzhou-2023": 4,
        }[code]
    )


@pytest.mark.parametrize("code", SEEDS)
def test_every_indicator_name_and_target_value_is_printed(
    rendered: dict[str, Rendered], code: str
) -> None:
    cells, text = rendered[code].cells, squash(rendered[code].text)
    form = TargetForm.objects.get(code=code)
    printed = [
        text
        for indicator in form.indicators.all()
        for text in (indicator.name, indicator.value_text, indicator.half_year_text)
        if text
    ]
    # 一级, 二级 and 重点工作 names, 三级 names, 全年 and 半年 values.
    assert (
        len(printed)
        == {"tianjin-2020": 49, "shanghai-2019": 18, "suzhou-2023": 168}[code]
    )
    # In a table cell, or (for a merged cell cut by a page break) in the page text.
    assert [
        t for t in printed if squash(t) not in cells and squash(t) not in text
    ] == []


@pytest.mark.parametrize("code", SEEDS)
def test_label_and_amount_cells_come_back_side_by_side(
    rendered: dict[str, Rendered], code: str
) -> None:
    for cells in ROWS[code]:
        rendered[code].row_with(*cells)


def _leaf_rows(code: str) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """(ancestors drawn on the leaf's row, name, values) for each 三级 indicator in order.

    An ancestor is drawn on the first row under it, which may be the row of a group with
    no 三级 indicators (效益 / 经济效益 of Suzhou).
    """
    tree = target_form_tree(code=code)
    drawn: set[int] = set()

    def paths(
        nodes: list[IndicatorNode], above: list[TargetIndicator]
    ) -> Iterator[list[TargetIndicator]]:
        for node in nodes:
            path = [*above, node.indicator]
            if node.children:
                yield from paths(node.children, path)
            else:
                yield path

    for path in paths(tree.roots, []):
        *chain, last = path
        anchored = [a.name for a in chain if a.pk not in drawn]
        drawn.update(a.pk for a in path)
        if last.level != IndicatorLevel.LEVEL3:
            continue
        values = (
            [last.half_year_text, last.value_text]
            if tree.form.has_half_year
            else [last.value_text]
        )
        yield anchored, [last.name], values


@pytest.mark.parametrize("code", SEEDS)
def test_indicator_cells_come_back_in_their_rows_and_columns(
    rendered: dict[str, Rendered], code: str
) -> None:
    """Each 三级 row reads: [the 一级/二级/重点工作 cells that start on it] name, values.

    Rows are matched in form order, so the three 租赁中继线路、专线链路 rows of Tianjin must
    come back with 30 条, 2020 年底完成 and 111.8万 in that order.
    """
    rows = rendered[code].rows
    cursor = 0
    checked = 0
    cut: list[str] = []
    repeated: list[tuple[str, list[str]]] = []
    for anchored, (name,), values in _leaf_rows(code):
        while squash(name) not in rows[cursor]:
            cursor += 1
            assert cursor < len(rows), (
                f"{name} is not in any row after the previous one"
            )
        row = rows[cursor]
        at = row.index(squash(name))
        assert row[at + 1 : at + 1 + len(values)] == [squash(v) for v in values], name
        before = [cell for cell in row[:at] if cell]
        seen = len(before)
        tail = [squash(a) for a in anchored]
        if len(before) > len(tail) and before[len(before) - len(tail) :] == tail:
            # the first row of a page inside merged cells: they are printed again
            repeated.append((name, before[: len(before) - len(tail)]))
        else:
            assert before == [squash(a) for a in anchored[len(anchored) - seen :]], name
            cut += anchored[: len(anchored) - seen]
        cursor += 1
        checked += 1
    assert checked == {"tianjin-2020": 19, "shanghai-2019": 7, "suzhou-2023": 45}[code]
    # A merged cell that a page break cuts is printed again on the next page (issue 14
    # item 5): 过程 and its 预算管理 run from page 3 onto page 4, 履职 and its first
    # 重点工作 from 4 onto 5, and the first rows of pages 4 and 5 show them again
    assert (cut, repeated) == {
        "tianjin-2020": ([], []),
        "shanghai-2019": ([], []),
        "suzhou-2023": (
            [],
            [
                ("资金使用合规性", ["过程", "预算管理"]),
                (
                    "对服务对象反映的部门处办不到位的事项的推动作用",
                    ["履职", squash(SUZHOU_FIRST_KEY_TASK)],
                ),
            ],
        ),
    }[code]


def test_department_groups_without_indicators_keep_their_row(
    rendered: dict[str, Rendered],
) -> None:
    for name in ["经济效益", "生态效益", "可持续影响"]:
        row = rendered["suzhou-2023"].row_with(name)
        assert row[row.index(name) + 1 :] == ["", "", ""]


def test_application_form_ticks_project_type_and_fund_use(
    rendered: dict[str, Rendered],
) -> None:
    text = squash(rendered["shanghai-2019"].text)
    assert "经常性专项业务费☑" in text
    assert "政府购买服务☑" in text
    assert (text.count("☑"), text.count("☐")) == (2, 9)
    for unticked in [
        "结转项目☐",
        "其他经常性项目☐",
        "信息化建设类☐",
        "其他事业专业类☐",
    ]:
        assert unticked in text


@pytest.mark.parametrize("code", SEEDS)
def test_pages_are_a4_numbered_and_carry_the_running_header(
    rendered: dict[str, Rendered], code: str
) -> None:
    subject = {
        "tianjin-2020": "天津市便民专线服务中心运行经费",
        "shanghai-2019": "12345市民服务热线外包服务",
        "suzhou-2023": "苏州市便民服务中心",
    }[code]
    with pdfplumber.open(BytesIO(rendered[code].pdf)) as reader:
        pages = reader.pages
        total = {"tianjin-2020": 1, "shanghai-2019": 2, "suzhou-2023": 5}[code]
        assert len(pages) == total
        for number, page in enumerate(pages, start=1):
            assert (round(page.width), round(page.height)) == (595, 842)  # A4, points
            # The top and bottom page margins (22 mm, 20 mm) hold header and footer.
            top = page.crop((0, 0, page.width, 62)).extract_text()
            bottom = page.crop(
                (0, page.height - 56, page.width, page.height)
            ).extract_text()
            assert squash(top) == squash(rendered[code].header)
            assert squash(subject) in squash(top)
            assert bottom == f"第 {number} 页 共 {total} 页"


def test_indicator_table_headings_repeat_on_every_page(
    rendered: dict[str, Rendered],
) -> None:
    with pdfplumber.open(BytesIO(rendered["suzhou-2023"].pdf)) as reader:
        first_rows = [
            [squash(c) for c in page.extract_tables()[0][0] if c is not None]
            for page in reader.pages
        ]
    # Page 3 starts with the rest of 年度目标 beside its label, then the indicator
    # tables begin (under their heading); pages 4-5 start inside them, with a heading row.
    assert first_rows[2][0] == "年度目标"
    assert first_rows[3:] == [
        ["一级指标", "二级指标", "三级指标", "半年指标值", "全年指标值"],
        ["一级指标", "二级指标", "重点工作", "三级指标", "半年指标值", "全年指标值"],
    ]


@pytest.mark.parametrize("code", SEEDS)
def test_all_fonts_are_embedded_subsets(
    rendered: dict[str, Rendered], code: str
) -> None:
    fonts = pdf_fonts(rendered[code].pdf)
    names = sorted(re.sub(r"^[A-Z]{6}\+", "", f[0]) for f in fonts)
    expected = ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]
    if code == "shanghai-2019":
        expected = ["DejaVu-Sans", *expected]  # the check boxes ☑ ☐
    assert names == expected
    for font in fonts:
        assert re.match(r"^[A-Z]{6}\+", font[0]), font
        # columns: name, type…, encoding, emb, sub, uni, object, generation
        assert font[-5:-2] == ["yes", "yes", "yes"], font


@pytest.mark.parametrize("code", SEEDS)
def test_text_read_back_equals_the_text_drawn(
    rendered: dict[str, Rendered], code: str
) -> None:
    """pdftotext gives back exactly the characters WeasyPrint laid out, margin boxes and
    repeated table headings included (compared as multisets: reading order differs)."""
    drawn = drawn_text(rendered[code].html)
    text = Counter(squash(rendered[code].text))
    assert text == drawn
    # …and the drawn text holds every character of the HTML twin.
    assert Counter(squash(visible_text(rendered[code].html))) <= text


@pytest.mark.parametrize("code", SEEDS)
def test_every_character_has_a_glyph_in_the_document_fonts(
    rendered: dict[str, Rendered], code: str, cmaps: list[set[int]]
) -> None:
    characters = set(squash(visible_text(rendered[code].html)))
    missing = sorted(c for c in characters if not any(ord(c) in cmap for cmap in cmaps))
    assert missing == []


@pytest.fixture(scope="module")
def cmaps() -> list[set[int]]:
    """The code points of the faces the print stylesheet names, as fontconfig finds them."""
    faces = []
    for family in ["Noto Serif CJK SC", "Noto Sans CJK SC:bold", "DejaVu Sans"]:
        match = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", family],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        path, index = match.rsplit(":", 1)
        font = TTFont(path, fontNumber=int(index or 0), lazy=True)
        faces.append(set(font.getBestCmap()))
        font.close()
    return faces


def test_levels_of_the_seed_forms_match_their_layouts() -> None:
    """The department form is the one with the 重点工作 level (a guard for the row test)."""
    levels = {
        code: {i.level for i in TargetForm.objects.get(code=code).indicators.all()}
        for code in SEEDS
    }
    assert IndicatorLevel.KEY_TASK in levels["suzhou-2023"]
    assert IndicatorLevel.LEVEL2 not in levels["shanghai-2019"]
