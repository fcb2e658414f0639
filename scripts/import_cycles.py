#!/usr/bin/env python3
"""Import cycles between the modules of one app (or of the kernel, core, the configuration).

import-linter's layers contract keeps the apps in one direction; this finds what it does not:
a cycle inside one top-level package (documents.services → documents.tasks → documents.services).
It reads the import graph with grimp (installed with import-linter) and prints each strongly
connected group of modules, with one of its import chains. Imports under ``TYPE_CHECKING`` are
left out (they never run). Exit status 1 when there is a cycle.

    .venv/bin/python scripts/import_cycles.py
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "kernel",
    "core",
    "accounts",
    "budgets",
    "targets",
    "operations",
    "evaluations",
    "documents",
    "records",
    "comparisons",
    "rectifications",
    "results_use",
    "disclosure",
    "overview",
    "api",
    "hotline_perf",
)


def _top(module: str) -> str:
    return module.split(".")[0]


def _is_migration(module: str) -> bool:
    return ".migrations." in f"{module}."


def app_graph() -> dict[str, set[str]]:
    """Each module's direct imports of modules of its own top-level package."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(
        *PACKAGES, cache_dir=None, exclude_type_checking_imports=True
    )
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if _is_migration(module):
            continue
        edges[module] = {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if _top(imported) == _top(module) and not _is_migration(imported)
        }
    return edges


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return sorted(found)


def _chain(edges: Mapping[str, Iterable[str]], group: list[str]) -> list[str]:
    """One cycle through the group's first module (breadth-first within the group)."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges.get(node, ())):
            if child == start:
                return [*paths[node], start]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return group


def main() -> int:
    edges = app_graph()
    found = cycles(edges)
    for group in found:
        print(f"cycle in {_top(group[0])}: {' → '.join(_chain(edges, group))}")
        if len(group) > len(_chain(edges, group)) - 1:
            print(f"  (modules in the cycle: {', '.join(group)})")
    if not found:
        print("no import cycle between the modules of one package")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
