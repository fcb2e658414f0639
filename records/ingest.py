"""Reading a file of raw records into checked, month-partitioned Parquet: all or nothing.

``read_records`` does the work with DuckDB (in-process) and no database: it opens the file
safely, maps its columns, parses every row in one pass, checks every rule, and — only when
no rule is broken — writes one Parquet file per month into a local folder. Any broken rule
raises ``RecordsRefused`` with a Chinese message per rule, the first lines it was found on
and how many rows broke it; nothing is written then. ``records.services.records_import``
moves the files into storage and switches the periods over in one transaction.

The file, in this order:

1. size: empty (0 字节) is refused; a browser upload is held to ``max_bytes`` before this;
2. kind: ``.csv``, ``.parquet`` or a ``.zip`` holding exactly one of them. A zip is
   decompressed through the kernel's counted reader (``kernel.spreadsheets.packages``): an
   entry compressed more than ``max_ratio``:1 or larger than ``max_uncompressed_bytes`` is a
   zip bomb and stops within 64 KB of its bound;
3. encoding (CSV): UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel saves it —
   a GBK file is converted to UTF-8 in a streaming pass first; UTF-16 is named as such;
4. columns: every required field of the contract (``records.columns``) under its Chinese
   header, its key, or the organisation's saved name for it; the missing ones are named;
5. rows: required values present, times parseable (``2020-03-01 08:00:00``, ``2020/03/01
   08:00:00``, ISO ``T``), times in order (answered/ended not before arrival; closed and
   called back not before acceptance), flags and categories known, ids unique, every
   record the organisation's own (热线中心 = its name or code) and in the year.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import duckdb

from kernel.spreadsheets import FileRefused, Limits, size_text
from kernel.spreadsheets.packages import ZIP_MAGIC, Package
from records.columns import (
    FALSE_FLAGS,
    FIELDS,
    ID_FIELD,
    TIME_FIELD,
    TIME_ORDER,
    TRUE_FLAGS,
    Field,
    FieldType,
    RecordKind,
)

PARQUET_MAGIC: Final = b"PAR1"
SHOWN_LINES: Final = 5
TIME_FORMATS: Final = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M")
HEAD_BYTES: Final = 1 << 16
"""The bytes of a CSV file whose encoding Python checks; DuckDB checks the rest."""
NOT_UTF8_NOR_GBK: Final = "无法识别 CSV 文件的编码（既不是 UTF-8 也不是 GBK）：请另存为“CSV UTF-8（逗号分隔）”后导入"


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: its message, the first lines (as a text editor counts them, the
    header being line 1) and how many rows broke it."""

    message: str
    lines: tuple[int, ...] = ()
    count: int = 0

    def __str__(self) -> str:
        if not self.lines:
            return self.message
        shown = "、".join(str(line) for line in self.lines)
        more = "等" if self.count > len(self.lines) else ""
        return f"{self.message}（共 {self.count:,} 行：第 {shown} 行{more}）"


class RecordsRefused(Exception):
    """The file is refused and nothing was changed; ``problems`` say why (Chinese)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("；".join(str(p) for p in problems))
        self.problems = tuple(problems)


def refuse(message: str) -> RecordsRefused:
    return RecordsRefused([Problem(message)])


@dataclass(frozen=True)
class RecordLimits:
    """Bounds on a file of records (``RECORDS_LIMITS``); ``max_bytes`` holds for browser
    uploads, the command reads files of any size."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    memory: str = "1GB"
    """DuckDB's memory while it reads a file (beyond it, it spills to the import's
    folder): the partitioned write would otherwise hold about 180 bytes a row."""


@dataclass(frozen=True)
class ReadResult:
    """The checked records, written as one Parquet file per month into ``folder``."""

    kind: RecordKind
    year: int
    rows: int
    months: dict[int, int]
    """Records per month."""
    files: dict[int, Path]
    folder: Path
    encoding: str = "utf-8"
    ignored_columns: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- the file


