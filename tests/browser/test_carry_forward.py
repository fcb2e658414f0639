"""Issue 13 item 5: last year carried forward.

Before: a 2021 form started empty (importing the 2020 export is refused: "文件是 2020 年度的，
本表是 2021 年度的"), so the unit retyped ~20 indicators, and the new form's code was
``tianjin-2020-2021``. Now the new-form page offers "从上年复制" for the approved 2020 form:
the 2021 draft ``tianjin-2021`` has every indicator with its library link and value, to be
changed, and last year's target and actual beside each. Screenshots in
artifacts/browser/carry-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"


def log_in(browser: Any, base: str, username: str, organisation: str) -> Any:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code=organisation),
        role=Role.UNIT,
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_the_unit_copies_the_approved_2020_form_into_2021(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    base = live_server.url
    page = log_in(browser, base, "carry-unit", "tj-8890")
    # the seed form as it ends 2020's review: submitted by the unit, approved by finance
    source = TargetForm.objects.get(code="tianjin-2020")
    finance = User.objects.create_user("carry-finance")
    target_form_submit(form=source, user=User.objects.get(username="carry-unit"))
    target_form_approve(form=source, user=finance)

    page.goto(f"{base}/targets/new/")
    offer = page.inner_text("#carry-forward")
    assert "天津市便民专线服务中心运行经费 2020（已批复）" in offer
    page.click("#carry-forward a:has-text('复制到 2021 年度')")
    page.wait_for_url(f"{base}/targets/tianjin-2020/carry-forward/")
    # last year's funds and overall goal are offered, to be changed
    assert page.input_value("#id_funds_total") == str(source.funds_total)
    assert page.input_value("#id_overall_goal") == source.overall_goal
    page.fill("#id_funds_total", "11000.00")
    page.screenshot(path=str(artifacts / "carry-1-page.png"), full_page=True)
    with page.expect_navigation():
        page.click("#carry-forward-form button[type=submit]")
    assert page.url == f"{base}/targets/tianjin-2021/"

    form = TargetForm.objects.get(code="tianjin-2021")
    assert (form.year, form.status, form.funds_total) == (2021, "draft", 11000)
    old = list(
        source.indicators.order_by("position").values_list(
            "level", "name", "value_text", "library_indicator__code"
        )
    )
    new = list(
        form.indicators.order_by("position").values_list(
            "level", "name", "value_text", "library_indicator__code"
        )
    )
    assert new == old
    assert len([row for row in new if row[0] == "level3"]) == 19
    assert "已从已批复的 2020 年度目标表复制出 2021 年度目标表" in page.inner_text(
        ".messages"
    )

    # last year's target and actual beside this year's value
    assert (
        page.inner_text("#target-grid th.previous-col")
        == "2020 年指标值 / 实际完成值（供参考）"
    )
    answer = form.indicators.get(name="接通率")
    assert (
        page.inner_text(f"#row-{answer.pk} td.previous") == "目标 大于 90%\n实际 96.12%"
    )
    page.screenshot(path=str(artifacts / "carry-2-grid.png"), full_page=True)

    # values are editable: 接通率 raised to the standard and saved
    page.fill(f"#row-{answer.pk} input[name=value]", "≥95%")
    with page.expect_response(lambda r: r.url.endswith(f"/indicators/{answer.pk}/")):
        page.click(f"#f-{answer.pk} button[type=submit]")
    page.wait_for_function("() => document.getElementById('editor').dataset.updates")
    answer.refresh_from_db()
    assert answer.value_text == "≥95%"
    assert (
        page.inner_text(f"#row-{answer.pk} td.previous") == "目标 大于 90%\n实际 96.12%"
    )
    source_answer = source.indicators.get(name="接通率")
    assert source_answer.value_text == "大于 90%"

    # the offer is gone once 2021 exists; copying again is refused in Chinese
    page.goto(f"{base}/targets/new/")
    assert page.locator("#carry-forward").count() == 0
    page.goto(f"{base}/targets/tianjin-2020/carry-forward/")
    with page.expect_navigation():
        page.click("#carry-forward-form button[type=submit]")
    assert "2021 年度目标表已存在" in page.inner_text("#carry-forward-form")
    assert TargetForm.objects.filter(project=source.project).count() == 2
