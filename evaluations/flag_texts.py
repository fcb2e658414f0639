"""The scoring engine's flags in the reader's language.

The engine (``evaluations.scoring``, pure Python) writes each flag's sentence in
Chinese — what ``evaluate --json``, the workbook and the printed documents keep — and
names it by ``Flag.code`` with the values it is made of in ``Flag.params``. A page
shows ``flag_text(flag)``: the same sentence through gettext, so under ``/en/`` it is
English with the data values (indicator and tier names, numbers) as the engine gave
them, and in Chinese it is word for word the engine's own sentence (the zh_Hans
translations in locale/ reproduce it; tests/functional/evaluations/test_flag_texts.py
checks every code against the engine).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .scoring import Flag, FlagCode

__all__ = ["FLAG_TEXTS", "flag_text"]

FLAG_TEXTS: dict[FlagCode, Promise] = {
    FlagCode.ABOVE_WEIGHT_ENTERED: _(
        "“%(indicator)s”: the evaluator's score %(score)s is above the weight "
        "%(weight)s; the weight is counted."
    ),
    FlagCode.BELOW_ZERO: _(
        "“%(indicator)s”: the evaluator's score %(score)s is negative; 0 is counted."
    ),
    FlagCode.REASON_MISSING: _(
        "“%(indicator)s” is scored by the evaluator: a reason for the score is required."
    ),
    FlagCode.REASON_MISSING_DIFFERS: _(
        "“%(indicator)s”: the evaluator's score %(score)s differs from the computed "
        "score %(computed)s: a reason for the adjustment is required."
    ),
    FlagCode.MISSING_ACTUAL: _(
        "“%(indicator)s” has no actual value: no score can be computed."
    ),
    FlagCode.MISSING_TARGET: _(
        "“%(indicator)s” has no target value: no score can be computed."
    ),
    FlagCode.SCORE_MISSING: _(
        "“%(indicator)s” has not been scored by the evaluator yet."
    ),
    FlagCode.CHECKLIST_POINTS_MISMATCH: _(
        "“%(indicator)s”: its scoring points add up to %(points)s, not to the "
        "indicator's weight %(weight)s."
    ),
    FlagCode.OVER_ACHIEVEMENT_ABOVE: _(
        "“%(indicator)s”: the actual value %(actual)s reaches %(limit)s%% or more of "
        "the target %(target)s; the target may be set too low. An explanation is "
        "required."
    ),
    FlagCode.OVER_ACHIEVEMENT_BELOW: _(
        "“%(indicator)s”: the actual value %(actual)s is far below the ceiling "
        "%(target)s (deviation limit %(limit)s%%); the target may be set too loose. "
        "An explanation is required."
    ),
    FlagCode.TIER_MISSING: _(
        "“%(indicator)s” is qualitative: choose how far it was achieved (e.g. "
        "achieved, partly achieved, not achieved)."
    ),
    FlagCode.INVALID_TIER: _(
        "“%(indicator)s”: the degree of achievement “%(tier)s” is not one of the "
        "choices (%(tiers)s)."
    ),
    FlagCode.SCORE_OUTSIDE_TIER: _(
        "“%(indicator)s”: the score %(score)s is outside the band for “%(tier)s” "
        "([%(minimum)s%%, %(maximum)s%%%(closing)s of the weight)."
    ),
    FlagCode.CHILDREN_WEIGHTS_MISMATCH: _(
        "“%(indicator)s”: its sub-indicators' weights add up to %(children)s, not to "
        "its weight %(weight)s."
    ),
    FlagCode.ABOVE_WEIGHT_NODE: _(
        "“%(indicator)s”: the score %(score)s is above the weight %(weight)s."
    ),
    FlagCode.NOT_APPLICABLE: _(
        "“%(indicator)s” does not apply: its weight %(weight)s is not counted and is "
        "shared among the applicable indicators in proportion (total = applicable "
        "indicators' scores ÷ their weights × %(total_weight)s)."
    ),
    FlagCode.ROOTS_WEIGHTS_MISMATCH: _(
        "The first-level indicators' weights add up to %(roots)s, not to the full "
        "score %(total_weight)s."
    ),
    FlagCode.TOTAL_ABOVE_FULL: _(
        "The total %(total)s is above the full score %(total_weight)s."
    ),
    FlagCode.PUBLISHED_TOTAL_MISMATCH: _(
        "The published (entered) total %(published)s differs from the computed total "
        "%(total)s."
    ),
}


def flag_text(flag: Flag) -> str:
    """The flag's sentence in the active language (its own text if it has no code)."""
    if flag.code is None:
        return flag.message
    separator = pgettext("list separator in a sentence", ", ")
    params = {
        key: separator.join(value) if isinstance(value, tuple) else value
        for key, value in flag.params.items()
    }
    return str(FLAG_TEXTS[flag.code]) % params
