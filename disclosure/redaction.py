"""A document's personal data, found and removed in the document itself, before rendering.

A kind reads its object into a ``documents.kinds.Document`` whose ``context`` holds plain
values (strings, ``Decimal``, dates, frozen dataclasses such as ``kernel.grids.Grid``).
``document_texts`` reads every string of it; ``redacted_document`` returns the same document
with each item to remove replaced in every string, so the template, the typesetter and
WeasyPrint (or the kind's workbook writer) only ever see the redacted text: the 公开版 holds
no trace of what was removed, it is not drawn over. Numbers (``Decimal``, ``int``), dates
and booleans are never touched: a budget figure cannot be redacted by accident.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils.safestring import SafeData, mark_safe

from documents.kinds import Document

# What a removed item prints as in the 公开版.
PLACEHOLDER = "（已隐去）"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


def document_texts(document: Document) -> list[str]:
    """Every string the document prints (title and context), in order."""
    return [document.title, *_strings(document.context)]


def _replace(value: Any, removals: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        replaced = value
        for removal in removals:
            replaced = replaced.replace(removal, PLACEHOLDER)
        if replaced == value:
            return value
        # text the kind marked safe (an SVG chart) stays markup: the placeholder is plain
        return mark_safe(replaced) if isinstance(value, SafeData) else replaced
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _replace(getattr(value, field.name), removals)
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, Mapping):
        return {key: _replace(item, removals) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, removals) for item in value]
    if isinstance(value, tuple):
        items = [_replace(item, removals) for item in value]
        # a named tuple is rebuilt by its fields
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, (set, frozenset)):
        return type(value)(_replace(item, removals) for item in value)
    return value


def redacted_document(document: Document, removals: Iterable[str]) -> Document:
    """``document`` with every occurrence of each of ``removals`` replaced by
    ``PLACEHOLDER`` in its title and every string of its context (longest first, so a
    number is never half-replaced by a shorter item inside it)."""
    ordered = tuple(
        sorted({r for r in removals if r}, key=lambda text: (-len(text), text))
    )
    return dataclasses.replace(
        document,
        title=_replace(document.title, ordered),
        context=_replace(dict(document.context), ordered),
    )


def occurrences(texts: Iterable[str], item: str) -> int:
    """How many times ``item`` stands in ``texts``."""
    return sum(text.count(item) for text in texts)
