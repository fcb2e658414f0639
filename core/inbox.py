"""待办: what waits for a user, gathered from every app that has work to hand out.

core sits below every app that owns such work (target forms, 目标调整 and 预算调整,
operating-data uploads, evaluations, expert reviews), so it imports none of them: each app
registers its lists here when Django starts (``AppConfig.ready`` → ``register``), the way
operations hands targets its actual values (``targets/actuals.py``). A list answers for
one user, through that app's own scoping (``*_for(user)``), so nobody sees another
organisation's work:

- ``count(user)``: how many items (one query, or none when the role has no such work);
- ``items(user, limit)``: the first ``limit`` of them, oldest first, each with where to
  act (one query whatever the number of items).

``inbox(user)`` is the home page's 待办, ``inbox_count(user)`` the figure in the
navigation: only lists of work for the user (``actionable``), not those that only keep
them informed (a department's view of what its units submitted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django_stubs_ext import StrOrPromise

User = AbstractBaseUser | AnonymousUser

INBOX_SHOWN = 10
"""How many items of each list the home page shows (the rest behind its link)."""


@dataclass(frozen=True)
class Task:
    """One thing waiting: what it is, what to do, where, and since when."""

    title: str
    url: str
    since: datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class TaskSource:
    """One kind of work an app hands out."""

    key: str  # "targets.review": unique, also the list's HTML id
    title: StrOrPromise  # "目标表待审核"
    count: Callable[[Any], int]
    items: Callable[[Any, int], Sequence[Task]]
    list_url: Callable[[Any], str] = lambda user: ""
    actionable: bool = True
    order: int = 100  # place on the home page


@dataclass(frozen=True)
class TaskList:
    source: TaskSource
    count: int
    tasks: tuple[Task, ...]
    more_url: str = ""  # where the whole list is, when there is such a page

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def title(self) -> StrOrPromise:
        return self.source.title

    @property
    def more(self) -> int:
        return self.count - len(self.tasks)


_sources: dict[str, TaskSource] = {}


def register(source: TaskSource) -> None:
    """Add (or replace) a kind of work; called from an ``AppConfig.ready``."""
    _sources[source.key] = source


def sources() -> list[TaskSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def inbox(user: User, *, shown: int = INBOX_SHOWN) -> list[TaskList]:
    """Every list with something in it for ``user``, in the home page's order."""
    if not user.is_authenticated:
        return []
    found = []
    for source in sources():
        count = source.count(user)
        if count:
            found.append(
                TaskList(
                    source,
                    count,
                    tuple(source.items(user, shown)),
                    source.list_url(user),
                )
            )
    return found


def inbox_count(user: User) -> int:
    """How many things wait for ``user`` to act on (the navigation's figure)."""
    if not user.is_authenticated:
        return 0
    return sum(source.count(user) for source in sources() if source.actionable)
