"""The kernel's one opener: every bound refused with a Chinese message that names it,
whatever the XML's quoting, prefixes or declarations, before a spreadsheet library runs."""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from kernel.spreadsheets import (
    DEFAULT_LIMITS,
    FileRefused,
    Limits,
    check_workbook,
    read_table,
)
from tests.hostile_files import (
    CRASH_WORKBOOK,
    HEADER_ROW,
    bomb_workbook,
    raw_workbook,
    sheet_xml,
    wide_workbook,
)

HEADER = ["填报单位", "指标", "期间", "数值", "单位", "备注"]
EXTENT = "超过上限（数据最多 20,000 行、20 列）：请删除多余的行列，或分成几个文件上传"


def refusal(
    content: bytes, name: str = "a.xlsx", limits: Limits = DEFAULT_LIMITS
) -> FileRefused:
    with pytest.raises(FileRefused) as refused:
        read_table(name, content, limits, sheet="运行数据")
    return refused.value


def bounded(run: object) -> tuple[float, int]:
    """(seconds, peak bytes traced) of calling ``run``."""
    tracemalloc.start()
    began = time.perf_counter()
    with contextlib.suppress(FileRefused):
        run()  # type: ignore[operator]
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def test_the_crash_workbook_is_refused_by_its_actual_extent() -> None:
    refused = refusal(CRASH_WORKBOOK)
    assert str(refused) == f"工作表实际使用到第 1048576 行、第 F 列，{EXTENT}"
    assert refused.code == "extent"
    seconds, peak = bounded(lambda: read_table("a.xlsx", CRASH_WORKBOOK))
    assert seconds < 1.0
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # a far cell on a row without a number: placed by its own reference
        (
            "<row><c r='XFD5'><v>1</v></c></row>",
            f"工作表实际使用到第 5 行、第 XFD 列，{EXTENT}",
        ),
        # references left out: each cell one after the previous
        (
            "<row r='2'>" + "<c><v>1</v></c>" * 21 + "</row>",
            f"工作表实际使用到第 2 行、第 U 列，{EXTENT}",
        ),
        # a namespace prefix changes nothing
        (
            "<x:row xmlns:x='http://schemas.openxmlformats.org/spreadsheetml/2006/main' r='30000'/>",
            f"工作表实际使用到第 30000 行、第 F 列，{EXTENT}",
        ),
    ],
)
def test_cells_are_placed_whatever_their_quoting_or_prefix(
    rows: str, message: str
) -> None:
    assert str(refusal(raw_workbook(sheet_xml(HEADER_ROW + rows)))) == message


def test_a_merged_range_beyond_the_extent_is_refused() -> None:
    sheet = sheet_xml(HEADER_ROW).replace(
        b"</sheetData>",
        b"</sheetData><mergeCells><mergeCell ref='A2:XFD1048576'/></mergeCells>",
    )
    assert str(refusal(raw_workbook(sheet))) == (
        f"工作表的合并单元格 A2:XFD1048576 超出范围，{EXTENT}"
    )


def test_the_cells_of_the_whole_workbook_are_counted() -> None:
    rows = "".join(
        f"<row r='{r}'>" + "<c><v>1</v></c>" * 6 + "</row>" for r in range(2, 40)
    )
    refused = refusal(
        raw_workbook(sheet_xml(HEADER_ROW + rows)), limits=Limits(max_cells=100)
    )
    assert str(refused) == (
        "工作簿的单元格（含合并单元格）超过 100 个的上限：请删除多余的内容，或分成几个文件上传"
    )


def test_formulas_are_found_whatever_their_prefix_or_form() -> None:
    rows = (
        "<row r='2'><c r='D2'><x:f xmlns:x='urn:any'>1+1</x:f><v>2</v></c>"
        "<c r='E2'><f t='shared' si='0'/><v>3</v></c><c r='F2'><v>4</v></c></row>"
    )
    table = read_table("a.xlsx", raw_workbook(sheet_xml(HEADER_ROW + rows)))
    assert table.formulas == ("D2", "E2")


def test_error_values_are_listed_with_their_cells() -> None:
    rows = "<row r='2'><c r='D2' t='e'><v>#DIV/0!</v></c></row>"
    table = read_table("a.xlsx", raw_workbook(sheet_xml(HEADER_ROW + rows)))
    assert table.errors == (("D2", "#DIV/0!"),)


@pytest.mark.parametrize(
    "cell",
    [
        "<c r='F2' t='inlineStr'><is><t>备注_x0001_</t></is></c>",
        "<c r='F2' t='str'><f>A1</f><v>a_x001F_b</v></c>",
    ],
)
def test_a_control_character_is_refused_with_its_cell(cell: str) -> None:
    refused = refusal(raw_workbook(sheet_xml(HEADER_ROW + f"<row r='2'>{cell}</row>")))
    assert refused.problems[0].message.startswith(
        "工作表“运行数据”单元格 F2 含控制字符 U+00"
    )
    assert (refused.problems[0].row, refused.problems[0].column) == (2, "F")


