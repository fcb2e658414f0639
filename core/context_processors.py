"""What every page's layout shows besides its own content."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from core.inbox import inbox_count


class InboxFigure:
    """The number of things waiting for the user (the navigation's 待办), counted only
    when a template shows it, once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def count(self) -> int:
        return inbox_count(self._request.user)


def inbox(request: HttpRequest) -> dict[str, object]:
    return {"inbox": InboxFigure(request)}
