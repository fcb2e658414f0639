"""The one rule for control characters in text (kernel/text.py)."""

from __future__ import annotations

import pytest

from kernel.text import (
    CONTROL_CHARACTERS,
    describe_control,
    first_control,
    without_controls,
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("接通率", None),
        ("第一行\n第二行\r\n\t缩进", None),  # tab, line feed, carriage return are text
        ("接通率\x01", "\x01"),
        ("\x00理由", "\x00"),
        ("a\x0bb\x0c", "\x0b"),
        ("x\x1f", "\x1f"),
        ("\x7f", None),  # DEL is not C0: openpyxl and PostgreSQL take it
        ("全角　空格", None),
    ],
)
def test_first_control(text: str, found: str | None) -> None:
    assert first_control(text) == found


def test_the_rule_is_c0_but_tab_line_feed_and_carriage_return() -> None:
    assert sorted(map(ord, CONTROL_CHARACTERS)) == [
        *range(0, 9),
        11,
        12,
        *range(14, 32),
    ]


def test_without_controls_drops_only_controls() -> None:
    assert without_controls("备\x01注\x00\t说明\n") == "备注\t说明\n"
    assert without_controls("接通率≥95%") == "接通率≥95%"


def test_describe_control() -> None:
    assert describe_control("\x01") == "U+0001"
    assert describe_control("\x00") == "U+0000"
