from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Membership, Role
from budgets.models import Organisation


@pytest.fixture
def login() -> Callable[..., Client]:
    """``login("tj-8890", Role.UNIT)``: a new client logged in as staff of that organisation."""

    def make(organisation: str, role: str = Role.UNIT, name: str = "") -> Client:
        user = User.objects.create_user(
            name or f"{organisation}-{role}", password="x" * 12
        )
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code=organisation),
            role=role,
        )
        client = Client()
        client.force_login(user)
        return client

    return make