@contextmanager
def _opened(path: Path, name: str, limits: RecordLimits) -> Iterator[tuple[Path, str]]:
    """(a local CSV-in-UTF-8 or Parquet file, its format) for the upload at ``path``."""
    size = path.stat().st_size
    if size == 0:
        raise refuse("文件是空的（0 字节）：请重新导出后再导入")
    with path.open("rb") as handle:
        head = handle.read(4096)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    with tempfile.TemporaryDirectory(prefix="records_") as work:
        folder = Path(work)
        if head.startswith(ZIP_MAGIC) or suffix == "zip":
            path, name = _unzipped(path, folder, limits)
            with path.open("rb") as handle:
                head = handle.read(4096)
            suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
            if path.stat().st_size == 0:
                raise refuse(f"压缩包中的“{name}”是空的（0 字节）")
        if head.startswith(PARQUET_MAGIC):
            yield path, "parquet"
            return
        if suffix == "parquet":
            raise refuse("文件扩展名是 .parquet，但内容不是 Parquet 文件：请重新导出")
        if suffix not in ("csv", "txt"):
            raise refuse(
                f"只接受 CSV（UTF-8 或 GBK）、Parquet 文件或装有其中一个的 .zip（收到的是“{name}”）"
            )
        yield _utf8(path, head, folder), "csv"


def _unzipped(path: Path, folder: Path, limits: RecordLimits) -> tuple[Path, str]:
    bounds = Limits(
        max_bytes=path.stat().st_size,
        max_entries=1,
        max_uncompressed_bytes=limits.max_uncompressed_bytes,
        max_ratio=limits.max_ratio,
    )
    try:
        package = Package(path.read_bytes(), bounds)
    except FileRefused as refused:
        message = refused.problems[0].message.replace("工作簿", "压缩包")
        if refused.code == "entries":
            message = "压缩包里只能有一个 CSV 或 Parquet 文件"
        elif refused.code == "not_zip":
            message = "压缩包已损坏，无法解压：请重新压缩后导入"
        raise refuse(message) from None
    entry = package.entries[0] if package.entries else None
    if entry is None or entry.is_dir():
        raise refuse("压缩包是空的：里面没有 CSV 或 Parquet 文件")
    target = folder / "unzipped"
    try:
        with target.open("wb") as out:
            for chunk in package.stream(entry.filename):
                out.write(chunk)
    except FileRefused as refused:
        raise refuse(refused.problems[0].message.replace("工作簿", "压缩包")) from None
    except zipfile.BadZipFile:
        raise refuse("压缩包已损坏，无法解压：请重新压缩后导入") from None
    return target, entry.filename


