from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Membership, Role
from budgets.models import Organisation


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Rendered files go to a fresh directory per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def member(client: Client) -> Callable[[str, str], Client]:
    """``member("tj-8890", Role.UNIT)``: a client logged in as staff of that organisation."""

    def login(organisation: str, role: str = Role.UNIT) -> Client:
        user = User.objects.create_user(f"{organisation}-{role}", password="x" * 12)
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code=organisation),
            role=role,
        )
        client.force_login(user)
        return client

    return login
