"""Text users type or files bring in: the one rule for characters no stored text may hold.

C0 control characters other than tab, line feed and carriage return (U+0000–U+0008, U+000B,
U+000C, U+000E–U+001F) are invisible, usually come from another system's export or a paste,
and break what reads the text later: an xlsx writer refuses them (openpyxl's
``IllegalCharacterError``, so every later export of the form would fail) and PostgreSQL
refuses NUL in a text column. Input is refused with a message naming the field or cell
(``first_control``); text already stored is cleaned where it is written out
(``without_controls``).

Pure Python: no Django, no app.
"""

from __future__ import annotations

from typing import Final

CONTROL_CHARACTERS: Final = frozenset(
    chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32))
)
"""C0 controls but tab, line feed and carriage return."""

_REMOVE: Final = dict.fromkeys(map(ord, CONTROL_CHARACTERS))


def first_control(text: str) -> str | None:
    """The first control character of ``text`` (``CONTROL_CHARACTERS``), or None."""
    if text.isprintable():  # the usual case, in C
        return None
    return next((c for c in text if c in CONTROL_CHARACTERS), None)


def without_controls(text: str) -> str:
    """``text`` with every control character (``CONTROL_CHARACTERS``) removed."""
    if text.isprintable():
        return text
    return text.translate(_REMOVE)


def describe_control(char: str) -> str:
    """How a message names the character: ``U+0001``."""
    return f"U+{ord(char):04X}"
