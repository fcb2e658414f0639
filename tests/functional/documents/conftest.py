from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role
from tests.personas import log_in_as


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Rendered files go to a fresh directory per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def member(client: Client) -> Callable[[str, str], Client]:
    """``member("tj-8890", Role.UNIT)``: a client logged in as staff of that organisation."""

    def login(organisation: str, role: str = Role.UNIT) -> Client:
        username = f"{organisation}-{role}"
        return log_in_as(username, organisation, role, client=client, password="x" * 12)

    return login
