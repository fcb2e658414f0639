"""Every page in English: each URL pattern of the authorization matrix, with its seed
objects, as each role, under ``/en/`` — no Chinese character on the page but data values,
proper names and text the page marks as Chinese.

How data is told apart from the page's own words (its "chrome"): by comparing with what
the database stores. Every Chinese string stored in a text or JSON field of any model (an
indicator's name, an organisation's name, a 指标值, a reason someone typed, a report's
paragraph — and each line of it) is a data value or a proper name; a stretch of a page's
text that is one of them is masked out, and no CJK character may remain. Units of
measure are part of a value as the source writes it ("750 万件", "10 万元": the units of
``kernel.units``), and a stored text cut short ends in "…". Chinese that
code writes (a choice label, a flag's sentence, a chart title, "年度" after a year) is
stored nowhere, so it stays and fails the test. The other way — marking every data value
in the templates — would need a mark on every ``{{ }}`` of every template and fail
falsely on each one forgotten; comparing with the stored strings needs nothing from the
templates, and its one blind spot is a piece of chrome that is word for word a stored
value (a label "接通率" beside an indicator named 接通率), which a msgid in English never is.

Text inside an element with ``lang="zh…"`` is Chinese by declaration and allowed: the
printed documents and official forms (``templates/reports/base.html``; they reproduce
Chinese documents and stay Chinese, docs/pages.md) and the language switcher's "简体中文",
a language's name in its own language.

Checked: every text node outside ``<script>``/``<style>``, and the attributes a person
reads (``title``, ``placeholder``, ``aria-label``, ``alt``, the ``value`` of a button, the
``data-confirm`` of a confirmation). Redirects are followed, so the message an action
leaves on the next page is checked too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tinyhtml5
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kernel.units import UNITS
from tests.functional.test_authorization_matrix import (
    LOGIN,
    MATRIX,
    ROLES,
    Ctx,
    client_for,
)

# CJK ideographs, CJK punctuation (、。「」), full-width forms (，：（）) and the
# compatibility ideographs.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
WHITESPACE = re.compile(r"\s+")
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
BUTTON_TYPES = {"submit", "button", "reset"}
HTML = "{http://www.w3.org/1999/xhtml}"
NOT_READ = {f"{HTML}script", f"{HTML}style", f"{HTML}head"}


def _normal(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


class StoredStrings:
    """Every CJK-bearing string the database holds, and each of its lines, as a page
    prints them (whitespace collapsed); ``unmasked(text)`` is what of ``text`` is not one
    of them, longest match first."""

    def __init__(self) -> None:
        found: set[str] = set()
        for model in apps.get_models():
            fields = [
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(
                    field, models.CharField | models.TextField | models.JSONField
                )
            ]
            if not fields:
                continue
            for row in model._default_manager.values_list(*fields):
                for value in row:
                    found.update(_strings(value))
        self.strings = {
            piece
            for text in found | set(UNITS)
            for piece in (_normal(text), *map(_normal, text.splitlines()))
            if CJK.search(piece)
        }
        by_start: dict[str, set[int]] = {}
        for text in self.strings:
            by_start.setdefault(text[0], set()).add(len(text))
        self.lengths = {
            start: sorted(lengths, reverse=True) for start, lengths in by_start.items()
        }

    def unmasked(self, text: str) -> str:
        if text in self.strings:
            return ""
        if text.endswith("…") and any(s.startswith(text[:-1]) for s in self.strings):
            return ""  # a stored text cut short (``truncatechars``)
        kept = []
        position = 0
        while position < len(text):
            for length in self.lengths.get(text[position], ()):
                if text[position : position + length] in self.strings:
                    position += length
                    break
            else:
                kept.append(text[position])
                position += 1
        return "".join(kept)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if CJK.search(value):
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _read_texts(element: Any, chinese: bool = False) -> Iterator[str]:
    """The texts a person reads in ``element`` that are not declared Chinese."""
    if element.tag in NOT_READ:
        return
    chinese = element.get("lang", "zh" if chinese else "").lower().startswith("zh")
    if not chinese:
        for name in READ_ATTRIBUTES:
            if element.get(name):
                yield element.get(name)
        if element.tag == f"{HTML}input" and element.get("type") in BUTTON_TYPES:
            yield element.get("value") or ""
        if element.text:
            yield element.text
    for child in element:
        yield from _read_texts(child, chinese)
        if child.tail and not chinese:
            yield child.tail


def chinese_chrome(html: str, stored: StoredStrings) -> list[str]:
    """The pieces of the page's text with a CJK character that is not data."""
    root = tinyhtml5.parse(html)
    found = []
    for text in _read_texts(root):
        text = _normal(text)
        if CJK.search(text) and CJK.search(stored.unmasked(text)):
            found.append(text)
    return found


