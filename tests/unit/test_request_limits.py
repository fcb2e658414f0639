"""The request-body cap under ASGI: a body is counted as it arrives and refused with 413 as
soon as it passes the limit, whatever its headers said."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from core.request_limits import BodyLimitASGI, refusal


def _run(app: BodyLimitASGI, chunks: list[bytes]) -> tuple[list[dict[str, Any]], int]:
    sent: list[dict[str, Any]] = []
    pulled = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = chunks[pulled] if pulled < len(chunks) else b""
        pulled += 1
        return {
            "type": "http.request",
            "body": chunk,
            "more_body": pulled < len(chunks),
        }

    async def send(message: Any) -> None:
        sent.append(dict(message))

    asyncio.run(app({"type": "http", "method": "POST"}, receive, send))  # type: ignore[arg-type]
    return sent, pulled


async def _reads_everything(scope: Any, receive: Any, send: Any) -> None:
    """Like Django's ASGI handler: the whole body first, then the answer."""
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_endless_streamed_body_is_cut_off_at_the_limit(settings: Any) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 1024
    sent, pulled = _run(BodyLimitASGI(_reads_everything), [b"x" * 512] * 1000)
    assert sent[0]["status"] == 413
    assert "超过每次上传 1 KB 的上限，服务器没有接收" in sent[1]["body"].decode()
    assert pulled == 3  # stopped at the first chunk past the limit


def test_a_body_within_the_limit_passes(settings: Any) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 1024
    sent, _pulled = _run(BodyLimitASGI(_reads_everything), [b"x" * 512, b"x" * 512])
    assert [m.get("status") for m in sent] == [200, None]


@pytest.mark.parametrize(
    ("meta", "method", "status"),
    [
        ({"CONTENT_LENGTH": str(26 * 1024 * 1024)}, "POST", 413),
        ({"CONTENT_LENGTH": "12"}, "POST", None),
        ({"CONTENT_LENGTH": "-1"}, "POST", 400),
        ({"HTTP_TRANSFER_ENCODING": "chunked"}, "POST", 411),
        ({}, "GET", None),
    ],
)
def test_the_headers_decide_before_the_body_is_read(
    meta: dict[str, str], method: str, status: int | None
) -> None:
    answer = refusal(meta, method)
    assert (answer.status_code if answer else None) == status
