from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.utils import translation

from core.seeding import seeds_load

SEED_SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "source"


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> None:
    """Every database test starts from the five seed documents, loaded once per session
    through the same services a user's input goes through (each test rolls back)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        seeds_load()


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """The users' language is the default; tests that want English switch explicitly."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def seed_text() -> Callable[[str], str]:
    """``seed_text("000")``: the text of a seed document as the project received it."""

    def read(prefix: str) -> str:
        (path,) = SEED_SOURCES.glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")

    return read