# --------------------------------------------------------------------------- walking


def _is_page(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@pytest.fixture
def ctx(settings: Any, tmp_path: Path, django_user_model: type[User]) -> Ctx:
    return Ctx(
        django_user_model.objects.create_user("requester", password="x" * 12),
        settings,
        tmp_path / "media",
    )


# Anonymous visitors are sent to the login page by every page but the public ones: the
# login page is walked once (ANONYMOUS), not once per page.
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
CASES = [
    pytest.param(name, index, role, id=f"{name}-{entry.method}-{role}")
    for name, entries in MATRIX.items()
    for index, entry in enumerate(entries)
    for role in SIGNED_IN
    if entry.expected[role] != (LOGIN, LOGIN)
]
# The routes outside the language prefix: they answer no page in a language (every other
# route must have an English address).
NO_LANGUAGE = {
    "healthz": "the load balancer's probe (JSON)",
    "favicon": "the site's icon",
}
# the JSON API (/api/v1/): its messages follow Accept-Language, Chinese by default
NO_LANGUAGE.update({name: "the JSON API" for name in MATRIX if name.startswith("api:")})
ANONYMOUS = [
    "home",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
]


def _assert_english(client: Client, method: str, url: str, data: Any = None) -> None:
    response = (
        client.get(url, follow=True)
        if method == "get"
        else client.post(url, data, follow=True)
    )
    assert response.status_code < 500, url
    if not _is_page(response):
        return
    page = response.content.decode()
    if (
        "<html" in page
    ):  # a whole page, not a fragment; zh-CN: a printed document's twin
        assert re.search(r'<html lang="(en|zh-CN)"[ >]', page), url
    found = chinese_chrome(page, StoredStrings())
    if os.environ.get("ENGLISH_WALK_DUMP"):
        with open(os.environ["ENGLISH_WALK_DUMP"], "a") as dump:
            dump.write(json.dumps([url, found], ensure_ascii=False) + "\n")
    assert found == [], f"{url}: {found}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_every_page_is_english(name: str, index: int, role: str, ctx: Ctx) -> None:
    """Own objects and others' (which answer the English 404 or 403 page)."""
    entry = MATRIX[name][index]
    client = client_for(role, ctx)
    for own in (True, False):
        with translation.override("en"):
            url = reverse(name, kwargs=entry.kwargs(ctx, own)) + entry.query
        if name in NO_LANGUAGE:
            assert not url.startswith("/en/"), url
            continue
        assert url.startswith("/en/"), url
        _assert_english(client, entry.method, url, entry.data(ctx, own))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS)
def test_public_pages_are_english(name: str) -> None:
    with translation.override("en"):
        url = reverse(name)
    _assert_english(Client(), "get", url)


@pytest.mark.django_db
def test_a_missing_page_is_english() -> None:
    _assert_english(Client(), "get", "/en/no-such-page/")


@pytest.mark.django_db
def test_the_scoring_page_with_flags_is_english(client: Client) -> None:
    """The seed evaluations have no flags: the walk above never sees one. Here a leaf
    is not yet scored, another's score differs from the computed one without a reason
    and the source report's total no longer matches (evaluations/flag_texts.py)."""
    from decimal import Decimal

    from core.access import Role
    from evaluations.models import EvaluationIndicator
    from tests.personas import log_in_as

    leaves = EvaluationIndicator.objects.filter(evaluation__code="tianjin-2020")
    leaves.filter(name="坐席电话接听率").update(final_score=Decimal(4), reason="")
    leaves.filter(name="平台影响力").update(final_score=None)
    evaluator = log_in_as("tj-eval", "tj-evaluator", Role.EVALUATOR, client=client)
    with translation.override("en"):
        url = reverse("evaluations:detail", args=["tianjin-2020"])
    page = evaluator.get(url).content.decode()
    assert page.count('<li class="flag') == 3
    assert "has not been scored by the evaluator yet." in page
    _assert_english(evaluator, "get", url)


# --------------------------------------------------------------------------- the checker


def test_chrome_is_found_and_data_is_not() -> None:
    """The checker itself: Chinese the page writes is reported, a stored value or text
    declared Chinese is not."""
    stored = StoredStrings.__new__(StoredStrings)
    stored.strings = {"天津市12345热线", "接通率"}
    stored.lengths = {"天": [11], "接": [3]}
    page = (
        '<html lang="en"><head><title>接通率</title></head><body>'
        "<span>天津市12345热线</span><span>接通率 2020年度</span>"
        '<p title="目标">Target</p><p>Answer rate: 接通率</p>'
        '<button lang="zh-hans">简体中文</button><div lang="zh-CN"><p>项目支出</p></div>'
        "<script>const a = '保存';</script></body></html>"
    )
    assert chinese_chrome(page, stored) == ["接通率 2020年度", "目标"]
