"""指标值: parse the target value of an indicator into comparator, number and unit.

Pure Python (no Django): the forms, the importers and the scoring service all call
:func:`parse_indicator_value` and keep the original text next to what it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable


class Comparator(StrEnum):
    """How an actual value is compared with the target number."""

    GE = "≥"
    LE = "≤"
    EQ = "="
    GT = ">"
    LT = "<"
    QUALITATIVE = "定性"


# Forms mix full-width and half-width characters freely ("≥８８％", "1，012.36"); the
# grammar below is written for the half-width forms only. ≧ ≦ ⩾ ⩽ are the variants of
# ≥ ≤ that Chinese input methods and Word produce; − and － are minus signs.
_TO_HALF_WIDTH: Final = str.maketrans(
    {
        **{chr(ord("０") + i): str(i) for i in range(10)},
        "％": "%",
        "＞": ">",
        "＜": "<",
        "＝": "=",
        "，": ",",
        "．": ".",
        "（": "(",
        "）": ")",
        "－": "-",
        "−": "-",
        "≧": "≥",
        "≦": "≤",
        "⩾": "≥",
        "⩽": "≤",
    }
)

COMPARATOR_SYMBOLS: Final[dict[str, Comparator]] = {
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    "=": Comparator.EQ,
    ">": Comparator.GT,
    "<": Comparator.LT,
}
"""Comparator symbols, after full-width → half-width normalisation."""

COMPARATOR_WORDS: Final[dict[str, Comparator]] = {
    # "at least X": the target is met by X itself.
    "不低于": Comparator.GE,
    "不少于": Comparator.GE,
    "不小于": Comparator.GE,
    "大于等于": Comparator.GE,
    "大于或等于": Comparator.GE,
    "至少": Comparator.GE,
    # 达到 ("reach X") is met by X or more: forms write "达到90%" for a floor, and
    # "达到90%以上" means the same thing.
    "达到": Comparator.GE,
    # "at most X": met by X itself.
    "不高于": Comparator.LE,
    "不超过": Comparator.LE,
    "不大于": Comparator.LE,
    "不多于": Comparator.LE,
    "小于等于": Comparator.LE,
    "小于或等于": Comparator.LE,
    "至多": Comparator.LE,
    # Strict comparisons: X itself does not meet them. Real forms write "大于 90%"
    # where they probably mean a floor; the parser keeps the literal reading and the
    # scorer decides.
    "大于": Comparator.GT,
    "高于": Comparator.GT,
    "超过": Comparator.GT,
    "多于": Comparator.GT,
    "小于": Comparator.LT,
    "低于": Comparator.LT,
    "少于": Comparator.LT,
    "不足": Comparator.LT,
    "等于": Comparator.EQ,
}
"""Comparator words written before the number, mapped as commented above."""

BOUND_SUFFIXES: Final[dict[str, Comparator]] = {
    "及以上": Comparator.GE,
    "以上": Comparator.GE,
    "及以下": Comparator.LE,
    "以下": Comparator.LE,
    "以内": Comparator.LE,
}
"""Words after the number. In Chinese legal usage 以上/以下/以内 include the number
itself (民法典 第一千二百五十九条), so they are inclusive bounds."""

PERIOD_QUALIFIERS: Final[tuple[str, ...]] = (
    "全年",
    "年度",
    "年",
    "上半年",
    "下半年",
    "半年",
    "季度",
    "月度",
    "月",
    "月均",
    "日均",
)
"""Words allowed in a trailing "（年）"-style qualifier. They say over which period the
value is measured, not what is counted, so they change neither the number nor the unit
(the original text keeps them)."""

UNITS: Final[tuple[str, ...]] = (
    # rates
    "%",
    "‰",
    "个百分点",
    # counts
    "个",
    "万个",
    "人",
    "万人",
    "名",
    "人次",
    "万人次",
    "件",
    "万件",
    "次",
    "万次",
    "条",
    "万条",
    "项",
    "期",
    "篇",
    "份",
    "家",
    "户",
    "台",
    "套",
    "场",
    "批",
    "分",
    "平方米",
    "平米",
    # money
    "元",
    "万元",
    "亿元",
    # durations
    "秒",
    "分钟",
    "小时",
    "天",
    "工作日",
    "个工作日",
    "个月",
    "年",
)
"""Units accepted after the number, kept as written ("750 万件" has unit "万件")."""

BARE_WAN_UNIT: Final = "万元"
"""A bare "万" after the number ("9878.2万", "111.8万", "10 万") is read as 万元. In the
target forms these cells are 成本指标 in forms whose amounts are stated in 万元, and a
bare 万 is not a count (counts always name the thing: 万件, 万人次, 万个)."""

MAX_NUMERIC_TEXT: Final = 200
"""A 指标值 longer than this is qualitative whatever it says (a number, its unit, bound and
period take a few dozen characters): a 100,000-character cell is not mapped to half-width
character by character."""

_CALENDAR_YEAR: Final = re.compile(r"(?:19|20)[0-9]{2}")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that "个工作日" wins over "个" and "不超过" over "超过".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PATTERN: Final = re.compile(
    # Possessive quantifiers (*+, ++): no part can start with what the one before it
    # ends with, so giving characters back never helps, and without them a long run
    # of spaces or digits makes the match time polynomial in the length of the text.
    rf"""
    (?P<comparator>{_alternation([*COMPARATOR_SYMBOLS, *COMPARATOR_WORDS])})?
    \s*+
    (?P<number>-?(?:[0-9]{{1,3}}(?:,[0-9]{{3}})++|[0-9]++)(?:\.[0-9]++)?)
    \s*+
    (?P<unit>{_alternation([*UNITS, "万"])})?
    \s*+
    (?P<bound>{_alternation(BOUND_SUFFIXES)})?
    \s*+
    (?:\(\s*+(?:{_alternation(PERIOD_QUALIFIERS)})\s*+\))?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One 指标值: the text as written and what it says, if it says a number.

    ``text`` is never altered. A qualitative value has ``number`` None and ``unit`` "".
    """

    text: str
    comparator: Comparator
    number: Decimal | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        if self.comparator is Comparator.QUALITATIVE:
            if self.number is not None or self.unit:
                raise ValueError("a qualitative value has no number and no unit")
        elif self.number is None:
            raise ValueError(f"comparator {self.comparator} needs a number")

    @property
    def is_quantitative(self) -> bool:
        return self.comparator is not Comparator.QUALITATIVE

    def format(self) -> str:
        """Canonical text: "≥88%", "560个" (= is implied), "≤-5%".

        A qualitative value renders as its text, stripped.
        """
        if self.number is None:
            return self.text.strip()
        symbol = "" if self.comparator is Comparator.EQ else str(self.comparator)
        return f"{symbol}{self.number:f}{self.unit}"

    def __str__(self) -> str:
        return self.format()


def parse_indicator_value(text: str) -> ParsedValue:
    """Parse a 指标值 cell; never raises.

    The whole cell, after stripping whitespace at both ends and mapping full-width
    ０-９ ％ ＞ ＜ ＝ ， ． （ ） and the minus signs － − to half-width, must match::

        value      = [comparator] number [unit] [bound] [period]
        comparator = "≥" | ">=" | "≤" | "<=" | "=" | ">" | "<"
                   | 大于 | 小于 | 不低于 | 不少于 | 达到 | 不超过 | ...
        number     = ["-"] digits ["." digits]
                   | ["-"] d{1,3} ("," ddd)+ ["." digits]
        unit       = "%" | "个" | "人" | "件" | "万件" | "人次" | "万元" | ...
                   | "万"                                  (read as 万元)
        bound      = 以上 | 及以上 (≥) | 以下 | 及以下 | 以内 (≤)
        period     = "(" (年 | 全年 | 半年 | 季度 | 月 | ...) ")"

    with optional whitespace between the parts. The word lists are the module
    constants COMPARATOR_SYMBOLS, COMPARATOR_WORDS, UNITS, BOUND_SUFFIXES and
    PERIOD_QUALIFIERS, each documented there. Then:

    - No comparator and no bound: EQ ("560 个" → = 560 个, "100%" → = 100 %).
    - A bound alone sets the comparator ("90%以上" → ≥ 90 %). With a comparator too it
      must point the same way ("达到90%以上" → ≥); "大于90%以下" is QUALITATIVE.
    - The number is the Decimal of the digits as written, separators dropped
      ("94.90" → Decimal("94.90"), "10,000.0" → Decimal("10000.0")).
    - A four-digit year with unit 年 ("2020年") is a date, not a duration: QUALITATIVE.

    Anything else is QUALITATIVE with number None and unit "": words ("健全",
    "显著降低"), dates ("2020 年底完成"), several numbers ("接听电话379.8万个，网站和
    手机受理28.1万件"). ``text`` is always the input unchanged, except that blank
    input gives text "".
    """
    if not text.strip():
        return ParsedValue(text="", comparator=Comparator.QUALITATIVE)
    qualitative = ParsedValue(text=text, comparator=Comparator.QUALITATIVE)
    if len(text) > MAX_NUMERIC_TEXT:
        return qualitative  # words, never a number: not worth mapping character by character

    match = _PATTERN.fullmatch(text.strip().translate(_TO_HALF_WIDTH))
    if match is None:
        return qualitative

    written = match["comparator"]
    comparator = (
        None
        if written is None
        else COMPARATOR_SYMBOLS.get(written) or COMPARATOR_WORDS[written]
    )
    if match["bound"] is not None:
        bound = BOUND_SUFFIXES[match["bound"]]
        if comparator is None:
            comparator = bound
        elif _direction(comparator) != _direction(bound):
            return qualitative
    if comparator is None:
        comparator = Comparator.EQ

    number = Decimal(match["number"].replace(",", ""))
    unit = match["unit"] or ""
    if unit == "万":
        unit = BARE_WAN_UNIT
    if unit == "年" and _CALENDAR_YEAR.fullmatch(match["number"]):
        return qualitative

    return ParsedValue(text=text, comparator=comparator, number=number, unit=unit)


def _direction(comparator: Comparator) -> int:
    if comparator in (Comparator.GE, Comparator.GT):
        return 1
    if comparator in (Comparator.LE, Comparator.LT):
        return -1
    return 0
