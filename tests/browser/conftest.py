"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright
against pytest-django's ``live_server``.

``live_server`` needs a transactional database, which pytest-django empties after the test;
the other tests rely on the seeds loaded once per session, so browser tests are moved to
the end of the run (``pytest_collection_modifyitems``). Screenshots of each step are kept
in ``artifacts/browser/`` (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    browser = [i for i in items if here in Path(str(i.fspath)).resolve().parents]
    others = [i for i in items if i not in browser]
    items[:] = others + browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/install installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it runs; Django's
    # ORM refuses to run beside a running loop unless told it is safe (the browser tests'
    # own queries are), for these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def seeds_after_flush(request: pytest.FixtureRequest) -> None:
    """``live_server``'s transactional database is emptied after each browser test, so
    every browser test after the first would start without the seeds: they are loaded
    again when missing."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from budgets.models import Organisation
    from core.seeding import seeds_load

    if not Organisation.objects.exists():
        # the flush also emptied what a data migration wrote: the metric catalogue
        import_module("operations.migrations.0002_standard_metrics").create(apps, None)
        seeds_load()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
