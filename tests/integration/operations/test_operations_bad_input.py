"""Bad input: a clear error with its row, column and message, and nothing changed."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from budgets.models import Organisation
from operations.services import operating_data_import, operating_data_upload
from tests.integration.operations.files import PANJIN, csv_bytes, row, xlsx

pytestmark = pytest.mark.django_db

ENCRYPTED = (
    Path(__file__).resolve().parents[3]
    / "fixtures/operating_data/bad/encrypted-password-secret.xlsx"
)
Where = tuple[int, str, str]


def refused(
    organisation: Organisation, name: str, content: bytes, state: Callable[[], object]
) -> list[Where]:
    """Upload and commit ``content``; it must be refused and change nothing."""
    before = state()
    outcome = operating_data_import(
        organisation=organisation, name=name, content=content
    )
    assert not outcome.ok and not outcome.committed and outcome.upload is None
    assert state() == before
    return [(p.row, p.column, p.message) for p in outcome.problems]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "运行数据.pdf",
            b"%PDF-1.7",
            "只接受 .xlsx 或 .csv 文件（收到的是“运行数据.pdf”）",
        ),
        (
            "运行数据.xlsx",
            b"PK\x03\x04broken",
            "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后重新保存为 .xlsx",
        ),
        (
            "运行数据.xlsx",
            ENCRYPTED.read_bytes(),
            "工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后重新保存再上传",
        ),
    ],
)
def test_files_that_cannot_be_read(
    tianjin: Organisation,
    state: Callable[[], object],
    name: str,
    content: bytes,
    message: str,
) -> None:
    assert refused(tianjin, name, content, state) == [(0, "", message)]


def test_too_many_rows_states_the_limit(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    rows = [
        row("呼入量", f"{2000 + i // 12}-{i % 12 + 1:02d}", 1) for i in range(20_001)
    ]
    assert refused(tianjin, "big.csv", csv_bytes(rows), state) == [
        (
            0,
            "",
            "工作表共 20002 行，超过上限（数据最多 20,000 行、20 列）：请删除多余的行列，或分成几个文件上传",
        )
    ]


def test_formulas_are_refused_not_their_cached_values_used(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, "=D2*0.9")])
    assert refused(tianjin, "f.xlsx", content, state) == [
        (
            3,
            "D",
            "单元格 D3 是公式：系统不使用公式（其缓存结果可能过时或缺失），请复制后“选择性粘贴 → 数值”再上传",
        )
    ]


def test_merged_and_repeated_header_rows(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    merged = xlsx([row("呼入量", 2021, 1000)], merge="D1:E1")
    assert refused(tianjin, "m.xlsx", merged, state) == [
        (1, "D", "合并单元格 D1:E1：请取消合并，每个单元格只填一个值（表头也不要合并）")
    ]
    from tests.integration.operations.files import HEADER

    repeated = xlsx([row("呼入量", 2021, 1000), HEADER, row("接听量", 2021, 900)])
    assert refused(tianjin, "r.xlsx", repeated, state) == [
        (3, "", "第 3 行重复了表头：请删除这一行（表头只保留第 1 行）")
    ]


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        (
            row("接听量", 2021, "１２３"),
            (2, "D", "数值“１２３”含全角字符：请改用半角数字，如“123”"),
        ),
        (
            row("接听量", 2021, "1,012.36", "万次"),
            (2, "D", "数值“1,012.36”含千位分隔符：请去掉逗号，填写“1012.36”"),
        ),
        (
            row("接听量", 2021, "96.12%"),
            (
                2,
                "D",
                "数值“96.12%”是百分比：请填写计数（如接听量、呼入量各占一行），比率由系统计算",
            ),
        ),
        (
            row("接听量", 2021, "1012.36万"),
            (
                2,
                "D",
                "数值“1012.36万”含单位“万”：数值列只填数字“1012.36”，单位填在“单位”列",
            ),
        ),
        (row("", 2021, 5), (2, "B", "指标为空：请从模板的“指标目录”中选择指标名称")),
        (
            row("接听量", None, 5),
            (2, "C", "期间为空：请填写年份（如 2020）或年月（如 2020-03）"),
        ),
        (
            row("接听量", 2021, -5),
            (2, "D", "数值不能为负数（-5）：计数、金额和时长都不小于 0"),
        ),
        (
            row("接听量", "2021-13", 5),
            (2, "C", "期间“2021-13”的月份须在 1–12 之间：一年只有 12 个月"),
        ),
        (
            row("接听量", 2021, 5, org=PANJIN),
            (
                2,
                "A",
                "填报单位“盘锦市营商环境建设局”不是您的单位（天津市便民专线服务中心）：只能上传本单位的数据",
            ),
        ),
        (
            row("接听量", 2021, "12.5"),
            (2, "D", "“接听量”以“次”为单位须为整数（收到 12.5）"),
        ),
        (
            row("接听量", 2021, 5, "万件"),
            (2, "E", "单位“万件”不适用于“接听量”：可填 次、万次（留空即为“次”）"),
        ),
        (
            row("接通率", 2021, 96),
            (
                2,
                "B",
                "“接通率”由系统计算（接听量 ÷ 呼入量），不需要填报：请填写它的各项计数",
            ),
        ),
        (
            row("话务量", 2021, 96),
            (
                2,
                "B",
                "指标“话务量”不在指标目录中：请从模板的“指标目录”中选择，或先在“自定义指标”中添加",
            ),
        ),
    ],
)
def test_bad_cells(
    tianjin: Organisation,
    state: Callable[[], object],
    cells: list[object],
    where: Where,
) -> None:
    assert refused(
        tianjin, "c.xlsx", xlsx([row("呼入量", 2021, 1000), cells]), state
    ) == [(where[0] + 1, where[1], where[2])]


def test_a_file_of_blank_values_imports_nothing(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    assert refused(
        tianjin,
        "b.xlsx",
        xlsx([row("呼入量", 2021, None), row("接听量", 2021, "  ")]),
        state,
    ) == [(0, "", "文件中没有可导入的数值：所有“数值”单元格都是空的")]


def test_answered_more_than_offered(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, 1100)])
    assert refused(tianjin, "a.xlsx", content, state) == [
        (3, "D", "2021年：接听量（1100 次）不能大于呼入量（1000 次）")
    ]


def test_answered_more_than_an_offered_count_uploaded_earlier(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    first = operating_data_import(
        organisation=tianjin,
        name="1.xlsx",
        content=xlsx([row("呼入量", "2021-03", 1000)]),
    )
    assert first.committed
    later = xlsx([row("接听量", "2021-03", "0.11", "万次")])
    assert refused(tianjin, "2.xlsx", later, state) == [
        (2, "D", "2021年3月：接听量（1100 次）不能大于呼入量（已导入的 1000 次）")
    ]


def test_on_time_completions_more_than_completions(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("办结量", 2021, 10), row("按时办结量", 2021, 11)])
    assert refused(tianjin, "a.xlsx", content, state) == [
        (3, "D", "2021年：按时办结量（11 件）不能大于办结量（10 件）")
    ]


def test_the_same_metric_twice_in_one_file(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx(
        [
            row("呼入量", 2021, 1000),
            row("接听量", 2021, 900),
            row("呼入量", "2021年", 1000),
        ]
    )
    assert refused(tianjin, "a.xlsx", content, state) == [
        (
            4,
            "B",
            "“呼入量”在期间 2021年 重复出现（第 2 行已填写）：同一指标同一期间只能填一行",
        )
    ]


def test_every_error_of_a_file_is_listed_and_nothing_is_imported(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx(
        [
            row("呼入量", 2021, 1000),
            row("接听量", 2021, "1,100"),
            row("受理量", "2021-00", 5),
            row("办结量", 2021, "-1"),
        ]
    )
    assert [(r, c) for r, c, _ in refused(tianjin, "a.xlsx", content, state)] == [
        (3, "D"),
        (4, "C"),
        (5, "D"),
    ]


def test_a_refused_upload_keeps_no_file_and_no_record(
    tianjin: Organisation, state: Callable[[], object], media: Path
) -> None:
    outcome = operating_data_upload(
        organisation=tianjin, name="a.xlsx", content=xlsx([row("接听量", 2021, "96%")])
    )
    assert outcome.upload is None
    assert list(media.rglob("*.xlsx")) == []


def test_satisfied_more_than_callbacks_is_one_error_not_two(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("回访量", 2021, 10), row("回访满意量", 2021, 12)])
    assert refused(tianjin, "a.xlsx", content, state) == [
        (3, "D", "2021年：回访满意量（12 件）不能大于回访量（10 件）")
    ]


def _rezip(content: bytes, change: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change.get(info.filename, source.read(info)))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_huge_declared_dimension_is_refused_before_opening(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("呼入量", 2021, 1000)])
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    patched = re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', sheet
    )
    bomb = _rezip(content, {"xl/worksheets/sheet1.xml": patched}, {})
    assert refused(tianjin, "d.xlsx", bomb, state) == [
        (
            0,
            "",
            "工作表声明的范围 A1:XFD1048576，超过上限（数据最多 20,000 行、20 列）："
            "请删除多余的行列，或分成几个文件上传",
        )
    ]


def test_a_zip_bomb_is_refused(
    tianjin: Organisation, state: Callable[[], object]
) -> None:
    content = xlsx([row("呼入量", 2021, 1000)])
    bomb = _rezip(content, {}, {"xl/media/image1.bin": b"\x00" * (60 * 1024 * 1024)})
    assert refused(tianjin, "z.xlsx", bomb, state) == [
        (0, "", "工作簿解压后超过上限 50 MB（至少 60 MB），疑似压缩炸弹，已拒绝")
    ]
