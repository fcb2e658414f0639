"""Reading an upload safely: type, corruption, encryption, zip bombs, extent, formulas."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from operations.layout import check_layout
from operations.reading import DEFAULT_LIMITS, FileRefused, Limits, read_table

ENCRYPTED = (
    Path(__file__).resolve().parents[3]
    / "fixtures/operating_data/bad/encrypted-password-secret.xlsx"
)
HEADER = ["填报单位", "指标", "期间", "数值", "单位", "备注"]
ORG = "天津市便民专线服务中心"


def workbook(
    rows: list[list[object]], *, merge: str = "", header: list[object] | None = HEADER
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "运行数据"
    if header is not None:
        ws.append(header)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def refused(name: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(FileRefused) as error:
        read_table(name, content, limits)
    return str(error.value)


def rezip(
    content: bytes, change: dict[str, bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change.get(info.filename, source.read(info)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_template_workbook_is_read_with_its_values() -> None:
    table = read_table(
        "a.xlsx", workbook([[ORG, "接听量", "2020", 1012.36, "万次", ""]])
    )
    assert table.format == "xlsx"
    assert table.sheet == "运行数据"
    assert table.rows[1][:5] == [ORG, "接听量", "2020", 1012.36, "万次"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report.pdf", "只接受 .xlsx 或 .csv 文件（收到的是“report.pdf”）"),
        ("data", "只接受 .xlsx 或 .csv 文件（收到的是“data”）"),
        (
            "old.xls",
            "不支持旧版 .xls 格式：请在 Excel 中“另存为 → Excel 工作簿（*.xlsx）”后上传",
        ),
        (
            "macro.xlsm",
            "不支持 .xlsm 格式：请另存为 Excel 工作簿（*.xlsx）或 CSV 后上传",
        ),
    ],
)
def test_only_xlsx_and_csv_are_accepted(name: str, message: str) -> None:
    assert refused(name, b"%PDF-1.7 something") == message


@pytest.mark.parametrize(
    "content", [b"not a workbook at all", b"PK\x03\x04" + b"\x00" * 100]
)
def test_a_corrupt_workbook_is_refused(content: bytes) -> None:
    assert (
        refused("a.xlsx", content)
        == "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后重新保存为 .xlsx"
    )


def test_a_truncated_workbook_is_refused() -> None:
    content = workbook([[ORG, "接听量", "2020", 1, "", ""]])
    assert refused("a.xlsx", content[: len(content) // 2]).startswith("文件已损坏")


def test_a_password_protected_workbook_is_refused() -> None:
    message = refused("secret.xlsx", ENCRYPTED.read_bytes())
    assert (
        message
        == "工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后重新保存再上传"
    )


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    bomb = rezip(
        workbook([]), {}, {"xl/media/image1.bin": b"\x00" * (20 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000
    message = refused("bomb.xlsx", bomb)
    assert re.fullmatch(
        r"工作簿中的“xl/media/image1\.bin”压缩比 \d+:1 超过上限 200:1，疑似压缩炸弹，已拒绝",
        message,
    )


def test_the_total_uncompressed_size_is_capped() -> None:
    content = workbook([[ORG, "接听量", "2020", 1, "", ""]])
    limits = Limits(max_uncompressed_bytes=10_000)
    assert refused("a.xlsx", content, limits).startswith(
        "工作簿解压后超过上限 9.8 KB（至少 "
    )


def test_too_many_zip_entries_are_refused() -> None:
    content = rezip(
        workbook([]), {}, {f"xl/extra/{i}.xml": b"<a/>" for i in range(250)}
    )
    assert refused("a.xlsx", content).startswith("工作簿内部文件数 2")


def test_a_huge_declared_dimension_is_refused() -> None:
    content = workbook([[ORG, "接听量", "2020", 1, "", ""]])
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    patched = re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', sheet
    )
    message = refused("a.xlsx", rezip(content, {"xl/worksheets/sheet1.xml": patched}))
    assert message == (
        "工作表声明的范围 A1:XFD1048576，超过上限（数据最多 20,000 行、20 列）："
        "请删除多余的行列，或分成几个文件上传"
    )


def test_too_many_rows_are_refused_with_the_limit() -> None:
    rows = [[ORG, "接听量", f"2020-{i % 12 + 1:02d}", i, "", ""] for i in range(20_001)]
    message = refused("a.xlsx", workbook(rows))
    assert message == (
        "工作表声明的范围 A1:F20002，超过上限（数据最多 20,000 行、20 列）："
        "请删除多余的行列，或分成几个文件上传"
    )


def test_a_cell_far_away_is_refused_even_without_a_dimension() -> None:
    content = workbook([[ORG, "接听量", "2020", 1, "", ""]])
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    patched = re.sub(rb"<dimension [^>]*/>", b"", sheet).replace(
        b"</sheetData>",
        b'<row r="90000"><c r="A90000" t="n"><v>1</v></c></row></sheetData>',
    )
    message = refused("a.xlsx", rezip(content, {"xl/worksheets/sheet1.xml": patched}))
    assert message.startswith("工作表实际使用到第 90000 行、第 F 列，超过上限")


def test_formulas_are_found_with_their_cells() -> None:
    content = workbook(
        [[ORG, "接听量", "2020", "=1+1", "", ""], [ORG, "呼入量", "2020", 5, "", ""]]
    )
    table = read_table("a.xlsx", content)
    assert table.formulas == ("D2",)
    sheet = check_layout(table)
    assert [(p.row, p.column, p.message) for p in sheet.problems] == [
        (
            2,
            "D",
            "单元格 D2 是公式：系统不使用公式（其缓存结果可能过时或缺失），请复制后“选择性粘贴 → 数值”再上传",
        )
    ]


def test_merged_header_cells_are_refused() -> None:
    sheet = check_layout(
        read_table(
            "a.xlsx", workbook([[ORG, "接听量", "2020", 1, "", ""]], merge="A1:B1")
        )
    )
    assert next((p.row, p.column, p.message) for p in sheet.problems) == (
        1,
        "A",
        "合并单元格 A1:B1：请取消合并，每个单元格只填一个值（表头也不要合并）",
    )


def test_a_title_row_above_the_header_is_refused() -> None:
    wb = workbook(
        [HEADER, [ORG, "接听量", "2020", 1, "", ""]], header=["热线运行数据填报表"]
    )
    assert [
        (p.row, p.message) for p in check_layout(read_table("a.xlsx", wb)).problems
    ] == [(1, "表头须在第 1 行：第 2 行才是表头，请删除上面的标题行（第 1–1 行）")]


def test_a_repeated_header_row_is_refused_and_blank_rows_are_ignored() -> None:
    rows = [
        [ORG, "接听量", "2020", 1, "", ""],
        [None] * 6,
        HEADER,
        [ORG, "呼入量", "2020", 2, "", ""],
    ]
    sheet = check_layout(read_table("a.xlsx", workbook(rows)))
    assert [(p.row, p.message) for p in sheet.problems] == [
        (4, "第 4 行重复了表头：请删除这一行（表头只保留第 1 行）")
    ]
    assert [number for number, _ in sheet.rows] == [2, 5]


def test_unknown_and_missing_columns_are_named() -> None:
    header = ["序号", "填报单位", "指标", "期间", "数量"]
    problems = check_layout(
        read_table("a.xlsx", workbook([[1, ORG, "接听量", "2020", 5]], header=header))
    ).problems
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "E", "表头“数量”不是模板中的列：请删除这一列，或改回模板的列名"),
        (1, "", "缺少“数值”列：请使用下载的模板"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding: str) -> None:
    text = ",".join(HEADER) + f"\r\n{ORG},接听量,2020,1012.36,万次,\r\n"
    table = read_table("a.csv", text.encode(encoding))
    assert table.rows[1] == [ORG, "接听量", "2020", "1012.36", "万次", ""]


def test_an_xlsx_renamed_to_csv_is_refused() -> None:
    message = refused("a.csv", workbook([]))
    assert (
        message
        == "这不是文本格式的 CSV 文件（看起来是 Excel 工作簿）：请把扩展名改回 .xlsx，或在 Excel 中另存为 CSV"
    )


def test_a_file_over_the_size_limit_is_refused() -> None:
    assert (
        refused("a.csv", b"x" * 2048, Limits(max_bytes=1024))
        == "文件大小 2 KB 超过上限 1 KB"
    )
