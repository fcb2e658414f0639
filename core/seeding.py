"""Load the seed fixtures (``fixtures/``) through the services, all or nothing.

The YAML files are document-shaped (see ``fixtures/seeds/README.md``): one seed file holds
the organisations, projects and budgets (budgets), the target forms (targets) of one case.
Each app knows its own part: its ``seeds.py`` maps that part onto its services, so a seed
goes through the same validation as a user's input. This module imports no app: it finds
each installed app's ``seeds`` module through the app registry and calls them in the order
of the apps' layers (``AppConfig.layer``: budgets before targets, targets before
operations, operations — whose operating data the evaluations take their actual values
from — before evaluations).

An app's ``seeds`` module defines ``seeds_load(documents, report)``: load its part, adding
what it loaded to ``report``; and, where it has them:

- ``seeds_present() -> bool``: whether its part of the seeds is in the database (any app's
  part present: the seeds are loaded);
- ``seeds_delete(documents)``: delete its part (``--replace``; called in reverse order, so
  that what refers to another app's rows goes first);
- ``seeds_finish(report)``: called once every app has loaded (snapshots of what was loaded
  as submitted or approved).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import module_has_submodule

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEED_FILES = ("tianjin-2020", "shanghai-2019", "suzhou-2023", "panjin-2023")

Doc = Mapping[str, Any]


class SeedError(Exception):
    """A seed file that cannot be loaded as it stands."""


class SeedsAlreadyLoaded(SeedError):
    pass


@dataclass(frozen=True)
class SeedDocument:
    """One seed file (``fixtures/seeds/<name>.yaml``) and its notes as one text."""

    name: str
    doc: Doc
    notes: str


@dataclass
class LoadReport:
    """What was loaded, as each app says it, in layer order (``load_seeds`` prints it)."""

    parts: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def dec(value: object) -> Decimal | None:
    """A fixture number: a quoted string or an int, never a YAML float (binary rounding)."""
    if value is None:
        return None
    if isinstance(value, float):
        raise SeedError(f"浮点数 {value!r} 不能作为金额：请在 YAML 中加引号")
    try:
        return Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        raise SeedError(f"{value!r} 不是数字") from None


def required(doc: Doc, key: str) -> Decimal:
    value = dec(doc.get(key))
    if value is None:
        raise SeedError(f"缺少金额 {key}: {dict(doc)}")
    return value


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


def date_value(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def read(path: Path) -> Doc:
    with path.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    if not isinstance(doc, dict):
        raise SeedError(f"{path.name}: 顶层必须是映射")
    return doc


def seed_paths() -> list[Path]:
    return [FIXTURES_DIR / "seeds" / f"{name}.yaml" for name in SEED_FILES]


def seed_documents() -> list[SeedDocument]:
    documents = []
    for path in seed_paths():
        doc = read(path)
        notes = "\n".join(text(n) for n in doc.get("notes") or ())
        documents.append(SeedDocument(name=path.name, doc=doc, notes=notes))
    return documents


def app_seeds() -> list[ModuleType]:
    """The ``seeds`` module of every installed app that has one, lowest layer first
    (``AppConfig.layer``; an app with seeds must say its layer)."""
    configs = [
        config
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "seeds")
    ]
    configs.sort(key=lambda config: int(getattr(config, "layer")))  # noqa: B009
    return [import_module(f"{config.name}.seeds") for config in configs]


@transaction.atomic
def seeds_load(*, replace: bool = False, approve: bool = False) -> LoadReport:
    """Load every app's part of the seeds. With ``replace``, existing seed objects are
    deleted first; otherwise loading twice raises ``SeedsAlreadyLoaded``. With
    ``approve``, each app's ``seeds_approve(documents, report)`` then records the
    decisions the seed documents say were taken (a target form its source says was
    approved); without it everything loads as a draft (the tests' starting point)."""
    loaders = app_seeds()
    if any(_step(loader, "seeds_present", lambda: False)() for loader in loaders):
        if not replace:
            raise SeedsAlreadyLoaded("种子数据已加载；如需重新加载请使用 --replace")
        documents = seed_documents()
        for loader in reversed(loaders):
            _step(loader, "seeds_delete", _nothing)(documents)
    documents = seed_documents()
    report = LoadReport(files=[document.name for document in documents])
    for loader in loaders:
        loader.seeds_load(documents, report)
    if approve:
        for loader in loaders:
            _step(loader, "seeds_approve", _nothing)(documents, report)
    for loader in loaders:
        _step(loader, "seeds_finish", _nothing)(report)
    return report


def _nothing(*args: object) -> None:
    return None


def _step(
    loader: ModuleType, name: str, default: Callable[..., Any]
) -> Callable[..., Any]:
    step: Callable[..., Any] = getattr(loader, name, default)
    return step
