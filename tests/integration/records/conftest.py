from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from budgets.models import Organisation
from operations.services import operating_data_commit, operating_data_upload
from records.synthetic import Manifest, Totals, generate

TIANJIN = "天津市便民专线服务中心"
SMALL = Totals.scaled(105_320, 103_639)
"""Tianjin 2020 at 1 %: 105,320 calls, 101,236 answered; 103,639 orders."""


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def tianjin() -> Organisation:
    return Organisation.objects.get(code="tj-8890")


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Manifest]:
    """``synthetic(plant=…, drop_month=…)``: a 1 % Tianjin year, written once a session."""
    made: dict[tuple[object, ...], Manifest] = {}

    def make(
        *, plant: bool = False, drop_month: int | None = None, file_format: str = "csv"
    ) -> Manifest:
        key = (plant, drop_month, file_format)
        if key not in made:
            folder = tmp_path_factory.mktemp("synthetic")
            manifest = generate(
                directory=folder,
                organisation="tj-8890",
                year=2021,
                totals=SMALL,
                plant_discrepancy=plant,
                drop_month=drop_month,
                file_format=file_format,
            )
            manifest.files = {k: str(folder / v) for k, v in manifest.files.items()}
            made[key] = manifest
        return made[key]

    return make


def report(
    organisation: Organisation, rows: Sequence[tuple[str, str, object, str]]
) -> None:
    """Upload and confirm reported operating values (指标, 期间, 数值, 单位)."""
    lines = ["填报单位,指标,期间,数值,单位,备注"]
    lines += [f"{organisation.name},{m},{p},{v},{u}," for m, p, v, u in rows]
    outcome = operating_data_upload(
        organisation=organisation,
        name="reported.csv",
        content=("\r\n".join(lines) + "\r\n").encode("utf-8"),
        source="测试",
    )
    assert outcome.ok, outcome.problems
    assert outcome.upload is not None
    committed = operating_data_commit(upload=outcome.upload)
    assert committed.committed, committed.problems
