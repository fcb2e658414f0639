"""Bad files of records: a clear Chinese message, and nothing changed — no import, no stored
month, no file in storage — whatever was stored before."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from budgets.models import Organisation
from records.columns import RecordKind
from records.ingest import RecordsRefused
from records.models import RecordImport, RecordPartition
from records.services import column_mapping_save, records_import

pytestmark = pytest.mark.django_db

HEADER = "话单编号,热线中心,到达时间,接听时间,结束时间"
GOOD = [
    "1,天津市便民专线服务中心,2021-01-05 08:00:00,2021-01-05 08:00:09,2021-01-05 08:03:00",
    "2,tj-8890,2021/01/05 09:00:00,,2021/01/05 09:00:40",
    "3,tj-8890,2021-02-01T10:00:00,2021-02-01T10:00:20,2021-02-01T10:05:00",
]


def _csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding)


@pytest.fixture
def state(media: Path) -> Callable[[], tuple[object, ...]]:
    def snapshot() -> tuple[object, ...]:
        return (
            sorted(RecordPartition.objects.values_list("month", "sha256", "rows")),
            RecordImport.objects.count(),
            sorted(str(p) for p in media.rglob("*") if p.is_file()),
        )

    return snapshot


def _import(
    tmp_path: Path, organisation: Organisation, content: bytes, name: str = "calls.csv"
) -> object:
    path = tmp_path / name
    path.write_bytes(content)
    return records_import(
        organisation=organisation,
        kind=RecordKind.CALLS,
        path=path,
        original_name=name,
        year=2021,
    )


@pytest.fixture
def stored(tianjin: Organisation, tmp_path: Path) -> None:
    """January and February already stored: a refused file must leave them alone."""
    _import(tmp_path, tianjin, _csv(GOOD))


def test_clean_file_in_gbk_is_stored_by_month(
    tianjin: Organisation, tmp_path: Path
) -> None:
    _import(tmp_path, tianjin, _csv(GOOD, "gbk"))
    assert sorted(
        RecordPartition.objects.filter(organisation=tianjin).values_list(
            "month", "rows"
        )
    ) == [(1, 2), (2, 1)]


BAD = [
    pytest.param(
        b"",
        "calls.csv",
        "文件是空的（0 字节）：请重新导出后再导入",
        id="empty",
    ),
    pytest.param(
        "话单编号,热线中心,到达时间\r\n1,tj-8890,2021-01-01 00:00:00\r\n".encode(),
        "calls.csv",
        "话单缺少必需的列：“接听时间”、“结束时间”。文件的列为：“话单编号”、“热线中心”、“到达时间”。"
        "如果本单位系统导出的列名不同，请先在“列名对应”中设置",
        id="missing-columns",
    ),
    pytest.param(
        _csv(
            [
                *GOOD,
                "4,tj-8890,2021-13-01 08:00:00,,2021-01-01 08:01:00",
                "5,tj-8890,昨天,,2021-01-01 08:01:00",
            ]
        ),
        "calls.csv",
        "“到达时间”不是可识别的时间（应为 2020-03-01 08:00:00 这样的格式）（共 2 行：第 5、6 行）",
        id="unparseable-times",
    ),
    pytest.param(
        _csv([*GOOD, GOOD[0], GOOD[0].replace("1,", "3,", 1)]),
        "calls.csv",
        "“话单编号”重复 2 次（同一编号只能出现一次）：“1”在第 2、5 行；“3”在第 4、6 行",
        id="duplicate-ids",
    ),
    pytest.param(
        _csv([*GOOD, "9,北京12345,2021-01-01 08:00:00,,2021-01-01 08:01:00"]),
        "calls.csv",
        "“热线中心”不是本单位（其他热线中心的记录不能导入本单位）（共 1 行：第 5 行）",
        id="another-centre",
    ),
    pytest.param(
        _csv(
            [
                *GOOD,
                "9,tj-8890,2021-01-01 08:00:00,2021-01-01 07:59:00,2021-01-01 08:01:00",
            ]
        ),
        "calls.csv",
        "“接听时间”早于“到达时间”（共 1 行：第 5 行）",
        id="time-order",
    ),
    pytest.param(
        _csv([*GOOD, "9,tj-8890,2020-12-31 23:59:59,,2021-01-01 00:00:10"]),
        "calls.csv",
        "“到达时间”不在 2021 年内（共 1 行：第 5 行）",
        id="outside-the-year",
    ),
    pytest.param(
        "\ufeff".encode("utf-16-le") + HEADER.encode("utf-16-le"),
        "calls.csv",
        "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”后导入",
        id="utf-16",
    ),
    pytest.param(
        b"%PDF-1.7 not records",
        "calls.pdf",
        "只接受 CSV（UTF-8 或 GBK）、Parquet 文件或装有其中一个的 .zip（收到的是“calls.pdf”）",
        id="not-records",
    ),
    pytest.param(
        b"PAR1 not really",
        "calls.parquet",
        "Parquet 文件已损坏，无法读取：请重新导出",
        id="broken-parquet",
    ),
]


@pytest.mark.parametrize(("content", "name", "message"), BAD)
def test_bad_file_is_refused_with_its_message_and_nothing_changes(
    tianjin: Organisation,
    tmp_path: Path,
    stored: None,
    state: Callable[[], object],
    content: bytes,
    name: str,
    message: str,
) -> None:
    before = state()
    with pytest.raises(RecordsRefused) as refused:
        _import(tmp_path, tianjin, content, name)
    assert [str(p) for p in refused.value.problems] == [message]
    assert state() == before


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_it_is_inflated(
    tianjin: Organisation, tmp_path: Path, stored: None, state: Callable[[], object]
) -> None:
    before = state()
    bomb = _zip({"calls.csv": _csv(GOOD) + b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(RecordsRefused) as refused:
        _import(tmp_path, tianjin, bomb, "calls.zip")
    (problem,) = refused.value.problems
    assert problem.message.startswith("压缩包中的“calls.csv”压缩比")
    assert problem.message.endswith("超过上限 200:1，疑似压缩炸弹，已拒绝")
    assert state() == before


def test_zip_of_two_files_is_refused(
    tianjin: Organisation, tmp_path: Path, state: Callable[[], object]
) -> None:
    with pytest.raises(RecordsRefused) as refused:
        _import(
            tmp_path, tianjin, _zip({"a.csv": _csv(GOOD), "b.csv": _csv(GOOD)}), "c.zip"
        )
    assert [str(p) for p in refused.value.problems] == [
        "压缩包里只能有一个 CSV 或 Parquet 文件"
    ]


def test_zip_of_one_csv_is_read(tianjin: Organisation, tmp_path: Path) -> None:
    _import(tmp_path, tianjin, _zip({"calls.csv": _csv(GOOD)}), "calls.zip")
    assert RecordPartition.objects.filter(organisation=tianjin).count() == 2


def test_saved_column_mapping_reads_a_centres_own_headers(
    tianjin: Organisation, tmp_path: Path
) -> None:
    own = "CallID,Centre,QueueTime,AnswerTime,HangupTime"
    content = ("\r\n".join([own, *GOOD]) + "\r\n").encode()
    with pytest.raises(RecordsRefused) as refused:
        _import(tmp_path, tianjin, content)
    assert "话单缺少必需的列：“话单编号”、“热线中心”、“到达时间”" in str(refused.value)
    column_mapping_save(
        organisation=tianjin,
        kind=RecordKind.CALLS,
        columns={
            "call_id": "CallID",
            "centre": "Centre",
            "arrived_at": "QueueTime",
            "answered_at": "AnswerTime",
            "ended_at": "HangupTime",
        },
    )
    _import(tmp_path, tianjin, content)
    assert sorted(
        RecordPartition.objects.filter(organisation=tianjin).values_list(
            "month", "rows"
        )
    ) == [(1, 2), (2, 1)]


def test_clean_file_is_read_once_never_held_whole(
    tianjin: Organisation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clean file goes through the one-pass write; only a broken one is read again."""
    import records.ingest

    def held_whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("a clean file was read a second time")

    monkeypatch.setattr(records.ingest, "_read", held_whole)
    _import(tmp_path, tianjin, _csv(GOOD))
    assert sorted(
        RecordPartition.objects.filter(organisation=tianjin).values_list(
            "month", "rows"
        )
    ) == [(1, 2), (2, 1)]
    with pytest.raises(AssertionError, match="read a second time"):
        _import(tmp_path, tianjin, _csv([*GOOD, GOOD[0]]))


