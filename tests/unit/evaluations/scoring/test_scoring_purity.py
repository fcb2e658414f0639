"""The engine is pure Python: the standard library and the kernel only, no clock, no settings."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import evaluations.scoring

PACKAGE = Path(evaluations.scoring.__file__).parent
SOURCES = sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_engine_imports_only_the_standard_library_and_the_kernel(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names | {"kernel"}
    assert not imported & {"datetime", "time", "os", "random"}
