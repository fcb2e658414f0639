from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Role
from tests.personas import log_in_as


@pytest.fixture
def login() -> Callable[..., Client]:
    """``login("tj-8890", Role.UNIT)``: a new client logged in as staff of that organisation."""

    def make(organisation: str, role: str = Role.UNIT, name: str = "") -> Client:
        username = name or f"{organisation}-{role}"
        return log_in_as(username, organisation, role, password="x" * 12)

    return make