def _utf8(path: Path, head: bytes, folder: Path) -> Path:
    """``path`` if its first bytes are UTF-8 (DuckDB checks the rest while it reads the
    file, and ``read_records`` converts it after all if it is not); a UTF-8 copy if it
    is GBK/GB18030; else refused."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        head and head[1::2].count(0) > len(head) // 4
    ):
        raise refuse(
            "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”后导入"
        )
    with path.open("rb") as handle:
        start = handle.read(HEAD_BYTES)
    try:
        # not final: the head may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(start)
    except UnicodeDecodeError:
        return _from_gbk(path, folder)
    return path


def _from_gbk(path: Path, folder: Path) -> Path:
    """A UTF-8 copy of the GBK/GB18030 file at ``path``, converted in one streaming pass."""
    target = folder / "utf8.csv"
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        with path.open("rb") as source, target.open("w", encoding="utf-8") as out:
            while chunk := source.read(1 << 22):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise refuse(NOT_UTF8_NOR_GBK) from None
    return target


# --------------------------------------------------------------------------- columns


def _csv_headers(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        line = handle.readline(1 << 16)
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(line)))]
    except (StopIteration, csv.Error):
        return []


def resolve_columns(
    kind: RecordKind, headers: Sequence[str], mapping: Mapping[str, str]
) -> tuple[dict[str, str], list[Problem], tuple[str, ...]]:
    """Each field's column in ``headers`` (the saved name first, then the Chinese header,
    then the key); problems for missing required fields and repeated headers; the
    headers no field uses."""
    problems: list[Problem] = []
    seen: set[str] = set()
    repeated = sorted({h for h in headers if h in seen or seen.add(h)})  # type: ignore[func-returns-value]
    if repeated:
        problems.append(Problem(f"表头中有重复的列名：{'、'.join(repeated)}"))
    found: dict[str, str] = {}
    for f in FIELDS[kind]:
        for candidate in (mapping.get(f.key, ""), f.header, f.key):
            if candidate and candidate in headers:
                found[f.key] = candidate
                break
    missing = [f for f in FIELDS[kind] if f.required and f.key not in found]
    if missing:
        names = "、".join(
            f"“{f.header}”"
            + (f"（本单位设置为“{mapping[f.key]}”）" if mapping.get(f.key) else "")
            for f in missing
        )
        shown = "、".join(f"“{h}”" for h in headers[:30]) or "（没有表头）"
        problems.append(
            Problem(
                f"{kind.label}缺少必需的列：{names}。文件的列为：{shown}。"
                "如果本单位系统导出的列名不同，请先在“列名对应”中设置"
            )
        )
    used = set(found.values())
    return found, problems, tuple(h for h in headers if h not in used)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(column: str, *, trimmed: bool = True) -> str:
    value = f"CAST({_q(column)} AS VARCHAR)"
    return f"NULLIF({f'TRIM({value})' if trimmed else value}, '')"


def _time(raw: str) -> str:
    formats = ", ".join(f"TRY_STRPTIME({raw}, {_lit(f)})" for f in TIME_FORMATS)
    return f"COALESCE(TRY_CAST({raw} AS TIMESTAMP), {formats})"


def _flag(raw: str) -> str:
    trues = ", ".join(_lit(v) for v in TRUE_FLAGS)
    falses = ", ".join(_lit(v) for v in FALSE_FLAGS)
    low = f"LOWER({raw})"
    return (
        f"CASE WHEN {raw} IS NULL THEN FALSE WHEN {low} IN ({trues}) THEN TRUE"
        f" WHEN {low} IN ({falses}) THEN FALSE END"
    )


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class _Rule:
    message: str
    condition: str


def _rules(
    kind: RecordKind,
    columns: Mapping[str, str],
    centres: Sequence[str],
    year: int | None,
) -> list[_Rule]:
    fields = {f.key: f for f in FIELDS[kind]}
    rules: list[_Rule] = []
    for key in columns:
        f = fields[key]
        raw = f"raw_{key}"
        if f.required and not f.blank:
            rules.append(_Rule(f"“{f.header}”为空", f"{raw} IS NULL"))
        if f.type is FieldType.TIME:
            rules.append(
                _Rule(
                    f"“{f.header}”不是可识别的时间（应为 2020-03-01 08:00:00 这样的格式）",
                    f"{raw} IS NOT NULL AND {key} IS NULL",
                )
            )
        if f.type is FieldType.FLAG:
            rules.append(
                _Rule(
                    f"“{f.header}”只能填 1/0 或 是/否",
                    f"{key} IS NULL",
                )
            )
        if f.choices:
            allowed = ", ".join(_lit(c) for c in f.choices)
            rules.append(
                _Rule(
                    f"“{f.header}”只能是 {'/'.join(f.choices)}",
                    f"{raw} IS NOT NULL AND {raw} NOT IN ({allowed})",
                )
            )
    for earlier, later in TIME_ORDER[kind]:
        if earlier in columns and later in columns:
            rules.append(
                _Rule(
                    f"“{fields[later].header}”早于“{fields[earlier].header}”",
                    f"{later} < {earlier}",
                )
            )
    if kind is RecordKind.CALLS and "answered_at" in columns and "ended_at" in columns:
        rules.append(_Rule("“结束时间”早于“接听时间”", "ended_at < answered_at"))
    allowed_centres = ", ".join(_lit(c) for c in centres)
    rules.append(
        _Rule(
            "“热线中心”不是本单位（其他热线中心的记录不能导入本单位）",
            f"raw_centre IS NOT NULL AND raw_centre NOT IN ({allowed_centres})",
        )
    )
    when = TIME_FIELD[kind]
    if year is not None:
        rules.append(
            _Rule(
                f"“{fields[when].header}”不在 {year} 年内",
                f"{when} IS NOT NULL AND year({when}) <> {year}",
            )
        )
    return rules


def read_records(
    *,
    path: Path,
    name: str,
    kind: RecordKind,
    centres: Sequence[str],
    year: int | None,
    mapping: Mapping[str, str],
    folder: Path,
    limits: RecordLimits | None = None,
    threads: int | None = None,
) -> ReadResult:
    """Check the file at ``path`` (uploaded as ``name``) and write its records, one
    Parquet file per month, into ``folder``; or ``RecordsRefused``.

    A clean file is read once: DuckDB parses it (untrimmed), checks every row's rules as
    it goes and writes the month files (a broken rule, or a value to trim, stops it), then
    checks the ids unique and the year one over the written files. Any other file is read
    again, trimmed and held whole, to report each rule's first lines and counts
    (``_checked``)."""
    folder.mkdir(parents=True, exist_ok=True)
    limits = limits or RecordLimits()
    with _opened(path, name, limits) as (source, file_format):
        with _connection(folder, threads, limits.memory) as connection:
            plan = _plan(connection, source, file_format, kind, mapping)
        try:
            with _connection(folder, threads, limits.memory) as connection:
                written = _written(connection, plan, kind, centres, year, folder)
        except _NotUtf8:
            written = None
            if file_format == "csv":
                # UTF-8 at its head, not further on: GBK after all (else refused)
                plan = _plan_csv(_from_gbk(source, folder), kind, mapping)
                with _connection(folder, threads, limits.memory) as connection:
                    written = _written(connection, plan, kind, centres, year, folder)
        if written is not None:
            return written
        shutil.rmtree(folder / "partitions", ignore_errors=True)
        with _connection(folder, threads, limits.memory) as connection:
            return _read(connection, plan, kind, centres, year, folder)


@contextmanager
def _connection(
    folder: Path, threads: int | None, memory: str
) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    try:
        if threads:
            connection.execute(f"SET threads = {int(threads)}")
        connection.execute(f"SET memory_limit = {_lit(memory)}")
        connection.execute(f"SET temp_directory = {_lit(str(folder / 'spill'))}")
        # The month files' rows are handed to the writer a row group (122,880 rows) at a
        # time rather than DuckDB's default four: at 10.5 M calls the partitioned write
        # takes 0.7 s less (10 % of the import), in the same one file per month.
        connection.execute("SET partitioned_write_flush_threshold = 122880")
        yield connection
    finally:
        connection.close()


class _NotUtf8(Exception):
    """DuckDB found bytes that are not UTF-8 in a CSV file."""


@dataclass(frozen=True)
class _Plan:
    """How the file is read: its records as text (``raw_<key>``) and parsed (``<key>``).

    ``parsed`` trims every value; ``untrimmed`` does not (a fifth of the one pass's time
    at 10.5 M rows goes to TRIM's copies) and is read only with ``_spaced``'s rule, so a
    file holding a value that TRIM would change is read again the trimming way."""

    parsed: str
    untrimmed: str
    columns: dict[str, str]
    ignored: tuple[str, ...]


def _plan(
    connection: duckdb.DuckDBPyConnection,
    source: Path,
    file_format: str,
    kind: RecordKind,
    mapping: Mapping[str, str],
) -> _Plan:
    if file_format == "csv":
        return _plan_csv(source, kind, mapping)
    try:
        headers = [
            row[0]
            for row in connection.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_lit(str(source))})"
            ).fetchall()
        ]
    except duckdb.Error:
        raise refuse("Parquet 文件已损坏，无法读取：请重新导出") from None
    return _planned(f"read_parquet({_lit(str(source))})", headers, kind, mapping)


def _plan_csv(source: Path, kind: RecordKind, mapping: Mapping[str, str]) -> _Plan:
    scan = (
        f"read_csv({_lit(str(source))}, header = true, all_varchar = true,"
        " delim = ',', quote = '\"', escape = '\"', strict_mode = true,"
        " null_padding = false, parallel = true)"
    )
    return _planned(scan, _csv_headers(source), kind, mapping)


def _planned(
    scan: str, headers: Sequence[str], kind: RecordKind, mapping: Mapping[str, str]
) -> _Plan:
    columns, problems, ignored = resolve_columns(kind, headers, mapping)
    if problems:
        raise RecordsRefused(problems)
    fields: dict[str, Field] = {f.key: f for f in FIELDS[kind]}
    parsed = []
    for key in columns:
        f = fields[key]
        if f.type is FieldType.TIME:
            parsed.append(f"{_time(f'raw_{key}')} AS {key}")
        elif f.type is FieldType.FLAG:
            parsed.append(f"{_flag(f'raw_{key}')} AS {key}")
        else:
            parsed.append(f"raw_{key} AS {key}")

    def read(trimmed: bool) -> str:
        raw = ", ".join(
            f"{_text(column, trimmed=trimmed)} AS raw_{key}"
            for key, column in columns.items()
        )
        return f"SELECT *, {', '.join(parsed)} FROM (SELECT {raw} FROM {scan})"

    return _Plan(
        parsed=read(trimmed=True),
        untrimmed=read(trimmed=False),
        columns=columns,
        ignored=ignored,
    )


def _spaced(kind: RecordKind, columns: Mapping[str, str]) -> str:
    """True where a stored free text (an id, a seat, a department…) begins or ends with
    a space, which TRIM would have taken off. The other fields need no such rule: a time
    is parsed with its spaces (TRY_CAST ignores them), and a flag, a category or the
    centre with a space breaks its own rule."""
    keys = [
        f.key
        for f in FIELDS[kind]
        if f.key in columns
        and f.type is FieldType.TEXT
        and not f.choices
        and f.key != "centre"
    ]
    spaced = " OR ".join(
        f"prefix(raw_{key}, ' ') OR suffix(raw_{key}, ' ')" for key in keys
    )
    return spaced or "FALSE"


def _written(
    connection: duckdb.DuckDBPyConnection,
    plan: _Plan,
    kind: RecordKind,
    centres: Sequence[str],
    year: int | None,
    folder: Path,
) -> ReadResult | None:
    """The clean file's records written by month in one pass, or None when a rule is
    broken (or the file cannot be read): ``_read`` then says which and where."""
    conditions = [r.condition for r in _rules(kind, plan.columns, centres, year)]
    conditions.append(_spaced(kind, plan.columns))
    broken = " OR ".join(f"COALESCE({condition}, FALSE)" for condition in conditions)
    when, identifier = TIME_FIELD[kind], ID_FIELD[kind]
    output = folder / "partitions"
    # rows are written in any order (no buffering to keep the file's)
    connection.execute("SET preserve_insertion_order = false")
    try:
        connection.execute(
            f"COPY (SELECT {_keys(kind, plan.columns)}, month({when}) AS month"
            f" FROM ({plan.untrimmed})"
            f" WHERE CASE WHEN {broken} THEN error('broken rule') ELSE TRUE END)"
            f" TO {_lit(str(output))} (FORMAT parquet, PARTITION_BY (month),"
            " OVERWRITE_OR_IGNORE true)"
        )
    except duckdb.Error as error:
        if "Invalid unicode" in str(error):
            raise _NotUtf8 from None
        return None
    if not output.exists():
        return None
    files = sorted(output.glob("month=*/*.parquet"))
    if not files:
        return None
    listed = _lit(str(output / "month=*" / "*.parquet"))
    # the rows per month from the files' footers
    months: dict[int, int] = {}
    for name, rows in connection.execute(
        f"SELECT file_name, num_rows FROM parquet_file_metadata({listed})"
    ).fetchall():
        month = int(Path(name).parent.name.removeprefix("month="))
        months[month] = months.get(month, 0) + int(rows)
    row = connection.execute(
        f"SELECT min(year({when})), max(year({when}))"
        f" FROM read_parquet({listed}, hive_partitioning = false)"
    ).fetchone()
    if row is None or row[0] != row[1]:
        return None
    # a GROUP BY runs on both cores (a count(DISTINCT …) does not): 0.9 s at 10.5 M ids
    repeated = connection.execute(
        f"SELECT count(*) FROM (SELECT {identifier} FROM read_parquet({listed},"
        f" hive_partitioning = false) GROUP BY {identifier} HAVING count(*) > 1)"
    ).fetchone()
    if repeated is None or repeated[0]:
        return None
    months = dict(sorted(months.items()))
    return ReadResult(
        kind=kind,
        year=int(row[0]),
        rows=sum(months.values()),
        months=months,
        files=_month_files(connection, output, months),
        folder=folder,
        ignored_columns=plan.ignored,
    )


def _read(
    connection: duckdb.DuckDBPyConnection,
    plan: _Plan,
    kind: RecordKind,
    centres: Sequence[str],
    year: int | None,
    folder: Path,
) -> ReadResult:
    try:
        connection.execute(f"CREATE TABLE parsed AS {plan.parsed}")
    except duckdb.InvalidInputException as error:
        raise refuse(_csv_error(error)) from None
    except duckdb.Error as error:
        raise refuse(f"文件无法读取：{_csv_error(error)}") from None
    return _checked(connection, kind, plan.columns, centres, year, folder, plan.ignored)


def _csv_error(error: Exception) -> str:
    text = str(error)
    line = ""
    for marker in ("Line: ", "line "):
        if marker in text:
            digits = text.split(marker, 1)[1].split()[0].strip(",.:")
            if digits.isdigit():
                line = f"第 {digits} 行附近"
                break
    if "Invalid unicode" in text or "UTF" in text:
        return "CSV 文件中有无法识别的字符编码：请另存为“CSV UTF-8（逗号分隔）”后导入"
    if "Expected Number of Columns" in text or "columns" in text.lower():
        return f"CSV 文件{line}的列数与表头不符（可能有未配对的引号或多余的逗号）：请重新导出"
    return f"CSV 文件{line}格式有误，无法读取：请重新导出为逗号分隔的 CSV"


def _checked(
    connection: duckdb.DuckDBPyConnection,
    kind: RecordKind,
    columns: Mapping[str, str],
    centres: Sequence[str],
    year: int | None,
    folder: Path,
    ignored: tuple[str, ...],
) -> ReadResult:
    rules = _rules(kind, columns, centres, year)
    when, identifier = TIME_FIELD[kind], ID_FIELD[kind]
    counts = ", ".join(f"count(*) FILTER (WHERE {r.condition})" for r in rules)
    row = connection.execute(
        f"SELECT count(*), count(*) - count(DISTINCT {identifier}), {counts},"
        f" min(year({when})), max(year({when})) FROM parsed"
    ).fetchone()
    assert row is not None
    total, duplicates, *broken, first_year, last_year = row
    if total == 0:
        raise refuse("文件只有表头，没有数据行")
    problems: list[Problem] = []
    for rule, count in zip(rules, broken, strict=True):
        if count:
            lines = connection.execute(
                f"SELECT rowid + 2 FROM parsed WHERE {rule.condition}"
                f" ORDER BY rowid LIMIT {SHOWN_LINES}"
            ).fetchall()
            problems.append(Problem(rule.message, tuple(r[0] for r in lines), count))
    if duplicates:
        problems.append(_duplicates(connection, kind, identifier, duplicates))
    if year is None and first_year is not None and first_year != last_year:
        by_year = connection.execute(
            f"SELECT year({when}) AS y, count(*) FROM parsed WHERE {when} IS NOT NULL"
            " GROUP BY y ORDER BY y"
        ).fetchall()
        listed = "、".join(f"{y} 年 {n:,} 行" for y, n in by_year)
        problems.append(
            Problem(f"文件包含多个年度的记录（{listed}）：请按年度分开导入，或指定年度")
        )
    if problems:
        raise RecordsRefused(problems)
    year = int(first_year)
    months = dict(
        connection.execute(
            f"SELECT month({when}) AS m, count(*) FROM parsed GROUP BY m ORDER BY m"
        ).fetchall()
    )
    output = folder / "partitions"
    connection.execute(
        f"COPY (SELECT {_keys(kind, columns)}, month({when}) AS month FROM parsed)"
        f" TO {_lit(str(output))} (FORMAT parquet, PARTITION_BY (month),"
        " OVERWRITE_OR_IGNORE true)"
    )
    files = _month_files(connection, output, months)
    return ReadResult(
        kind=kind,
        year=year,
        rows=int(total),
        months={int(m): int(n) for m, n in months.items()},
        files=files,
        folder=folder,
        ignored_columns=ignored,
    )


def _keys(kind: RecordKind, columns: Mapping[str, str]) -> str:
    """Every column of the contract (one the file lacked: empty), as stored."""
    sql_types = {
        FieldType.TEXT: "VARCHAR",
        FieldType.TIME: "TIMESTAMP",
        FieldType.FLAG: "BOOLEAN",
    }
    return ", ".join(
        f.key if f.key in columns else f"CAST(NULL AS {sql_types[f.type]}) AS {f.key}"
        for f in FIELDS[kind]
    )


def _month_files(
    connection: duckdb.DuckDBPyConnection, output: Path, months: Mapping[int, int]
) -> dict[int, Path]:
    """One Parquet file per month from the partitioned write in ``output``."""
    files: dict[int, Path] = {}
    for month in months:
        written = sorted((output / f"month={month}").glob("*.parquet"))
        if len(written) == 1:
            files[month] = written[0]
            continue
        merged = output / f"month-{month}.parquet"
        connection.execute(
            f"COPY (SELECT * FROM read_parquet("
            f"{_lit(str(output / f'month={month}' / '*.parquet'))}))"
            f" TO {_lit(str(merged))} (FORMAT parquet)"
        )
        files[month] = merged
    return files


def _duplicates(
    connection: duckdb.DuckDBPyConnection,
    kind: RecordKind,
    identifier: str,
    count: int,
) -> Problem:
    header = next(f.header for f in FIELDS[kind] if f.key == identifier)
    rows = connection.execute(
        f"SELECT {identifier}, list(rowid + 2 ORDER BY rowid) FROM parsed"
        f" WHERE {identifier} IS NOT NULL GROUP BY {identifier} HAVING count(*) > 1"
        f" ORDER BY min(rowid) LIMIT {SHOWN_LINES}"
    ).fetchall()
    shown = "；".join(
        f"“{value}”在第 {'、'.join(str(n) for n in lines[:4])} 行"
        for value, lines in rows
    )
    return Problem(f"“{header}”重复 {count:,} 次（同一编号只能出现一次）：{shown}")


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


__all__ = [
    "Problem",
    "ReadResult",
    "RecordLimits",
    "RecordsRefused",
    "read_records",
    "remove",
    "resolve_columns",
    "size_text",
]
