"""The kernel is pure Python: no Django, no app of the project, no configuration package
(import-linter checks the same; this test names the module that breaks the rule)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import kernel

PACKAGE = Path(kernel.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
ROOT = PACKAGE.parent
FORBIDDEN = {"django", "hotline_perf", "core"} | {
    path.parent.name for path in ROOT.glob("*/apps.py")
}
NUMBER_MODULES = (
    "rounding",
    "decimals",
    "metrics",
    "rates",
    "units",
    "indicator_values",
    "grids",
)


def _imported(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    return imported


@pytest.mark.parametrize(
    "source", SOURCES, ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_kernel_imports_no_django_and_no_app(source: Path) -> None:
    assert not _imported(source) & FORBIDDEN


def test_the_kernel_s_number_modules_import_only_the_standard_library() -> None:
    for name in NUMBER_MODULES:
        imported = _imported(PACKAGE / f"{name}.py")
        assert imported <= sys.stdlib_module_names | {"kernel"}, (name, imported)


def test_every_kernel_module_is_checked() -> None:
    assert {"accounts", "budgets", "targets", "operations", "evaluations"} <= FORBIDDEN
    assert {PACKAGE / f"{name}.py" for name in NUMBER_MODULES} <= set(SOURCES)
