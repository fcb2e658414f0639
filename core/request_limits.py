"""Request bodies are bounded before anything reads them.

``RequestBodyLimitMiddleware`` (second in ``MIDDLEWARE``, before the CSRF check and every
view reads ``request.POST``) refuses, from the headers alone:

- a body whose ``Content-Length`` exceeds ``REQUEST_BODY_MAX_BYTES`` — 413, with a Chinese
  page that names the limit (the largest upload, an evidence file, plus the form around it);
- a body without a ``Content-Length`` (``Transfer-Encoding: chunked``), whose size cannot be
  known before it is read — 411. Browsers always send the length of a form they post.

Under WSGI, Django itself never reads past ``Content-Length``; under ASGI, ``asgi.py``
wraps the application with ``BodyLimitASGI``, which counts the body as it arrives and
answers 413 as soon as it passes the limit, before Django spools it. Django's own
``DATA_UPLOAD_MAX_MEMORY_SIZE`` still bounds the non-file fields of a form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from kernel.spreadsheets import size_text

BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})

_PAGE: Final = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{message}</p><p><a href="javascript:history.back()">返回</a></p>
</body></html>"""


def limit() -> int:
    return int(getattr(settings, "REQUEST_BODY_MAX_BYTES", 25 * 1024 * 1024))


def too_large_message(size: int, maximum: int) -> str:
    return (
        f"上传的内容有 {size_text(size)}，超过每次上传 {size_text(maximum)} 的上限，"
        "服务器没有接收：请压缩或拆分文件后重新上传"
    )


LENGTH_REQUIRED: Final = (
    "请求没有注明内容长度（Content-Length），服务器无法在接收前检查大小，已拒绝："
    "请用浏览器的上传页面提交"
)


def _page(title: str, message: str, status: int) -> HttpResponse:
    return HttpResponse(
        _PAGE.format(title=title, message=message),
        status=status,
        content_type="text/html; charset=utf-8",
        headers={"Connection": "close"},
    )


def refusal(meta: MutableMapping[str, Any], method: str) -> HttpResponse | None:
    """The answer to a request whose body is too large or of unknown size, or None."""
    if method not in BODY_METHODS and not meta.get("HTTP_TRANSFER_ENCODING"):
        return None
    length = str(meta.get("CONTENT_LENGTH") or "").strip()
    if not length:
        if "chunked" in str(meta.get("HTTP_TRANSFER_ENCODING", "")).lower():
            return _page("需要注明内容长度", LENGTH_REQUIRED, 411)
        return None
    if not length.isdigit():
        return _page("请求无效", "请求的内容长度（Content-Length）无效", 400)
    maximum = limit()
    if int(length) > maximum:
        return _page("上传的文件太大", too_large_message(int(length), maximum), 413)
    return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        answer = refusal(request.META, request.method or "")
        if answer is not None:
            return answer
        return self.get_response(request)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]


class BodyLimitASGI:
    """Answer 413 as soon as an HTTP request's body passes ``REQUEST_BODY_MAX_BYTES``,
    whatever its headers said (Django's ASGI handler reads the whole body first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        maximum = limit()
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > maximum:
                    raise _BodyTooLarge(received)
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge as error:
            page = _page("上传的文件太大", too_large_message(error.size, maximum), 413)
            await send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": page.content})


class _BodyTooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size