def test_gbk_after_a_long_ascii_start_is_converted(
    tianjin: Organisation, tmp_path: Path
) -> None:
    """Python looks at the first 64 KB only; DuckDB finds the GBK bytes further on."""
    ascii_rows = [
        f"{n},tj-8890,2021-01-05 08:00:00,,2021-01-05 08:01:00" for n in range(10, 3000)
    ]
    content = _csv([*ascii_rows, *GOOD], "gbk")
    assert len(content.split("天津".encode("gbk"))[0]) > 65536
    _import(tmp_path, tianjin, content)
    assert sorted(
        RecordPartition.objects.filter(organisation=tianjin).values_list(
            "month", "rows"
        )
    ) == [(1, 2992), (2, 1)]


def test_neither_utf8_nor_gbk_late_in_the_file_is_refused(
    tianjin: Organisation, tmp_path: Path, state: Callable[[], object]
) -> None:
    before = state()
    ascii_rows = [
        f"{n},tj-8890,2021-01-05 08:00:00,,2021-01-05 08:01:00" for n in range(10, 3000)
    ]
    content = (
        _csv(ascii_rows)
        + b"9,\xff\xff\xff,2021-01-05 08:00:00,,2021-01-05 08:01:00\r\n"
    )
    with pytest.raises(RecordsRefused) as refused:
        _import(tmp_path, tianjin, content)
    assert [str(p) for p in refused.value.problems] == [
        "无法识别 CSV 文件的编码（既不是 UTF-8 也不是 GBK）：请另存为“CSV UTF-8（逗号分隔）”后导入"
    ]
    assert state() == before


