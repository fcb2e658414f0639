"""The two seed evaluation reports as PDF, read back: headings, tables, text, fonts, pages.

Each report is rendered once per module through the pipeline (``document_render``) and read
back with poppler (``pdftotext``, ``pdffonts``) and pdfplumber (table cells). The expected
table figures are those the seed reports print (seed 001 表1-1, 1-2, 1-3, 2 and 3; seed 004's
execution and scores), so the whole path — stored rows, selectors, engine, formatting,
layout — is checked against the published documents.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

import pdfplumber
import pytest

from documents.evaluation_reports import EvaluationReport, FigureBlock
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_html, document_render
from evaluations.models import Evaluation
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

SEEDS = ["tianjin-2020", "panjin-2023"]


@dataclass(frozen=True)
class Rendered(ReadBack):
    code: str
    html: str
    report: EvaluationReport
    header: str

    @property
    def body_text(self) -> str:
        """The squashed text without the page furniture (running header, page numbers)."""
        text = squash(self.text).replace(squash(self.header), "")
        total = len(self.pages)
        for number in range(1, total + 1):
            text = text.replace(f"第{number}页共{total}页", "")
        return text


def _read(code: str) -> Rendered:
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    document = doctype.build(code)
    report = document.context["report"]
    assert isinstance(report, EvaluationReport)
    back = read_back(document_render(doctype, document, DocumentFormat.PDF))
    return Rendered(
        **vars(back),
        code=code,
        html=document_html(document),
        report=report,
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
        "2020年天津市便民专线服务中心运行经费项目绩效评价报告",
        "目录",
        "一、项目基本情况",
        "（一）项目概况",
        "1.立项依据",
        "2.主要内容",
        "3.项目组织管理",
        "4.资金投入和使用情况",
        "表1-1预算执行情况明细表",
        "表1-2工资福利支出明细表",
        "表1-3商品和服务支出明细表",
        "（二）项目绩效目标",
        "二、绩效评价工作开展情况",
        "（一）评价依据",
        "（二）评价方法",
        "（三）评价结果等级划分",
        "（四）评价指标体系",
        "（五）评价工作过程",
        "三、评价结论及分析",
        "（一）综合评价结论",
        "表2天津市便民专线服务中心运行经费绩效得分情况表",
        "图1各一级指标得分率",
        "（二）项目决策（17分）",
        "1.项目立项（5分※）",
        "2.绩效目标（6分※）",
        "3.资金投入（6分※）",
        "（三）项目过程（23分）",
        "1.资金管理（13分※）",
        "2.组织实施（10分※）",
        "（四）项目产出（38分）",
        "1.产出数量（15分※）",
        "2.产出质量（10分※）",
        "3.产出成本（8分※）",
        "表3项目成本统计情况表",
        "图22018-2020年接听量、人工成本及人员流失率（虚线为2018年-2019年均值）",
        "4.产出时效（5分※）",
        "（五）项目效益（22分）",
        "1.社会效益（15分※）",
        "2.可持续影响（3分※）",
        "3.服务对象满意度（4分※）",
        "四、存在的主要问题",
        "（一）绩效目标设置合理性不足",
        "（二）预算调整未履程序，预算执行约束力不强",
        "（三）未制定地方政务服务热线规范标准",
        "（四）未留存后台原始数据，资料归档存在不足",
        "五、相关建议",
        "（一）突出工作重点，合理设置绩效指标",
        "（二）加强预算管理，严格执行预算调整程序",
        "（三）完善现有制度，细化地方服务标准",
        "（四）强化风险意识，做好后台数据保存",
        "评价机构：第三方专业机构（评价组）",
        "委托单位：天津市财政局",
    ],
    "panjin-2023": [
        "2023年度12345热线平台运营及人员外包经费项目（政策）重点绩效评价报告",
        "目录",
        "一、项目基本情况",
        "（一）项目概况",
        "1.立项依据",
        "2.主要内容",
        "3.项目组织管理",
        "4.资金投入和使用情况",
        "表1-1预算执行情况明细表",
        "（二）项目绩效目标",
        "二、绩效评价工作开展情况",
        "（一）评价目的",
        "（二）评价对象与范围",
        "（三）评价依据",
        "（四）评价原则",
        "（五）评价方法",
        "（六）评价结果等级划分",
        "（七）评价指标体系",
        "（八）评价工作过程",
        "三、评价结论及分析",
        "（一）综合评价结论",
        "表212345热线平台运营及人员外包绩效得分情况表",
        "图1各一级指标得分率",
        "（二）决策（6分）",
        "1.项目立项（2分）",
        "（三）管理（24分）",
        "2.预算管理（22分）",
        "（四）产出（40分）",
        "（五）效益（30分）",
        "2.可持续影响（15分）",
        "四、相关建议",
        "（一）深化技术创新与应用",
        "（二）加强人员培训与发展",
        "（三）建立持续改进机制",
        "评价单位：盘锦市营商环境建设局",
        "委托单位：盘锦市财政局",
        "2024年5月27日",
    ],
}

# Headings a report leaves out because the evaluation has no text for them.
ABSENT = {
    "tianjin-2020": ["评价目的", "评价对象与范围", "评价原则", "表1-4"],
    "panjin-2023": ["存在的主要问题", "表1-2", "表1-3", "表3", "图2", "※"],
}


@pytest.mark.parametrize("code", SEEDS)
def test_every_heading_is_printed_and_empty_ones_are_left_out(
    rendered: dict[str, Rendered], code: str
) -> None:
    text = squash(rendered[code].text)
    assert [h for h in HEADINGS[code] if squash(h) not in text] == []
    assert [h for h in ABSENT[code] if h in text] == []


# 表1-1 as printed in seed 001 (and the one 合计 row Panjin's report states in words).
BUDGET_ROWS = {
    "tianjin-2020": [
        ["类别", "预算金额", "到位金额", "支出金额", "预算执行率"],
        ["工资福利支出", "9113.78", "9113.78", "9098.24", "99.83%"],
        ["商品和服务支出", "1969.62", "1969.62", "1978.55", "100.45%"],
        ["资本性支出", "9", "9", "0", "0%"],
        ["合计", "11092.40", "11092.40", "11076.79", "99.86%"],
    ],
    "panjin-2023": [
        ["类别", "预算金额", "到位金额", "支出金额", "预算执行率"],
        ["合计", "360", "360", "360", "100%"],
    ],
}

# 表2 (seed 001) and the scores Panjin's report prints in 三、.
SCORE_ROWS = {
    "tianjin-2020": [
        ["指标", "项目决策", "项目过程", "项目产出", "项目效益", "合计"],
        ["分值", "17", "23", "38", "22", "100"],
        ["得分", "15", "19.50", "38", "19.87", "92.37"],
        ["得分率", "88.24%", "84.78%", "100%", "90.32%", "92.37%"],
    ],
    "panjin-2023": [
        ["指标", "决策", "管理", "产出", "效益", "合计"],
        ["分值", "6", "24", "40", "30", "100"],
        ["得分", "6", "24", "40", "30", "100"],
        ["得分率", "100%", "100%", "100%", "100%", "100%"],
    ],
}

PAYROLL_ROWS = [
    ["总监", "1", "1", "17.47", "11.05", "3.99", "2.43"],
    ["质检", "-", "4", "36.20", "23.64", "8.08", "4.48"],
    ["指导老师", "13", "16", "180.85", "110.36", "44.57", "25.92"],
    ["培训导师", "-", "1", "7.47", "4.57", "1.87", "1.03"],
    ["网络班长", "-", "1", "12.48", "8.10", "2.73", "1.65"],
    ["现场班长", "2", "2", "31.82", "20.19", "7.39", "4.24"],
    ["新媒体专业组班长", "1", "-", "2.97", "1.48", "0.90", "0.59"],
    ["现场班长助理", "4", "4", "59.95", "37.87", "13.73", "8.35"],
    ["班长助理", "3", "3", "44.80", "27.78", "10.82", "6.20"],
    ["组长", "61", "63", "766.80", "476.53", "181.28", "108.99"],
    ["话务岗", "780", "814", "7937.43", "5127.60", "1772.42", "1037.41"],
    ["合计", "865", "909", "9098.24", "5849.17", "2047.78", "1201.29"],
]

GOODS_ROWS = [
    ["商品和服务支出内容", "实际支出金额"],
    ["物业费", "178.06"],
    ["办公费", "122.85"],
    ["差旅费", "0.62"],
    ["经营用房租赁费", "1052.50"],
    ["设备租赁费", "102.10"],
    ["网络信息化费用", "130.38"],
    ["工会经费", "123.98"],
    ["评审费", "1.19"],
    ["培训费", "0.23"],
    ["物料消耗费", "166.53"],
    ["税金", "58.19"],
    ["其他", "41.92"],
    ["合计", "1978.55"],
]

# 表3 of seed 001: every figure, in its row and column.
COST_ROWS = [
    ["指标\\年度", "2020年", "2019年", "2018年", "2018年-2019年均值"],
    ["接听量（万次）", "1012.36", "562.05", "544.77", "553.41"],
    ["人工费用（万元）", "9098.24", "6826.25", "4884.18", "5855.22"],
    ["月均人员数量（人）", "909", "777", "621", "699"],
    ["月均流失人数¹（人）", "10", "23", "15", "19"],
    ["月均人员流失率", "1.10%", "2.96%", "2.42%", "2.72%"],
    ["月均人员流失率较均值流失率降低程度²", "59.56%", "-", "-", "-"],
    ["每1万接听量人工成本（万元）", "8.99", "12.15", "8.97", "10.58"],
    ["每1万接听量人工成本较历史均值增长率³", "-15.03%", "-", "-", "-"],
    ["单位人工成本（万元）", "10.01", "8.79", "7.87", "8.38"],
    ["单位人工成本较历史均值增长率⁴", "19.45%", "-", "-", "-"],
]

# The footnotes of 表3, as seed 001 words them (注¹–注⁴).
COST_NOTES = [
    "注¹：月均人员流失数为2020年全年累计流失人数÷12确定的。",
    "注²：月均人员流失率较均值流失率降低程度为（2018年至2019年期间平均月均人员流失率"
    "-2020年度月均人员流失率）÷2018年至2019年期间平均月均人员流失率。",
    "注³：每1万接听量人工成本较历史均值增长率为（2020年每1万接听量人工成本-2018年至"
    "2019年期间平均每1万接听量人工成本）÷2018年至2019年期间平均每1万接听量人工成本。",
    "注⁴：单位人工成本较历史均值增长率为（2020年单位人工成本-2018年至2019年期间平均"
    "单位人工成本）÷2018年至2019年期间平均单位人工成本。",
]


@pytest.mark.parametrize("code", SEEDS)
def test_budget_and_score_tables_come_back_cell_by_cell_in_their_rows(
    rendered: dict[str, Rendered], code: str
) -> None:
    for rows in (BUDGET_ROWS[code], SCORE_ROWS[code]):
        for cells in rows:
            assert rendered[code].row_with(*cells) == cells


def test_tianjin_detail_and_cost_tables_come_back_cell_by_cell(
    rendered: dict[str, Rendered],
) -> None:
    report = rendered["tianjin-2020"]
    for cells in [*PAYROLL_ROWS, *GOODS_ROWS, *COST_ROWS]:
        assert report.row_with(*cells) == cells
    # The payroll heading: two rows, 其中： over its three columns.
    assert report.row_with("职务", "2020年末人数", "2020年月均人数") == [
        "职务",
        "2020年末人数",
        "2020年月均人数",
        "工资福利支出总额",
        "其中：",
    ]
    assert report.row_with("基本工资等", "保险", "公积金") == [
        "基本工资等",
        "保险",
        "公积金",
    ]
    body = report.body_text
    assert [note for note in COST_NOTES if squash(note) not in body] == []


@pytest.mark.parametrize("code", SEEDS)
def test_table_headings_repeat_on_every_page_a_table_runs_onto(
    rendered: dict[str, Rendered], code: str
) -> None:
    """Every piece of a table on a page starts with the table's heading row, and no row
    is split (each row comes back whole, above)."""
    tables = [BUDGET_ROWS[code], SCORE_ROWS[code]]
    if code == "tianjin-2020":
        tables += [[["职务"], *PAYROLL_ROWS], GOODS_ROWS, COST_ROWS]
    heading_of = {row[0]: rows[0][0] for rows in tables for row in rows[1:]}
    pieces = []
    for number, page in enumerate(rendered[code].tables, start=1):
        for table in page:
            labels = [row[0] for row in table if row and row[0] in heading_of]
            if labels:
                pieces.append((number, table[0][0], heading_of[labels[0]]))
    assert [(n, first) for n, first, heading in pieces if first != heading] == []
    # Tianjin's 表1-3 and 表3 each run over a page break.
    assert [(n, first) for n, first, _heading in pieces] == {
        "tianjin-2020": [
            (3, "类别"),
            (3, "职务"),
            (3, "商品和服务支出内容"),
            (4, "商品和服务支出内容"),
            (5, "指标"),
            (8, "指标\\年度"),
            (9, "指标\\年度"),
        ],
        "panjin-2023": [(3, "类别"), (5, "指标")],
    }[code]


@pytest.mark.parametrize("code", SEEDS)
def test_every_indicator_is_analysed_with_weight_target_actual_score_and_reason(
    rendered: dict[str, Rendered], code: str
) -> None:
    body = rendered[code].body_text
    evaluation = Evaluation.objects.get(code=code)
    leaves = [
        i for i in evaluation.indicators.order_by("position") if not i.children.exists()
    ]
    assert len(leaves) == {"tianjin-2020": 28, "panjin-2023": 16}[code]
    missing = []
    for leaf in leaves:
        mark = "※" if leaf.weight_reconstructed else ""
        weight = f"{leaf.weight.normalize():f}"
        expected = [f"{leaf.name}（{weight}分{mark}）", leaf.reason]
        if leaf.target_text:
            expected.append(f"指标值：{leaf.target_text}")
        if leaf.actual_text:
            expected.append(f"实际完成值：{leaf.actual_text}")
        score = f"{leaf.final_score:.2f}".removesuffix(".00")
        expected.append(f"得{score}分")
        missing += [e for e in expected if squash(e) not in body]
    assert missing == []


def test_scores_are_stated_once_with_the_reports_wording(
    rendered: dict[str, Rendered],
) -> None:
    panjin = rendered["panjin-2023"].body_text
    # The reason already ends with the score: it is not repeated.
    assert squash("（2）话务接通率（10分）") in panjin
    stated = squash("接通率指标为98.01%，达到80%指标要求。依据评分细则，得10分。")
    assert panjin.count(stated) == 1
    assert "依据评分细则，得10分。依据评分细则" not in panjin
    tianjin = rendered["tianjin-2020"].body_text
    assert squash("（1）坐席电话接听率（5分※）") in tianjin
    assert squash("实际接听率高于原设定的计划接听率。依据评分细则，得5分※。") in tianjin
    # The footnote that explains ※, once, at the foot of the page of the first mark.
    note = squash("※重构：原报告未公布该分值或得分")
    pages = [squash(p) for p in rendered["tianjin-2020"].pages]
    assert [n for n, page in enumerate(pages, 1) if note in page] == [5]


@pytest.mark.parametrize("code", SEEDS)
def test_every_finding_and_recommendation_is_printed_whole(
    rendered: dict[str, Rendered], code: str
) -> None:
    evaluation = Evaluation.objects.get(code=code)
    body = rendered[code].body_text
    texts = [
        text
        for item in [*evaluation.findings.all(), *evaluation.recommendations.all()]
        for text in (item.title, item.text)
    ]
    assert len(texts) == {"tianjin-2020": 16, "panjin-2023": 6}[code]
    assert [t for t in texts if squash(t) not in body] == []


@pytest.mark.parametrize("code", SEEDS)
def test_opening_and_conclusion_state_the_engines_score_and_grade(
    rendered: dict[str, Rendered], code: str
) -> None:
    body = rendered[code].body_text
    sentence = {
        "tianjin-2020": "该项目评价结果为92.37分，评价等级为“优”。有关情况如下。",
        "panjin-2023": "该项目评价结果为100分，评价等级为“优”。",
    }[code]
    assert squash(sentence) in body
    system = {
        "tianjin-2020": "项目决策、项目过程、项目产出、项目效益4个一级指标、12个二级指标和28个三级指标，满分为100分。",
        "panjin-2023": "决策、管理、产出、效益4个一级指标、9个二级指标和16个三级指标，满分为100分。",
    }[code]
    assert squash(system) in body
    bands = "综合得分90（含）-100分为“优”，80（含）-90分为“良”，60（含）-80分为“中”，60分以下为“差”。"
    assert squash(bands) in body


@pytest.mark.parametrize("code", SEEDS)
def test_pages_are_a4_numbered_with_the_running_header_and_a_table_of_contents(
    rendered: dict[str, Rendered], code: str
) -> None:
    report = rendered[code]
    total = {"tianjin-2020": 12, "panjin-2023": 8}[code]
    with pdfplumber.open(BytesIO(report.pdf)) as reader:
        assert len(reader.pages) == total
        for number, page in enumerate(reader.pages, start=1):
            assert (round(page.width), round(page.height)) == (595, 842)
            top = page.crop((0, 0, page.width, 68)).extract_text()
            bottom = page.crop(
                (0, page.height - 62, page.width, page.height)
            ).extract_text()
            assert squash(top) == squash(report.header)
            assert bottom == f"第 {number} 页 共 {total} 页"
    # The contents (page 1) give the page each section heading is on.
    contents = report.pages[0]
    pages = [squash(p) for p in report.pages]
    checked = 0
    for entry in report.report.contents:
        match = re.search(rf"{re.escape(entry.text)}\s*\.*\s*(\d+)\s*$", contents, re.M)
        assert match is not None, entry.text
        on = int(match.group(1))
        assert squash(entry.text) in pages[on - 1], entry.text
        checked += 1
    assert checked == {"tianjin-2020": 25, "panjin-2023": 22}[code]


@pytest.mark.parametrize("code", SEEDS)
def test_the_only_font_is_an_embedded_subset_of_noto_serif_cjk(
    rendered: dict[str, Rendered], code: str
) -> None:
    fonts = pdf_fonts(rendered[code].pdf)
    assert [re.sub(r"^[A-Z]{6}\+", "", f[0]) for f in fonts] == ["Noto-Serif-CJK-SC"]
    for font in fonts:
        assert re.match(r"^[A-Z]{6}\+", font[0]), font
        assert font[-5:-2] == ["yes", "yes", "yes"], font  # emb, sub, uni


@pytest.mark.parametrize("code", SEEDS)
def test_text_read_back_equals_the_text_drawn(
    rendered: dict[str, Rendered], code: str
) -> None:
    """pdftotext gives back exactly the characters laid out — text boxes (margin boxes,
    repeated table headings, contents page numbers and the footnote included) and the
    charts' SVG labels — compared as multisets, since reading order differs."""
    report = rendered[code]
    drawn = drawn_text(report.html)
    for chart in report.report.charts:
        drawn.update(squash("".join(chart.texts)))
    text = Counter(squash(report.text))
    assert text == drawn
    # …and the drawn text holds every character of the HTML twin.
    assert Counter(squash(visible_text(report.html))) <= text


