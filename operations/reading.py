"""Reading an uploaded operating-data file into a table of raw cells, safely.

Pure Python (no Django). The file is checked before any spreadsheet library opens it:

1. Name and content: only ``.xlsx`` and ``.csv``; an ``.xlsx`` must be a zip (an OLE2 file
   is an encrypted workbook or a legacy ``.xls``; anything else is corrupt).
2. The zip, from its central directory *and* by decompressing every entry with a byte
   budget (a declared size can lie): at most ``max_entries`` entries,
   ``max_uncompressed_bytes`` in total, and no entry compressed more than
   ``max_ratio`` times.
3. The data sheet's XML: its declared ``<dimension>`` and every cell reference must lie
   within ``max_rows`` data rows and ``max_columns`` columns (a reader allocates the whole
   declared rectangle); formulas are refused with the cells that hold them — the cached
   value may be stale or missing (a program-written workbook has none), so the centre pastes
   values instead; merged cells are refused (a merged header is ambiguous).

Only then is the sheet read, with python-calamine (~10× faster than openpyxl). XML is parsed
with defusedxml. A CSV is decoded as UTF-8 (with or without BOM) or GB18030 (what Excel saves
on Chinese Windows).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import defusedxml.ElementTree as SafeET
import python_calamine

DATA_SHEET: Final = "运行数据"
OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC: Final = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 20
    max_entries: int = 200
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 200


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True, slots=True)
class Problem:
    """An error in the file: ``row`` and ``column`` as a spreadsheet shows them (1, "D"),
    0 and "" when the whole file is concerned."""

    message: str
    row: int = 0
    column: str = ""
    header: str = ""


class FileRefused(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)


def refuse(message: str, *, row: int = 0, column: str = "") -> FileRefused:
    return FileRefused([Problem(message, row, column)])


@dataclass(frozen=True, slots=True)
class Table:
    """The raw cells of the data sheet: ``rows[i]`` is spreadsheet row ``i + 1``."""

    format: str  # "xlsx" | "csv"
    sheet: str
    rows: list[list[object]]
    merged: tuple[str, ...] = ()
    formulas: tuple[str, ...] = field(default=())


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" → 0, "AA" → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def read_table(name: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> Table:
    """The data sheet of ``content`` (an upload named ``name``), or ``FileRefused``."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if len(content) > limits.max_bytes:
        raise refuse(
            f"文件大小 {size_text(len(content))} 超过上限 {size_text(limits.max_bytes)}"
        )
    if not content:
        raise refuse("文件是空的（0 字节）")
    if suffix == "csv":
        return _read_csv(content, limits)
    if suffix == "xls":
        raise refuse(
            "不支持旧版 .xls 格式：请在 Excel 中“另存为 → Excel 工作簿（*.xlsx）”后上传"
        )
    if suffix in ("xlsm", "xlsb", "et", "ods", "numbers"):
        raise refuse(
            f"不支持 .{suffix} 格式：请另存为 Excel 工作簿（*.xlsx）或 CSV 后上传"
        )
    if suffix != "xlsx":
        raise refuse(f"只接受 .xlsx 或 .csv 文件（收到的是“{name}”）")
    if content.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise refuse(
                "工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后重新保存再上传"
            )
        raise refuse(
            "这是旧版 .xls 文件（只是扩展名为 .xlsx）：请另存为 Excel 工作簿（*.xlsx）后上传"
        )
    if not content.startswith(ZIP_MAGIC):
        raise refuse(_CORRUPT)
    return _read_xlsx(content, limits)


_CORRUPT: Final = (
    "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后重新保存为 .xlsx"
)


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(content: bytes, limits: Limits) -> Table:
    parts = _scan_zip(content, limits)
    sheet_name, sheet_path = _data_sheet(parts)
    xml = parts.get(sheet_path)
    if xml is None:
        raise refuse(_CORRUPT)
    _check_extent(xml, limits)
    formulas = _formula_cells(xml)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
        merged_ranges = sheet.merged_cell_ranges or []
    except python_calamine.PasswordError:
        raise refuse("工作簿设置了密码：请取消密码后重新保存再上传") from None
    except Exception:  # calamine raises several error types for a broken workbook
        raise refuse(_CORRUPT) from None
    merged = tuple(
        f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
        for (r1, c1), (r2, c2) in merged_ranges
    )
    return Table("xlsx", sheet_name, [list(r) for r in rows], merged, formulas)


def _scan_zip(content: bytes, limits: Limits) -> dict[str, bytes]:
    """Check the archive and return the decompressed XML parts the checks need."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(_CORRUPT) from None
    if len(entries) > limits.max_entries:
        raise refuse(
            f"工作簿内部文件数 {len(entries)} 超过上限 {limits.max_entries}：不像是普通的数据表"
        )
    if any(e.flag_bits & 0x1 for e in entries):
        raise refuse("工作簿设置了密码（已加密）：请取消密码后重新保存再上传")
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_uncompressed_bytes:
        raise refuse(_too_big(declared, limits))
    wanted: dict[str, bytes] = {}
    budget = limits.max_uncompressed_bytes
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > limits.max_ratio:
            raise refuse(
                f"工作簿中的“{entry.filename}”压缩比 {ratio:.0f}:1 超过上限 "
                f"{limits.max_ratio}:1，疑似压缩炸弹，已拒绝"
            )
        data = _inflate(archive, entry, budget, limits)
        budget -= len(data)
        if entry.filename.startswith(
            ("xl/worksheets/", "xl/workbook.xml", "xl/_rels/")
        ):
            wanted[entry.filename] = data
    return wanted


def _inflate(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int, limits: Limits
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > budget:
                    raise refuse(_too_big(limits.max_uncompressed_bytes + 1, limits))
                chunks.append(chunk)
    except FileRefused:
        raise
    except Exception:  # bad CRC, truncated data, unsupported compression
        raise refuse(_CORRUPT) from None
    return b"".join(chunks)


def _too_big(size: int, limits: Limits) -> str:
    return (
        f"工作簿解压后超过上限 {size_text(limits.max_uncompressed_bytes)}"
        f"（至少 {size_text(size)}），疑似压缩炸弹，已拒绝"
    )


def size_text(size: int) -> str:
    """5242880 → "5 MB", 1536 → "1.5 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


