"""The header on a 1366 px laptop, the screen finance staff use most: with every section of
the yearly cycle in the navigation (eleven links for finance), the Chinese header keeps them
on one line beside the user menu; the longer English labels wrap as whole links onto a second
line and never run under the user menu.

On the stylesheet before (no wrapping) the English links were squeezed and broke their own
labels in two ("Year at / a glance")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.models import Role
from tests.browser.test_target_review_flow import log_in, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return [
        page.locator(selector).nth(i).bounding_box()
        for i in range(page.locator(selector).count())
    ]


def test_finance_sees_every_section_on_one_line_at_1366_px(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    member("tj-finance", "tj-czj", Role.FINANCE)
    page = log_in(browser, live_server.url, "tj-finance")
    links = page.locator(".site-nav > a")
    assert [links.nth(i).inner_text().split()[0] for i in range(links.count())] == [
        "首页",
        "待办",
        "绩效目标表",
        "预算管理",
        "运行数据",
        "统计分析",
        "指标比较",
        "绩效评价",
        "问题整改",
        "年度总览",
        "信息公开",
    ]
    tops = {round(box["y"]) for box in _boxes(page, ".site-nav > a")}
    assert len(tops) == 1, tops
    nav = page.locator(".site-nav").bounding_box()
    user = page.locator(".user").bounding_box()
    assert nav["x"] + nav["width"] <= user["x"]
    page.screenshot(path=str(artifacts / "navigation-1366-zh.png"))

    # in English the labels are longer: they wrap, left of the user menu
    page.goto(f"{live_server.url}/en/")
    nav = page.locator(".site-nav").bounding_box()
    user = page.locator(".user").bounding_box()
    assert nav["x"] + nav["width"] <= user["x"]
    boxes = _boxes(page, ".site-nav > a")
    assert boxes[-1]["x"] + boxes[-1]["width"] <= user["x"]
    # each label on one line of its own ("Year at a glance" is never broken in two)
    assert {round(box["height"]) for box in boxes} == {round(boxes[0]["height"])}
    assert len({round(box["y"]) for box in boxes}) == 2
    page.screenshot(path=str(artifacts / "navigation-1366-en.png"))
