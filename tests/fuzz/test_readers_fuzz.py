"""Property-based fuzzing of every upload reader: random bytes, random CSVs and mutated
workbooks (the penetration test's crash file among the seeds). Each example must end in a
result or the reader's own refusal (never another exception, never a dead process), within
a time and memory bound; the readers run without database access (pytest-django refuses
it), so nothing can be written. `HYPOTHESIS_PROFILE=fuzz-long` runs the long budget."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import given

from evaluations.workbooks.reading import WorkbookRefused, read_workbook
from operations.reading import FileRefused, read_table
from targets.workbooks_io import WorkbookError, read_target_form
from tests.fuzz.strategies import (
    FUZZ,
    count,
    csv_files,
    mutated_workbooks,
    random_bytes,
)

SECONDS = (
    3.0  # per example; a refusal takes milliseconds, a 20,000-row read under a second
)
PEAK = 200 * 1024 * 1024


def bounded(
    reader: str,
    read: Callable[[], object],
    refusal: type[Exception] | tuple[type[Exception], ...],
) -> None:
    count(reader)
    tracemalloc.start()
    began = time.perf_counter()
    try:
        read()
    except refusal:
        pass
    finally:
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert seconds < SECONDS, f"{reader}: {seconds:.2f} s"
    assert peak < PEAK, f"{reader}: {peak / 2**20:.0f} MB"


@FUZZ
@given(content=mutated_workbooks(("operating", "crash", "wide")) | random_bytes)
def test_operating_data_xlsx(content: bytes) -> None:
    bounded("operating xlsx", lambda: read_table("运行数据.xlsx", content), FileRefused)


@FUZZ
@given(content=csv_files() | random_bytes)
def test_operating_data_csv(content: bytes) -> None:
    bounded("operating csv", lambda: read_table("运行数据.csv", content), FileRefused)


@FUZZ
@given(content=mutated_workbooks(("evaluation", "crash", "wide")) | random_bytes)
def test_evaluation_workbook(content: bytes) -> None:
    bounded("evaluation workbook", lambda: read_workbook(content), WorkbookRefused)


@FUZZ
@given(content=mutated_workbooks(("target", "crash", "wide")) | random_bytes)
def test_target_form_workbook(content: bytes) -> None:
    bounded("target form", lambda: read_target_form(content), WorkbookError)


@pytest.mark.parametrize(
    ("reader", "read", "refusal"),
    [
        ("operating xlsx", lambda c: read_table("a.xlsx", c), FileRefused),
        ("evaluation workbook", read_workbook, WorkbookRefused),
        ("target form", read_target_form, WorkbookError),
    ],
)
def test_the_crash_file_itself_is_refused_by_every_reader(
    reader: str, read: Callable[[bytes], object], refusal: type[Exception]
) -> None:
    from tests.hostile_files import CRASH_WORKBOOK

    with pytest.raises(refusal):
        read(CRASH_WORKBOOK)
