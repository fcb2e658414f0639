from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.scoring import DEFAULT_BANDS, GradeBand, ScoringError, grade_for


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("92.37", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_default_bands_follow_the_ministry_standard(total: str, grade: str) -> None:
    assert grade_for(Decimal(total)) == grade
    assert grade_for(Decimal(total), DEFAULT_BANDS) == grade


def test_bands_are_configurable_and_need_not_be_sorted() -> None:
    bands = (
        GradeBand("合格", Decimal(60)),
        GradeBand("优秀", Decimal(85)),
        GradeBand("不合格", Decimal(0)),
    )
    assert grade_for(Decimal("85"), bands) == "优秀"
    assert grade_for(Decimal("84.99"), bands) == "合格"
    assert grade_for(Decimal("10"), bands) == "不合格"


def test_a_total_below_every_band_is_an_error() -> None:
    with pytest.raises(ScoringError):
        grade_for(Decimal("50"), (GradeBand("合格", Decimal(60)),))


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (GradeBand("优", Decimal(90)), GradeBand("良", Decimal(90))),
        (GradeBand("优", Decimal(90)), GradeBand("优", Decimal(0))),
    ],
)
def test_malformed_bands_are_rejected(bands: tuple[GradeBand, ...]) -> None:
    with pytest.raises(ScoringError):
        grade_for(Decimal("95"), bands)
