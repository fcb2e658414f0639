"""What the fuzz tests feed the readers (not a test module): random bytes, random CSV text,
and workbooks built from a valid one and then mutated — in their XML (quoting, references,
prefixes, formulas, error values, escapes, declarations, long text) or in their bytes."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any, Final

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.hostile_files import CRASH_WORKBOOK, wide_workbook

PROFILE: Final = os.environ.get("HYPOTHESIS_PROFILE", "fuzz-ci")
FUZZ: Final = settings(
    # A short budget in every test run (CI included); `HYPOTHESIS_PROFILE=fuzz-long` for
    # the documented longer run.
    max_examples=2000 if PROFILE == "fuzz-long" else 40,
    deadline=None,  # each example is timed by the test itself, with its own bound
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=PROFILE != "fuzz-long",
    database=None,
)

CASES: dict[str, int] = {}
"""Examples tried, by reader: printed at the end of the run (tests/fuzz/conftest.py)."""


def count(reader: str) -> None:
    CASES[reader] = CASES.get(reader, 0) + 1


def _workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


OPERATING: Final = _workbook(
    {
        "运行数据": [
            ["填报单位", "指标", "期间", "数值", "单位", "备注"],
            ["天津市便民专线服务中心", "接听量", "2020", 1012.36, "万次", ""],
            ["天津市便民专线服务中心", "呼入量", "2020-03", "1,012", "万次", "=1+1"],
        ]
    }
)
EVALUATION: Final = _workbook(
    {
        "评分表": [
            [
                "指标编号",
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "评分标准",
                "得分",
                "评分说明",
            ],
            [1, "产出", "数量", "接通率", 10, "达到 90%", 8, "复核"],
            [2, "效益", "满意度", "满意率", 10, "", "1e400", None],
        ],
        "评价信息": [["项目", "值"], ["评价代码", "panjin-2023"], ["年度", 2023]],
        "预算执行": [["类别", "预算"], ["人员", 360]],
    }
)
TARGET: Final = _workbook(
    {
        "Sheet1": [
            ["项目支出绩效目标表"],
            ["（2020年度）"],
            ["项目名称", "热线运行"],
            ["项目资金（万元）", 100],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "坐席数", "≥560 个"],
            ["效益指标", "满意度", "满意率", "90%以上"],
        ]
    }
)
SEEDS: Final = {
    "operating": OPERATING,
    "evaluation": EVALUATION,
    "target": TARGET,
    "crash": CRASH_WORKBOOK,
    "wide": wide_workbook(20, 400),
}

_XML_MUTATIONS: Final[list[tuple[bytes, bytes]]] = [
    (b'"', b"'"),  # quoting
    (b' r="', b" r='9999999' x=\""),
    (b'r="A', b'r="XFD'),
    (b'r="B', b'r="B1048576" y="'),
    (
        b"<c ",
        b"<x:c xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main' ",
    ),
    (b"<v>", b"<f>SUM(A1:A9)</f><v>"),
    (b't="n"', b't="e"'),
    (b't="inlineStr"', b't="str"'),
    (b"<t>", b"<t>_x0001_"),
    (b"<t>", b"<t>" + b"\xe5\xad\x97" * 40_000),
    (
        b"</sheetData>",
        b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>",
    ),
    (
        b"</sheetData>",
        b"</sheetData><mergeCells><mergeCell ref='A1:XFD1048576'/></mergeCells>",
    ),
    (b'<dimension ref="', b'<dimension ref="A1:XFD1048576" z="'),
    (b"<sheetData>", b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 3000),
    (b"<?xml", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><?xml'),
    (b"<row", b"<row r='abc'"),
    (b"<v>", b"<v>1e400"),
    (b"<v>", b"<v>&#1;"),
]


@st.composite
def mutated_workbooks(draw: st.DrawFn, seeds: tuple[str, ...]) -> bytes:
    """A seed workbook with a few XML mutations of its parts, then perhaps a few byte
    mutations of the whole zip."""
    seed = SEEDS[draw(st.sampled_from(seeds))]
    source = zipfile.ZipFile(io.BytesIO(seed))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(parts)
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(names))
        old, new = draw(st.sampled_from(_XML_MUTATIONS))
        count_ = draw(st.sampled_from([1, -1]))
        parts[name] = parts[name].replace(old, new, count_)
    if draw(st.booleans()):
        name = draw(st.sampled_from(names))
        cut = draw(st.integers(0, max(len(parts[name]) - 1, 0)))
        parts[name] = (
            parts[name][:cut] + draw(st.binary(max_size=20)) + parts[name][cut:]
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, parts[name])
    content = bytearray(out.getvalue())
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
        at = draw(st.integers(0, len(content) - 1))
        content[at] = draw(st.integers(0, 255))
    return bytes(content)


random_bytes = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=200).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
)

_CSV_ALPHABET: Final = st.sampled_from(
    list(',"\r\n 0123456789.-%万次年月接听量填报单位指标期间数值e\t\x00\x01１，')
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    body = draw(st.text(_CSV_ALPHABET, max_size=400))
    if draw(st.integers(0, 9)) == 0:
        body += "1" * draw(st.integers(30_000, 140_000)) + " a b"
    text = "填报单位,指标,期间,数值,单位,备注\r\n" + body
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")
