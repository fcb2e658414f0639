"""Hostile upload files, built in memory (not a test module): the penetration test's crash
workbook and its kin, for the kernel, page and fuzz tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)


def workbook_xml(sheet: str = "运行数据") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()


def sheet_xml(rows: str | bytes) -> bytes:
    body = rows.encode() if isinstance(rows, str) else rows
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + body + b"</sheetData></worksheet>"
    )


def raw_workbook(
    sheet: bytes, *, name: str = "运行数据", extra: Mapping[str, bytes] | None = None
) -> bytes:
    """A minimal xlsx whose one sheet is ``sheet`` (its whole XML), written as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for part, data in (extra or {}).items():
            archive.writestr(part, data)
    return buffer.getvalue()


HEADER_ROW = (
    "<row r='1'>"
    + "".join(
        f"<c r='{col}1' t='inlineStr'><is><t>{text}</t></is></c>"
        for col, text in zip(
            "ABCDEF", ["填报单位", "指标", "期间", "数值", "单位", "备注"], strict=True
        )
    )
    + "</row>"
)

CRASH_WORKBOOK = raw_workbook(
    sheet_xml(HEADER_ROW + "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")
)
"""The penetration test's 1.7 KB workbook: single-quoted references to the last cell of
a sheet, which made python-calamine allocate 512 GB and abort the process."""


def wide_workbook(
    rows: int = 100, columns: int = 16_384, *, name: str = "Sheet1"
) -> bytes:
    """``rows`` × ``columns`` cells written without references (as Excel may): the
    target-form import spent 17.6 s and 740 MB on 100 × 16,384 before."""
    row = "<row>" + "<c><v>1</v></c>" * columns + "</row>"
    return raw_workbook(sheet_xml(row * rows), name=name)


def bomb_workbook(megabytes: int = 200, *, name: str = "Sheet1") -> bytes:
    """A zip bomb: one extra part of ``megabytes`` MB of zeros, a few hundred KB packed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml(name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml(b""))
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
    return buffer.getvalue()


def redos_csv(length: int = 40_000) -> bytes:
    """The ReDoS cell of the penetration test in a CSV: ``length`` "1"s then " a b"."""
    return (
        "填报单位,指标,期间,数值,单位,备注\r\n"
        f"天津市便民专线服务中心,接听量,2020,{'1' * length} a b,次,\r\n"
    ).encode()
