"""Building upload files for the operations tests (not a test module)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

HEADER = ["填报单位", "指标", "期间", "数值", "单位", "备注"]
TIANJIN = "天津市便民专线服务中心"
PANJIN = "盘锦市营商环境建设局"


def xlsx(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[object] | None = HEADER,
    merge: str = "",
    above: Sequence[Sequence[object]] = (),
    sheet: str = "运行数据",
) -> bytes:
    """An .xlsx whose first sheet holds ``above`` rows, ``header`` and ``rows``."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    for row in above:
        ws.append(list(row))
    if header is not None:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig"
) -> bytes:
    lines = [",".join(str(c) for c in HEADER)]
    lines += [",".join("" if c is None else str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row(
    metric: str,
    period: object,
    value: object,
    unit: str = "",
    note: str = "",
    org: str = TIANJIN,
) -> list[object]:
    return [org, metric, period, value, unit, note]
