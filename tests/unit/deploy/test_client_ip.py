"""The client address behind N trusted proxies: the N-th X-Forwarded-For entry from the
right, or the direct peer when the header is shorter than the proxy chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.5"),
        (1, "", "10.0.0.5"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.5"),
        (1, " 192.0.2.1 ,203.0.113.7 ", "203.0.113.7"),
    ],
)
def test_client_ip(settings: Any, proxies: int, forwarded: str, expected: str) -> None:
    settings.HOTLINE_PERF_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected
