"""结果应用 on the budget year page: the recommendation last year's evaluation gives, its
source and the finance bureau's decision, from the app that keeps them.

budgets sits at the bottom of the domain layers (docs/architecture.md), so it never
imports results_use: results_use hands its reader in when Django starts
(``ResultsUseConfig.ready`` calls ``provide``), as records hands operations its
verification (``operations/verification.py``). The reader answers with a panel — an object
whose ``template_name`` the page includes with it as ``panel`` — or None; until then the
page shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from budgets.models import BudgetYear

User = AbstractBaseUser | AnonymousUser


class Panel(Protocol):
    @property
    def template_name(self) -> str: ...


Reader = Callable[[BudgetYear, User], Panel | None]

_reader: Reader | None = None


def provide(reader: Reader) -> None:
    """Install the reader of a budget year's recommendation (called once, from ``ready``)."""
    global _reader
    _reader = reader


def result_panel(*, budget_year: BudgetYear, user: User) -> Any:
    """The panel the budget year page shows for ``user``, or None."""
    return None if _reader is None else _reader(budget_year, user)
