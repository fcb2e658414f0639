"""The PDF helper fetches static files from disk and nothing else (no database here)."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from weasyprint.urls import URLFetcherResponse

from documents.pdf import BASE_URL, StaticFilesURLFetcher, URLRefused, render_pdf

STYLESHEET = f"{BASE_URL}static/reports/print.css"


def test_static_file_is_served_from_disk() -> None:
    response = StaticFilesURLFetcher().fetch(STYLESHEET)
    assert isinstance(response, URLFetcherResponse)
    assert response.content_type == "text/css"
    assert b"Noto Serif CJK SC" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/reports/print.css",  # another host
        "http://documents.hotline-perf.invalid/static/reports/print.css",  # another scheme
        "file:///etc/passwd",
        f"{BASE_URL}etc/passwd",  # outside the static URL
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/settings/base.py",
        f"{BASE_URL}static/reports/",  # a directory
        f"{BASE_URL}static/reports/missing.css",
        "data:text/css,body{}",
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    with pytest.raises(URLRefused):
        StaticFilesURLFetcher().fetch(url)


def test_rendering_reaches_neither_the_network_nor_local_files(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    asked: list[str] = []
    served: list[str] = []
    fetch = StaticFilesURLFetcher.fetch

    def spy(self: StaticFilesURLFetcher, url: str, headers: object = None) -> object:
        asked.append(url)
        response = fetch(self, url)
        served.append(url)
        return response

    monkeypatch.setattr(StaticFilesURLFetcher, "fetch", spy)
    html = f"""<html><head>
      <link rel="stylesheet" href="/{settings.STATIC_URL.strip("/")}/reports/print.css">
      <link rel="stylesheet" href="https://example.com/remote.css">
      <style>@font-face {{ font-family: x; src: url(file:///usr/share/fonts/x.ttf) }}</style>
      </head><body><p>热线</p><img src="file:///etc/passwd"><img src="http://127.0.0.1/x.png">
      </body></html>"""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert served == [STYLESHEET]
    assert sorted(set(asked) - set(served)) == [
        "file:///etc/passwd",
        "file:///usr/share/fonts/x.ttf",
        "http://127.0.0.1/x.png",
        "https://example.com/remote.css",
    ]


def test_progress_is_reported_after_layout() -> None:
    seen: list[int] = []
    render_pdf("<p>绩效目标表</p>", progress=seen.append)
    assert seen == [70]
