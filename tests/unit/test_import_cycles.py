"""scripts/import_cycles.py: import cycles between the modules of one package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_cycles.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_cycle_is_found_with_its_modules() -> None:
    edges = {
        "documents.services": {"documents.tasks", "documents.models"},
        "documents.tasks": {"documents.services"},
        "documents.models": set(),
        "documents.kinds": {"documents.target_forms"},
        "documents.target_forms": {"documents.reports"},
        "documents.reports": {"documents.kinds"},
    }
    assert _script().cycles(edges) == [
        ["documents.kinds", "documents.reports", "documents.target_forms"],
        ["documents.services", "documents.tasks"],
    ]


def test_imports_one_way_are_no_cycle() -> None:
    edges = {"a.views": {"a.services", "a.models"}, "a.services": {"a.models"}}
    assert _script().cycles(edges) == []


def test_no_package_of_the_project_has_an_import_cycle() -> None:
    script = _script()
    assert script.cycles(script.app_graph()) == []
