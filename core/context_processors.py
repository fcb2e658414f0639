"""What every page's layout shows besides its own content."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from core.inbox import TaskList, inbox_count


class InboxFigure:
    """The number of things waiting for the user (the navigation's 待办), counted only
    when a template shows it, once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def count(self) -> int:
        # the home page has counted its lists already (``inbox``): not counted again
        lists: list[TaskList] | None = getattr(self._request, "inbox_lists", None)
        if lists is not None:
            return sum(entry.count for entry in lists if entry.source.actionable)
        return inbox_count(self._request.user)


def inbox(request: HttpRequest) -> dict[str, object]:
    return {"inbox": InboxFigure(request)}
