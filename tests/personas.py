"""Named personas for tests: a user acting for one seeded organisation in one role, and a
client logged in as them. The one helper every test uses instead of writing its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Membership
from budgets.models import Organisation


def member(username: str, organisation: str, role: str, **fields: Any) -> User:
    """``User.objects.create_user(username, **fields)`` with a membership of the
    organisation whose code is ``organisation``, in ``role``."""
    user = User.objects.create_user(username, **fields)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    return user


def log_in_as(
    username: str,
    organisation: str,
    role: str,
    *,
    client: Client | None = None,
    **fields: Any,
) -> Client:
    """A client (``client``, or a new one) logged in as a new ``member``."""
    client = client if client is not None else Client()
    client.force_login(member(username, organisation, role, **fields))
    return client
