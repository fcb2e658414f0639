"""The address of the client a request comes from, behind a known number of proxies.

Behind a reverse proxy every request arrives from the proxy's address (``REMOTE_ADDR``), so
anything keyed on it — django-axes' lock-outs, the request log — would treat every user as
one. Each trusted proxy appends the address it received the request from to
``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so with ``N`` trusted proxies
the client is the ``N``-th entry from the right; entries further left were written by the
client itself and are not believed. ``HOTLINE_PERF_PROXY_COUNT`` (settings) is ``N``; with
0, or a header shorter than ``N`` entries (a request that did not come through every
proxy), the direct peer's address is the client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the outermost trusted proxy reports it."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "HOTLINE_PERF_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(entries) < proxies:
        return remote
    return entries[-proxies]
