"""Personal data in free text, found by its pattern (pure Python: no Django).

What a 公开版 must not show, when it stands in a paragraph rather than in a known contact
field: a Chinese mobile number, a landline with its area code (022-24538025, （022）24538025),
a number given after 电话/手机/传真 ("联系电话：24538025"), an 18-digit resident ID number
(身份证号), an e-mail address, and a name given after 联系人/负责人/经办人/填报人 and a colon.

What it must leave alone, and why each pattern is bounded as it is:

- amounts and figures: every number pattern refuses a digit, a decimal point or a
  thousands comma on either side, so 10200.59, 11,092.40 or 1012.36万 never match; a mobile
  number is 11 digits starting 13–19, a landline needs its leading 0 and a hyphen or
  brackets, so a year, a date (2020-12-31) or a count (3798000) is none of them;
- the hotlines 12345 and 8890, 7×24 and the like are 4–5 digits: too short for any pattern;
- an ID number must carry a valid date of birth (19xx/20xx, month 01–12, day 01–31).

Every quantifier is bounded, so each pattern runs in linear time on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """What kind of personal data an item is (the reviewer's list names it)."""

    NAME = "name"
    MOBILE = "mobile"
    LANDLINE = "landline"
    ID_NUMBER = "id_number"
    EMAIL = "email"


# A number's edge: no digit, decimal point, comma or full-width digit next to it.
_NO_DIGIT_BEFORE = r"(?<![0-9０-９.,，])"
_NO_DIGIT_AFTER = r"(?![0-9０-９]|[.,][0-9])"

_PATTERNS: tuple[tuple[Category, re.Pattern[str]], ...] = (
    (
        Category.ID_NUMBER,
        re.compile(
            _NO_DIGIT_BEFORE
            + r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
            + _NO_DIGIT_AFTER
        ),
    ),
    (
        Category.MOBILE,
        re.compile(
            _NO_DIGIT_BEFORE
            + r"(?:(?:\+|00)86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"
            + _NO_DIGIT_AFTER
            # an amount in 元 or a percentage is a figure, not a number to call
            + r"(?!\s{0,2}(?:元|万元|亿元|%|％))"
        ),
    ),
    (
        Category.LANDLINE,
        re.compile(
            _NO_DIGIT_BEFORE
            + r"(?:0\d{2,3}-\d{7,8}|[(（]0\d{2,3}[)）]\s?\d{7,8})(?:-\d{1,6})?"
            + _NO_DIGIT_AFTER
        ),
    ),
    (
        Category.EMAIL,
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
            r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
        ),
    ),
)

# A number or a name given right after the word that introduces it: the value alone is the
# item (group 1).
_INTRODUCED: tuple[tuple[Category, re.Pattern[str]], ...] = (
    (
        Category.LANDLINE,
        re.compile(
            r"(?:电话|手机|传真|联系方式|Tel|TEL|tel)\s{0,2}[：:]\s{0,2}"
            + _NO_DIGIT_BEFORE
            + r"(\d{7,8})"
            + _NO_DIGIT_AFTER
        ),
    ),
    (
        Category.NAME,
        re.compile(
            r"(?:联系人|负责人|经办人|填报人|填表人|审核人)\s{0,2}[：:]\s{0,2}"
            r"([\u4e00-\u9fff][\u4e00-\u9fff·]{1,4}?)(?=[\s，,。；;、（(）)]|$)"
        ),
    ),
)


@dataclass(frozen=True)
class Match:
    category: Category
    text: str


def _mobile_or_landline(category: Category, text: str) -> Category:
    if category is Category.LANDLINE and re.fullmatch(r"1[3-9]\d{9}", text):
        return Category.MOBILE
    return category


def find_personal_data(text: str) -> Iterator[Match]:
    """Each item of personal data ``text`` holds, by pattern, in order of appearance;
    a stretch taken by one pattern (an ID number) is not read again by another."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Match]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for category, pattern in _PATTERNS:
        for hit in pattern.finditer(text):
            if free(hit.start(), hit.end()):
                taken.append((hit.start(), hit.end()))
                found.append((hit.start(), Match(category, hit.group(0))))
    for category, pattern in _INTRODUCED:
        for hit in pattern.finditer(text):
            if free(hit.start(1), hit.end(1)):
                taken.append((hit.start(1), hit.end(1)))
                value = hit.group(1)
                found.append(
                    (hit.start(1), Match(_mobile_or_landline(category, value), value))
                )
    for _start, match in sorted(found, key=lambda item: item[0]):
        yield match
