from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from budgets.models import Organisation
from operations.models import OperatingDataUpload, OperatingValue, OperatingValueChange


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploads of a test are kept in its own directory (the seeds' stay in var/media)."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def tianjin() -> Organisation:
    return Organisation.objects.get(code="tj-8890")


@pytest.fixture
def panjin() -> Organisation:
    return Organisation.objects.get(code="pj-yshj")


@pytest.fixture
def state(media: Path) -> Callable[[], tuple[object, ...]]:
    """Everything an upload could change: values, history, uploads and kept files."""

    def snapshot() -> tuple[object, ...]:
        return (
            sorted(
                OperatingValue.objects.values_list("pk", "value", "unit", "upload_id")
            ),
            OperatingValueChange.objects.count(),
            OperatingDataUpload.objects.count(),
            sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
        )

    return snapshot
