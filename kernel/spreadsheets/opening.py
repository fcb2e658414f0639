"""The one way an uploaded workbook is let in: ``check_workbook``.

In this order, each step refusing with a Chinese message that names its bound
(``FileRefused``) before any spreadsheet library sees the file:

1. size (``max_bytes``), emptiness, and the kind of file (a zip; an OLE2 file is an
   encrypted workbook or a legacy ``.xls``);
2. the zip (``packages.Package``): entry count, encryption, and every entry decompressed
   with its bytes counted — per entry against ``max_ratio``, all together against
   ``max_uncompressed_bytes``;
3. the shared strings and every sheet the workbook lists, streamed through expat
   (``sheets``): each cell placed wherever its reference and its quoting put it, against
   ``max_rows`` × ``max_columns`` (and the declared ``<dimension>`` and merged ranges too),
   ``max_cells`` over the whole workbook, ``max_cell_chars`` per cell, and no control
   character in a text cell (the cell is named). Formulas, error values and merged ranges
   are listed for the reader to judge.

Memory stays within one 64 KB chunk, one cell's text and the lists of findings; time within
one pass of expat over at most ``max_uncompressed_bytes``. Only then may a reader open the
bytes with calamine or openpyxl, which then allocate at most the checked extent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kernel.spreadsheets.limits import (
    Limits,
    check_size,
    refuse,
)
from kernel.spreadsheets.packages import OLE2_MAGIC, Package, corrupt
from kernel.spreadsheets.sheets import (
    SharedStrings,
    SheetFacts,
    scan_shared_strings,
    scan_sheet,
)

_NS_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKBOOK: Final = "xl/workbook.xml"
WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook that passed every bound: its sheets in the workbook's order."""

    sheets: tuple[SheetFacts, ...] = field(default=())

    def sheet(self, name: str) -> SheetFacts | None:
        return next((s for s in self.sheets if s.name == name), None)


def check_container(content: bytes, limits: Limits) -> None:
    """Step 1: size, emptiness and the kind of file."""
    check_size(len(content), limits.max_bytes)
    if not content:
        raise refuse("文件是空的（0 字节）", code="empty")
    if content.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise refuse(
                "工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后重新保存再上传",
                code="encrypted",
            )
        raise refuse(
            "这是旧版 .xls 文件（只是扩展名为 .xlsx）：请另存为 Excel 工作簿（*.xlsx）后上传",
            code="xls",
        )


def check_workbook(content: bytes, limits: Limits) -> CheckedWorkbook:
    """Check ``content`` as an xlsx upload against ``limits``; raise ``FileRefused``."""
    check_container(content, limits)
    package = Package(content, limits)
    if WORKBOOK not in package.names:
        raise corrupt("not_workbook")
    if WORKBOOK_RELS not in package.names:
        raise corrupt()
    sheets, strings_path = _sheet_list(package)
    strings = (
        scan_shared_strings(package.stream(strings_path), limits)
        if strings_path in package.names
        else SharedStrings()
    )
    done = {WORKBOOK, WORKBOOK_RELS, strings_path}
    cells = 0
    for facts in sheets:
        if facts.path not in package.names:
            raise corrupt()
        if facts.path in done:
            continue
        scan_sheet(package.stream(facts.path), facts, limits, strings, cells)
        cells += facts.cells
        done.add(facts.path)
    for name in package.names:
        if name not in done:
            package.drain(name)
    return CheckedWorkbook(tuple(sheets))


def _sheet_list(package: Package) -> tuple[list[SheetFacts], str]:
    """The sheets ``xl/workbook.xml`` lists, with their parts, and the shared strings'."""
    try:
        workbook = SafeET.fromstring(package.read(WORKBOOK))
        rels = SafeET.fromstring(package.read(WORKBOOK_RELS))
    except SafeET.ParseError:
        raise corrupt() from None
    except DefusedXmlException:
        raise refuse(
            "工作簿含有文档类型声明（DTD），可能是恶意构造的文件，已拒绝", code="dtd"
        ) from None
    targets: dict[str, str] = {}
    strings_path = "xl/sharedStrings.xml"
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = _part(rel.get("Target", ""))
        targets[rel.get("Id", "")] = target
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings_path = target
    sheets = [
        SheetFacts(
            name=sheet.get("name", ""),
            path=targets.get(sheet.get(f"{_NS_REL}id", ""), ""),
        )
        for sheet in workbook.iter(f"{_NS_MAIN}sheet")
    ]
    if not sheets:
        raise corrupt()
    return sheets, strings_path


def _part(target: str) -> str:
    """A relationship target of the workbook as a path inside the zip."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = ["xl"]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)
