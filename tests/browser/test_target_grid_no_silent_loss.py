"""Issue 13 item 2: nothing typed into the target grid is lost without a word.

A unit edits three rows of its 2021 draft. Saving one row keeps what was typed in the
others; "save all" saves every changed row; leaving with unsaved edits asks first; a save
refused because someone saved the row meanwhile (409), because the form was submitted
from another tab (403), because the user may no longer change it (403) or because the
session ended keeps the typed values on the page and says why in Chinese, without a
reload. Screenshots in artifacts/browser/grid-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from accounts.models import Membership, Role
from budgets.models import Organisation, Project
from targets.models import FormLayout, TargetForm, TargetIndicator
from targets.services import target_form_create, target_indicator_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"
CODE = "tianjin-2021"


def member(username: str, organisation: str, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    return user


def log_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def draft() -> dict[str, TargetIndicator]:
    form = target_form_create(
        code=CODE,
        layout=FormLayout.PROJECT,
        year=2021,
        project=Project.objects.get(code="tianjin-2020"),
        title="项目支出绩效目标表",
    )
    output = target_indicator_add(form=form, level="level1", name="产出指标")
    quantity = target_indicator_add(
        form=form, level="level2", name="数量指标", parent=output
    )
    quality = target_indicator_add(
        form=form, level="level2", name="质量指标", parent=output
    )
    return {
        "seats": target_indicator_add(
            form=form,
            level="level3",
            name="设置坐席数",
            parent=quantity,
            value="560 个",
        ),
        "volume": target_indicator_add(
            form=form,
            level="level3",
            name="全年受理(咨询)量",
            parent=quantity,
            value="750 万件",
        ),
        "answer": target_indicator_add(
            form=form, level="level3", name="接通率", parent=quality, value="大于 90%"
        ),
    }


def value_input(pk: int) -> str:
    return f"#row-{pk} input[name=value]"


def updates(page: Any) -> int:
    return int(page.get_attribute("#editor", "data-updates") or "0")


def settled(page: Any, before: int) -> None:
    page.wait_for_function(
        "n => Number(document.getElementById('editor').dataset.updates || 0) > n",
        arg=before,
    )


def save_row(page: Any, pk: int) -> int:
    """Click the row's 保存 and return the server's status once the page has reacted."""
    with page.expect_response(lambda r: r.url.endswith(f"/indicators/{pk}/")) as answer:
        page.click(f"#f-{pk} button[type=submit]")
    status = int(answer.value.status)
    # the page reacts after the answer: the grid replaced, or the refusal shown
    page.wait_for_function(
        "() => document.getElementById('editor').dataset.busy !== 'true'"
    )
    return status


def stored(pk: int) -> str:
    return TargetIndicator.objects.get(pk=pk).value_text


def test_saving_one_row_keeps_the_others_and_save_all_saves_them(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    member("grid-unit", "tj-8890", Role.UNIT)
    rows = draft()
    seats, volume, answer = rows["seats"].pk, rows["volume"].pk, rows["answer"].pk
    page = log_in(browser, live_server.url, "grid-unit")
    page.goto(f"{live_server.url}/targets/{CODE}/")
    page.evaluate("window.notReloaded = true")

    # two rows typed, only one saved: the other keeps what was typed, marked unsaved
    page.fill(value_input(seats), "600 个")
    page.fill(value_input(answer), "≥95%")
    assert page.inner_text("#unsaved .count") == "有 2 行修改尚未保存"
    before = updates(page)
    with page.expect_response(lambda r: r.url.endswith(f"/indicators/{answer}/")):
        page.click(f"#f-{answer} button[type=submit]")
    settled(page, before)
    assert stored(answer) == "≥95%"
    assert page.input_value(value_input(seats)) == "600 个"
    assert page.get_attribute(f"#row-{seats}", "class") == "unsaved"
    assert stored(seats) == "560 个"
    assert page.inner_text("#unsaved .count") == "有 1 行修改尚未保存"
    page.screenshot(path=str(artifacts / "grid-1-other-row-kept.png"), full_page=True)

    # 保存全部修改 saves every changed row, one after the other
    page.fill(value_input(volume), "1050 万件")
    page.click("#save-all")
    page.wait_for_function("() => document.getElementById('unsaved').hidden")
    assert (stored(seats), stored(volume)) == ("600 个", "1050 万件")
    assert page.input_value(value_input(volume)) == "1050 万件"
    assert page.evaluate("window.notReloaded") is True

    # leaving the page with an unsaved edit asks first (beforeunload)
    page.fill(value_input(seats), "610 个")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert stored(seats) == "600 个"


def test_a_refused_save_keeps_the_edit_and_says_why(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    user = member("grid-unit", "tj-8890", Role.UNIT)
    rows = draft()
    seats, answer = rows["seats"].pk, rows["answer"].pk
    base = live_server.url
    stale = log_in(browser, base, "grid-unit")
    stale.goto(f"{base}/targets/{CODE}/")
    stale.evaluate("window.notReloaded = true")
    other = log_in(browser, base, "grid-unit")  # a second session of the same unit

    # 409: the other session saved 接通率 meanwhile; the typed value stays, both named
    other.goto(f"{base}/targets/{CODE}/")
    other.fill(value_input(answer), "≥92%")
    assert save_row(other, answer) == 200
    stale.fill(value_input(seats), "600 个")
    stale.fill(value_input(answer), "≥95%")
    assert save_row(stale, answer) == 409
    assert stale.input_value(value_input(answer)) == "≥95%"
    assert stale.input_value(value_input(seats)) == "600 个"
    assert "≥92%" in stale.inner_text(f"#errors-{answer}")
    # both rows are still unsaved: the refused one is what was typed, not what is stored
    assert stale.inner_text("#unsaved .count") == "有 2 行修改尚未保存"
    expect(stale.locator(f"#row-{seats} .parse-slot")).to_have_text("识别为 = 600 个")
    assert stored(answer) == "≥92%"

    # 403: the other session submits the form; the stale tab's save is refused, the
    # page is not reloaded, the typed values stay and the reason is given in Chinese
    other.goto(f"{base}/targets/{CODE}/")
    with other.expect_navigation():
        other.click("#submit-form")
    assert other.inner_text("#form-status") == "已提交"
    assert save_row(stale, seats) == 403
    message = stale.inner_text("#grid-message")
    assert "未保存" in message
    assert "提交审核，不能再修改" in message
    assert "您输入的内容仍在页面上" in message
    assert stale.input_value(value_input(seats)) == "600 个"
    assert stale.input_value(value_input(answer)) == "≥95%"
    assert stale.evaluate("window.notReloaded") is True
    assert stored(seats) == "560 个"
    stale.screenshot(path=str(artifacts / "grid-2-stale-tab-403.png"), full_page=True)

    # 403: no longer allowed to prepare the form (the membership became a department's)
    form = TargetForm.objects.get(code=CODE)
    form.status = "returned"
    form.save(update_fields=["status"])
    Membership.objects.filter(user=user).update(role=Role.DEPARTMENT)
    assert save_row(stale, seats) == 403
    message = stale.inner_text("#grid-message")
    assert "未保存" in message and "无权" in message
    assert stale.input_value(value_input(seats)) == "600 个"
    assert stored(seats) == "560 个"

    # the session ended (logged out in another tab of the same browser): the save is
    # sent to the login page, which is not put inside the grid
    Membership.objects.filter(user=user).update(role=Role.UNIT)
    tab = stale.context.new_page()
    tab.goto(f"{base}/")
    with tab.expect_navigation():
        tab.click("form[action$='/logout/'] button")
    tab.close()
    assert save_row(stale, seats) == 302
    assert "登录已失效" in stale.inner_text("#grid-message")
    assert stale.input_value(value_input(seats)) == "600 个"
    assert stale.locator("#editor #id_username").count() == 0
    assert stale.evaluate("window.notReloaded") is True
    stale.screenshot(path=str(artifacts / "grid-3-logged-out.png"), full_page=True)
