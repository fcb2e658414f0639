"""A target indicator's name as a catalogue identity (operations/identity.py): the base
and the bracketed qualifiers, written one way."""

from __future__ import annotations

import pytest

from operations.identity import identity


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("受理量", ("受理量", frozenset())),
        ("全年受理量", ("受理量", frozenset())),
        ("年度 受理量", ("受理量", frozenset())),
        ("全年受理(咨询)量", ("受理量", frozenset({"咨询"}))),
        ("全年受理（咨询）量", ("受理量", frozenset({"咨询"}))),
        ("受理量（咨询）", ("受理量", frozenset({"咨询"}))),
        ("受理量（求助）", ("受理量", frozenset({"求助"}))),
        # a period word that is the whole name is the name
        ("年度", ("年度", frozenset())),
        # 月均 says what is counted (a mean), not over which period: kept
        ("月均人数", ("月均人数", frozenset())),
    ],
)
def test_identity(name: str, expected: tuple[str, frozenset[str]]) -> None:
    assert identity(name) == expected


def test_a_qualified_volume_is_not_the_total() -> None:
    assert identity("全年受理(咨询)量") != identity("受理量")
    assert identity("全年受理(咨询)量") == identity("受理量（咨询）")