@pytest.mark.parametrize("code", SEEDS)
def test_charts_are_vectors_with_their_labels_as_text(
    rendered: dict[str, Rendered], code: str
) -> None:
    figures = [b for b in rendered[code].report.blocks if isinstance(b, FigureBlock)]
    assert [f.number for f in figures] == {
        "tianjin-2020": ["图1", "图2"],
        "panjin-2023": ["图1"],
    }[code]
    texts = figures[0].chart.texts
    rates = next(row[1:-1] for row in SCORE_ROWS[code] if row[0] == "得分率")
    names = SCORE_ROWS[code][0][1:-1]
    assert [r for r in rates if r not in texts] == []
    assert [n for n in names if n not in texts] == []
    with pdfplumber.open(BytesIO(rendered[code].pdf)) as reader:
        assert sum(len(page.images) for page in reader.pages) == 0  # no raster
    if code == "tianjin-2020":
        trend = figures[1].chart.texts
        for label in [
            "接听量（万次）",
            "每1万接听量人工成本（万元）",
            "月均人员流失率",
        ]:
            assert label in trend
        for value in ["544.77", "562.05", "1012.36", "8.97", "12.15", "8.99"]:
            assert value in trend
        for value in ["2.42%", "2.96%", "1.10%"]:
            assert value in trend
        assert "均值 553.41" in trend
