"""Behind the reverse proxy every request comes from the proxy's address: lock-outs key on
the client address the trusted proxy appends to X-Forwarded-For (core/client_ip.py,
HOTLINE_PERF_PROXY_COUNT), so one client's failures lock that client only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # REMOTE_ADDR of every request: the proxy's
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def one_proxy(settings: Any) -> None:
    settings.HOTLINE_PERF_PROXY_COUNT = 1


def behind_proxy(client_address: str, spoofed: str = "") -> Client:
    """A browser at ``client_address``; nginx appends it to what the client sent."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def fail_five_times(client: Client, username: str) -> list[int]:
    return [
        client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}
        ).status_code
        for _ in range(5)
    ]


def log_in(client: Client, username: str) -> int:
    return client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}
    ).status_code


def test_one_clients_failures_lock_that_client_only() -> None:
    User.objects.create_user("clerk", password=PASSWORD)
    attacker = behind_proxy("203.0.113.7")
    assert fail_five_times(attacker, "clerk") == [200, 200, 200, 200, 429]
    assert log_in(attacker, "clerk") == 429
    # The real clerk, behind the same proxy but at another address, logs in.
    assert log_in(behind_proxy("198.51.100.20"), "clerk") == 302


def test_two_users_behind_the_same_proxy_do_not_lock_each_other_out() -> None:
    User.objects.create_user("clerk", password=PASSWORD)
    User.objects.create_user("auditor", password=PASSWORD)
    assert fail_five_times(behind_proxy("198.51.100.20"), "clerk")[-1] == 429
    assert log_in(behind_proxy("198.51.100.30"), "auditor") == 302
    assert log_in(behind_proxy("198.51.100.30"), "clerk") == 302


def test_an_address_written_by_the_client_itself_is_not_believed() -> None:
    """The client cannot dodge the lock-out by sending its own X-Forwarded-For: the proxy
    appends the address it saw, and only that entry counts."""
    User.objects.create_user("clerk", password=PASSWORD)
    statuses = [
        behind_proxy("203.0.113.7", spoofed=f"192.0.2.{attempt}")
        .post("/accounts/login/", {"username": "clerk", "password": "wrong"})
        .status_code
        for attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert log_in(behind_proxy("203.0.113.7", spoofed="192.0.2.99"), "clerk") == 429


def test_with_no_proxy_configured_the_header_is_ignored(settings: Any) -> None:
    settings.HOTLINE_PERF_PROXY_COUNT = 0
    User.objects.create_user("clerk", password=PASSWORD)
    statuses = [
        behind_proxy(f"198.51.100.{attempt}")
        .post("/accounts/login/", {"username": "clerk", "password": "wrong"})
        .status_code
        for attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
