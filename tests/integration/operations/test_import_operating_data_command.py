"""`import_operating_data` runs the browser's path: check, then commit all or nothing."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Organisation
from operations.models import OperatingDataUpload, OperatingValue
from tests.integration.operations.files import row, xlsx

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, content: bytes, name: str = "2021.xlsx") -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_dry_run_checks_and_writes_nothing(
    tmp_path: Path, tianjin: Organisation
) -> None:
    path = write(tmp_path, xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, None)]))
    out = StringIO()
    call_command(
        "import_operating_data",
        str(path),
        "--organisation",
        "tj-8890",
        "--dry-run",
        stdout=out,
    )
    assert (
        out.getvalue().strip()
        == "校验通过（未写入）：天津市便民专线服务中心，2 行，新增 1、更新 0、未变化 0、未填数值 1。"
    )
    assert not OperatingValue.objects.filter(organisation=tianjin, year=2021).exists()


def test_import_by_organisation_name_records_the_command_as_source(
    tmp_path: Path, tianjin: Organisation
) -> None:
    path = write(tmp_path, xlsx([row("呼入量", 2021, 1000)]))
    out = StringIO()
    call_command(
        "import_operating_data",
        str(path),
        "--organisation",
        "天津市便民专线服务中心",
        stdout=out,
    )
    assert (
        out.getvalue().strip()
        == "已导入：天津市便民专线服务中心，1 行，新增 1、更新 0、未变化 0、未填数值 0。"
    )
    upload = OperatingDataUpload.objects.get(original_name="2021.xlsx")
    assert (upload.source, upload.uploaded_by, upload.status) == (
        "命令行",
        None,
        "committed",
    )
    assert OperatingValue.objects.get(organisation=tianjin, year=2021).value == Decimal(
        1000
    )


def test_a_bad_file_fails_with_every_problem_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, xlsx([row("呼入量", 2021, "96%"), row("接听量", "2021-13", 5)])
    )
    err = StringIO()
    before = OperatingDataUpload.objects.count()
    with pytest.raises(
        CommandError, match=r"^未导入（数据未作任何更改）：发现 2 处错误$"
    ):
        call_command(
            "import_operating_data", str(path), "--organisation", "tj-8890", stderr=err
        )
    assert err.getvalue().splitlines() == [
        "第 2 行 D 列：数值“96%”是百分比：请填写计数（如接听量、呼入量各占一行），比率由系统计算",
        "第 3 行 C 列：期间“2021-13”的月份须在 1–12 之间：一年只有 12 个月",
    ]
    assert OperatingDataUpload.objects.count() == before


def test_an_unknown_organisation_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, xlsx([row("呼入量", 2021, 1)]))
    with pytest.raises(CommandError, match="找不到单位“nobody”"):
        call_command("import_operating_data", str(path), "--organisation", "nobody")
