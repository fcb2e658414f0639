"""Frozen dataclasses as plain JSON values and back: what a snapshot stores.

``to_plain`` writes a dataclass as a dict of its fields (tagged with the class name, so a
field typed as a union of dataclasses reads back as the right one), a ``Decimal`` as its
exact string (never a float), a tuple or list as a list, a mapping as a dict and an enum
as its value.
``from_plain`` reads such a value back into the class the type hints name, so
``from_plain(T, to_plain(x)) == x`` for the frozen dataclasses of plain values the scoring
engine returns (``TreeResult``, ``CostTable``).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

TYPE_KEY = "type"


def to_plain(value: object) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers, booleans, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {
            f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        plain[TYPE_KEY] = type(value).__name__
        return plain
    if isinstance(value, Enum):
        return to_plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"{type(value).__name__} has no plain form")


def from_plain[T](cls: type[T], data: Any) -> T:
    """``data`` (as written by ``to_plain``) read back as a ``cls``."""
    return typing.cast(T, _read(cls, data))


def _read(hint: Any, data: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if data is None and type(None) in options:
            return None
        if isinstance(data, dict):
            for option in options:
                if isinstance(option, type) and option.__name__ == data.get(TYPE_KEY):
                    return _read(option, data)
        others = [o for o in options if o is not type(None)]
        if (
            len(others) > 1
        ):  # e.g. ``str | tuple[str, ...]``: told apart by the data's shape
            if isinstance(data, list):
                others = [o for o in others if typing.get_origin(o) in (tuple, list)]
            elif isinstance(data, str):
                others = [o for o in others if o is str]
        (option,) = others
        return _read(option, data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], item) for item in data)
        return tuple(_read(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is list:
        (arg,) = typing.get_args(hint)
        return [_read(arg, item) for item in data]
    if origin in (dict, collections.abc.Mapping):
        key, item_hint = typing.get_args(hint)
        return {_read(key, k): _read(item_hint, item) for k, item in data.items()}
    if hint is Any:
        return data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        return hint(
            **{
                f.name: _read(hints[f.name], data[f.name])
                for f in dataclasses.fields(hint)
                if f.name in data and f.init
            }
        )
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if hint is Decimal:
        return Decimal(data)
    if hint in (str, int, bool, float) or hint is type(None):
        return data
    raise TypeError(f"cannot read {hint!r} from plain data")