def test_a_control_character_in_a_shared_string_names_the_cell_using_it() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "运行数据"
    sheet.append(HEADER)
    sheet.append(["中心", "接听量", "2020", 1, "次", "ok"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2">'
        b"<si><t>fine</t></si><si><t>bad_x0007_</t></si></sst>"
    )
    rows = HEADER_ROW + "<row r='3'><c r='B3' t='s'><v>1</v></c></row>"
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(rows)
            target.writestr(info.filename, data)
        if "xl/sharedStrings.xml" not in source.namelist():
            target.writestr("xl/sharedStrings.xml", strings)
    refused = refusal(out.getvalue())
    assert str(refused).startswith("工作表“运行数据”单元格 B3 含控制字符 U+0007")


def test_more_shared_strings_than_cells_are_refused() -> None:
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * 101
        + b"</sst>"
    )
    content = raw_workbook(
        sheet_xml(HEADER_ROW), extra={"xl/sharedStrings.xml": strings}
    )
    assert str(refusal(content, limits=Limits(max_cells=100))) == (
        "工作簿的共享字符串超过 100 个的上限（比单元格上限还多）：请在 Excel 中另存为新文件后再上传"
    )


def test_a_cell_longer_than_excel_allows_is_refused() -> None:
    long = "字" * 40_000
    rows = f"<row r='2'><c r='F2' t='inlineStr'><is><t>{long}</t></is></c></row>"
    content = raw_workbook(sheet_xml(HEADER_ROW + rows))
    assert str(refusal(content, limits=Limits(max_ratio=10_000))) == (
        "工作表“运行数据”单元格 F2 有 32,767+ 个字符，超过每个单元格 32,767 个字符的上限："
        "请缩短内容后重新上传"
    )


def test_a_document_type_declaration_is_refused() -> None:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet_xml(b"")[38:]
    )
    refused = refusal(raw_workbook(sheet))
    assert refused.code == "dtd"
    assert str(refused) == "工作簿含有文档类型声明（DTD），可能是恶意构造的文件，已拒绝"


def test_a_bomb_is_stopped_while_decompressing_within_bounded_memory() -> None:
    bomb = bomb_workbook(200)
    refused = refusal(bomb)
    assert (
        str(refused)
        == "工作簿解压后超过上限 50 MB（至少 200 MB），疑似压缩炸弹，已拒绝"
    )
    # Within a larger total, the entry is refused by its compression ratio.
    refused = refusal(bomb, limits=Limits(max_uncompressed_bytes=1 << 30))
    assert str(refused).startswith("工作簿中的“xl/media/image1.png”压缩比 ")
    seconds, peak = bounded(
        lambda: check_workbook(bomb, Limits(max_uncompressed_bytes=1 << 30))
    )
    assert seconds < 1.0
    assert peak < 20 * 1024 * 1024


def test_the_wide_sheet_stops_at_its_first_cell_beyond_the_columns() -> None:
    content = wide_workbook()
    limits = Limits(max_ratio=10_000)
    refused = refusal(content, limits=limits)
    assert str(refused) == f"工作表实际使用到第 1 行、第 U 列，{EXTENT}"
    seconds, peak = bounded(lambda: check_workbook(content, limits))
    assert seconds < 1.0
    assert peak < 20 * 1024 * 1024


# --------------------------------------------------------------------------- csv


@pytest.mark.parametrize(
    "content",
    [
        "填报单位,指标\r\n中心,接听量\r\n".encode("utf-16"),
        "填报单位,指标\r\n".encode("utf-16-le"),
        "a,b\r\n".encode("utf-16-be"),
    ],
)
def test_a_utf16_csv_is_named_as_such(content: bytes) -> None:
    assert str(refusal(content, "a.csv")) == (
        "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请在 Excel 中另存为"
        "“CSV UTF-8（逗号分隔）”后上传"
    )


def test_a_nul_in_a_csv_is_a_control_character_in_its_cell() -> None:
    content = (
        ",".join(HEADER).encode() + b"\r\n\xe4\xb8\xad,\xe6\x8e\xa5\x00,2020,1,,\r\n"
    )
    refused = refusal(content, "a.csv")
    assert str(refused) == (
        "单元格 B2 含控制字符 U+0000（不可见字符，多由其他系统导出时带入）："
        "请删除该字符后重新上传"
    )
    assert (refused.problems[0].row, refused.problems[0].column) == (2, "B")


@pytest.mark.parametrize("length", [40_000, 140_000])
def test_an_overlong_csv_field_states_the_cell_length_limit(length: int) -> None:
    content = f'{",".join(HEADER)}\r\n中心,接听量,2020,1,,"{"x" * length}"\r\n'.encode()
    refused = refusal(content, "a.csv")
    assert refused.code == "cell_length"
    assert "超过每个单元格 32,767 个字符的上限" in str(refused)
    assert refused.problems[0].row == 2


def test_unbalanced_quotes_are_still_named_as_such() -> None:
    content = f'{",".join(HEADER)}\r\n中心,"接听量,2020,1\r\n'.encode()
    assert str(refusal(content, "a.csv")).startswith("CSV 文件格式有误（第 ")