def _stored_calls(organisation: Organisation) -> list[tuple[object, ...]]:
    import duckdb

    from records.storage import local_file

    files = [
        str(local_file(p.stored_name, p.sha256))
        for p in RecordPartition.objects.filter(organisation=organisation)
    ]
    return duckdb.sql(
        f"SELECT call_id, centre, seat, arrived_at FROM read_parquet({files})"
        " ORDER BY call_id"
    ).fetchall()


def test_values_with_spaces_are_stored_trimmed(
    tianjin: Organisation, tmp_path: Path
) -> None:
    """The one pass reads values as they are; a free text with a space at either end
    (here an id and a seat) sends the file to the trimming read, so what is stored is
    the same as for the file without the spaces."""
    header = "话单编号,热线中心,到达时间,接听时间,结束时间,坐席工号"
    spaced = [
        " 1,tj-8890, 2021-01-05 08:00:00,,2021-01-05 08:03:00,S01 ",
        "2 ,tj-8890,2021-01-05 09:00:00,,2021-01-05 09:00:40, S02",
    ]
    content = ("\r\n".join([header, *spaced]) + "\r\n").encode()
    _import(tmp_path, tianjin, content)
    assert _stored_calls(tianjin) == [
        ("1", "tj-8890", "S01", datetime(2021, 1, 5, 8, 0)),
        ("2", "tj-8890", "S02", datetime(2021, 1, 5, 9, 0)),
    ]


def test_ids_repeated_once_trimmed_are_refused(
    tianjin: Organisation, tmp_path: Path, state: Callable[[], object]
) -> None:
    before = state()
    with pytest.raises(RecordsRefused) as refused:
        _import(tmp_path, tianjin, _csv([*GOOD, GOOD[2].replace("3,", "2 ,", 1)]))
    assert "“话单编号”重复" in str(refused.value)
    assert "“2”在第 3、5 行" in str(refused.value)
    assert state() == before