_NS_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _data_sheet(parts: dict[str, bytes]) -> tuple[str, str]:
    """The sheet named 运行数据, else the first sheet: (name, path inside the zip)."""
    try:
        workbook = SafeET.fromstring(parts["xl/workbook.xml"])
        rels = SafeET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    except Exception:
        raise refuse(_CORRUPT) from None
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship")
    }
    sheets = [
        (sheet.get("name", ""), targets.get(sheet.get(f"{_NS_REL}id"), ""))
        for sheet in workbook.iter(f"{_NS_MAIN}sheet")
    ]
    if not sheets:
        raise refuse(_CORRUPT)
    name, target = next((s for s in sheets if s[0] == DATA_SHEET), sheets[0])
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return name, path


_DIMENSION: Final = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?\""
)
_CELL_REF: Final = re.compile(rb"<(?:\w+:)?c\s(?:[^>]*?\s)?r=\"([A-Z]{1,3})([0-9]+)\"")
_ROW_REF: Final = re.compile(rb"<(?:\w+:)?row\s(?:[^>]*?\s)?r=\"([0-9]+)\"")
_FORMULA: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL: Final = re.compile(
    rb"<(?:\w+:)?c\s(?:[^>]*?\s)?r=\"([A-Z]{1,3}[0-9]+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.DOTALL,
)


def _check_extent(xml: bytes, limits: Limits) -> None:
    """Refuse a sheet whose declared or actual extent exceeds the limits."""
    max_row = limits.max_rows + 1  # the header row
    dimension = _DIMENSION.search(xml, 0, 4096)
    if dimension:
        last_col = dimension[3] or dimension[1]
        last_row = int(dimension[4] or dimension[2])
        if last_row > max_row or column_index(last_col.decode()) >= limits.max_columns:
            raise refuse(
                _extent_message(
                    f"声明的范围 {dimension[1].decode()}{dimension[2].decode()}:{last_col.decode()}{last_row}",
                    limits,
                )
            )
    # Rows: every <row r="…"> (one scan in C); columns: a cell reference beyond the limit
    # is searched for, and only if there is one (or no row numbers) are the cells walked.
    rows = max((int(r) for r in _ROW_REF.findall(xml)), default=0)
    columns = -1
    if not rows or _wide(limits.max_columns).search(xml) or rows > max_row:
        for match in _CELL_REF.finditer(xml):
            rows = max(rows, int(match[2]))
            columns = max(columns, column_index(match[1].decode()))
    if rows > max_row or columns >= limits.max_columns:
        raise refuse(
            _extent_message(
                f"实际使用到第 {rows} 行、第 {column_letter(max(columns, 0))} 列",
                limits,
            )
        )


def _wide(max_columns: int) -> re.Pattern[bytes]:
    """A cell reference whose column is beyond ``max_columns`` (≤ 26: "U1" for 20)."""
    beyond = "".join(chr(c) for c in range(ord("A") + max_columns, ord("Z") + 1))
    single = f"[{beyond}]" if beyond else "(?!)"
    return re.compile(rf'\sr="(?:[A-Z]{{2,3}}|{single})[0-9]'.encode())


def _extent_message(what: str, limits: Limits) -> str:
    return (
        f"工作表{what}，超过上限（数据最多 {limits.max_rows:,} 行、{limits.max_columns} 列）："
        f"请删除多余的行列，或分成几个文件上传"
    )


def _formula_cells(xml: bytes) -> tuple[str, ...]:
    if not _FORMULA.search(xml):
        return ()
    return tuple(
        match[1].decode()
        for match in _CELL.finditer(xml)
        if match[2] is not None and _FORMULA.search(match[2])
    )


# --------------------------------------------------------------------------- csv


def _read_csv(content: bytes, limits: Limits) -> Table:
    if content.startswith((ZIP_MAGIC, OLE2_MAGIC)) or b"\x00" in content[:4096]:
        raise refuse(
            "这不是文本格式的 CSV 文件（看起来是 Excel 工作簿）：请把扩展名改回 .xlsx，或在 Excel 中另存为 CSV"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = codecs.decode(content, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte sequence it is given
        raise refuse(
            "无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
        )
    try:
        rows: list[list[object]] = [
            list(r) for r in csv.reader(io.StringIO(decoded, newline=""), strict=True)
        ]
    except csv.Error:
        raise refuse(
            "CSV 文件格式有误（引号不配对）：请在 Excel 中重新另存为 CSV"
        ) from None
    if len(rows) > limits.max_rows + 1:
        raise refuse(_extent_message(f"共 {len(rows)} 行", limits))
    width = max((len(r) for r in rows), default=0)
    if width > limits.max_columns:
        raise refuse(_extent_message(f"共 {width} 列", limits))
    return Table("csv", "", rows)
