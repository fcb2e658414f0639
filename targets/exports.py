"""A target form's official workbook (导出 xlsx), written by the app that lays the form out.

The official grid of a target form is the documents app's (``documents.target_forms``: the
same grid the PDF prints), and documents sits above targets in the layers, so targets never
imports it: documents hands its writer in when Django starts (``DocumentsConfig.ready`` calls
``provide``), the way operations hands in the actual values (``targets.actuals``).
"""

from __future__ import annotations

from collections.abc import Callable

WorkbookWriter = Callable[[str], bytes]
"""The xlsx of the target form with this code (raises ``TargetForm.DoesNotExist``)."""

_writer: WorkbookWriter | None = None


class NoWorkbookWriter(LookupError):
    """No installed app writes target forms' workbooks."""


def provide(writer: WorkbookWriter) -> None:
    """Install the workbook writer (called once, from an ``AppConfig.ready``)."""
    global _writer
    _writer = writer


def official_workbook(code: str) -> bytes:
    """The official workbook of target form ``code``, as its PDF lays it out."""
    if _writer is None:
        raise NoWorkbookWriter("no installed app writes target form workbooks")
    return _writer(code)
