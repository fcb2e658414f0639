from __future__ import annotations

from typing import Any

from tests.fuzz.strategies import CASES, PROFILE


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CASES:
        tried = ", ".join(f"{reader} {n}" for reader, n in sorted(CASES.items()))
        terminalreporter.write_line(
            f"fuzz ({PROFILE}): {sum(CASES.values())} cases tried ({tried})"
        )
