"""Structured logs: one JSON line per request with its id (the proxy's X-Request-ID or a
new one), user, client, method, path, status and duration; an error's lines carry the same
id, and the error is mailed to ADMINS when there are any."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from core.request_log import JsonFormatter

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the renderer fell over")


urlpatterns = [path("boom/", boom)]


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == logger
    ]


def test_one_json_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    response = Client(REMOTE_ADDR="198.51.100.20").get("/accounts/login/?next=/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = _lines(caplog, "hotline_perf.request")
    duration = line.pop("duration_ms")
    assert isinstance(duration, float) and duration >= 0
    assert line.pop("time").endswith("+00:00")
    assert line == {
        "level": "INFO",
        "logger": "hotline_perf.request",
        "message": "GET /accounts/login/ 200",
        "request_id": request_id,
        "user": "",
        "client": "198.51.100.20",
        "method": "GET",
        "path": "/accounts/login/",
        "status": 200,
    }


def test_the_user_and_the_proxys_request_id_and_client(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.HOTLINE_PERF_PROXY_COUNT = 1
    caplog.set_level(logging.INFO)
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    client.force_login(User.objects.create_user("clerk", password="x" * 12))
    response = client.get("/", HTTP_X_REQUEST_ID="nginx-7f3a9c")
    assert response["X-Request-ID"] == "nginx-7f3a9c"
    [line] = _lines(caplog, "hotline_perf.request")
    assert (line["request_id"], line["user"], line["client"], line["status"]) == (
        "nginx-7f3a9c",
        "clerk",
        "203.0.113.7",
        200,
    )


def test_a_request_id_that_could_forge_log_lines_is_replaced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    forged = 'x"}\n{"level": "INFO", "message": "all fine'
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=forged)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    [line] = _lines(caplog, "hotline_perf.request")
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_an_error_is_logged_with_the_request_id_and_mailed_to_admins(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.ADMINS = ["it-ops@example.gov.cn"]
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    [error] = _lines(caplog, "django.request")
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /boom/"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["exception"].endswith("RuntimeError: the renderer fell over")
    [request_line] = _lines(caplog, "hotline_perf.request")
    assert request_line["status"] == 500
    [message] = mail.outbox
    assert message.to == ["it-ops@example.gov.cn"]
    assert "Internal Server Error: /boom/" in message.subject
    assert "the renderer fell over" in message.body


@pytest.mark.urls(__name__)
def test_no_mail_without_admins(settings: Any) -> None:
    settings.ADMINS = []
    assert Client(raise_request_exception=False).get("/boom/").status_code == 500
    assert mail.outbox == []
