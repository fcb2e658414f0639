"""The evaluator's scoring page in Chromium at 1366×768 (issue 13 items 1 and 6).

- The review flow's evaluation step: the evaluator changes a score and submits (item 1:
  the page refused that before, "公布（填报）的总分 92.37 分与计算总分 91.37 分不一致").
- Item 6: one save for the page, nothing lost without a word (leaving with unsaved rows
  warns; an invalid score stays with its message even when another row is saved; a stale
  tab, a submission from elsewhere and an ended session keep what was typed and say why),
  the totals bar in sight at the bottom of the page, group rows' 评分说明 column empty.

Screenshots in artifacts/browser/ (scoring-*.png)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from evaluations.models import Evaluation, EvaluationIndicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"
WIDTH, HEIGHT = 1366, 768
CODE = "tianjin-2020"


def evaluator(username: str = "tj-eval", family: str = "", given: str = "") -> None:
    user = User.objects.create_user(
        username, password=PASSWORD, last_name=family, first_name=given
    )
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-evaluator"),
        role=Role.EVALUATOR,
    )


def scoring_page(browser: Any, base: str, username: str = "tj-eval") -> Any:
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # Enter: the header's language switch is a button
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url
    page.goto(f"{base}/evaluations/{CODE}/")
    return page


def leaf(name: str) -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code=CODE, name=name)


def score_field(indicator: EvaluationIndicator) -> str:
    return f"#indicator-{indicator.pk} input[name$=final_score]"


def reason_field(indicator: EvaluationIndicator) -> str:
    return f"#indicator-{indicator.pk} textarea[name$=reason]"


def save(page: Any, status: int) -> None:
    """Press 保存修改 and wait for the server's fragment to be in place."""
    with page.expect_response(lambda r: r.url.endswith("/scores/")) as response:
        page.click("#save-scores")
    assert response.value.status == status
    page.wait_for_function(
        "() => !document.getElementById('scores-form').hasAttribute('aria-busy')"
    )


def shot(page: Any, artifacts: Path, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(artifacts / f"scoring-{name}.png"), full_page=full)


def test_evaluator_changes_a_score_and_submits(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    evaluator()
    page = scoring_page(browser, live_server.url)
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    assert page.inner_text("#total-score") == "92.37"
    assert page.locator("#submit-form textarea[name=reason]").count() == 0

    # one changed score and another row's reason, saved at once
    page.fill(score_field(influence), "1.6")
    page.fill(reason_field(influence), "2020 年全国排名下降，调减 1 分")
    page.fill(reason_field(answered), "抽查 2020 年 12 月话单复核")
    assert page.inner_text("#save-state") == (
        "有 2 行未保存：点“保存修改”，或重新加载以放弃。"
    )
    shot(page, artifacts, "1-typed")
    save(page, 200)
    assert page.inner_text("#total-score") == "91.37"
    assert page.inner_text("#save-state") == "已保存。"
    assert page.locator("tr.dirty").count() == 0
    assert "公布（填报）的总分 92.37 分与计算总分 91.37 分不一致。" in page.inner_text(
        ".flags"
    )
    shot(page, artifacts, "2-saved")

    # submitting asks why the total differs from the source report's 92.37
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert (
        page.inner_text("#submit-form .field-error")
        == "原报告的总分 92.37 分与计算总分 91.37 分不一致：请说明理由后再提交。"
    )
    assert not Evaluation.objects.get(code=CODE).is_locked
    shot(page, artifacts, "3-reason-asked")
    reason = "复核平台影响力排名后调减 1 分，总分由 92.37 分调整为 91.37 分"
    page.fill("#submit-form textarea[name=reason]", reason)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert page.inner_text(".messages") == "评价已提交并锁定。"
    assert "公布的总分：91.37（优）" in page.inner_text("#published-total")
    assert page.locator("#scores-form input[name$=final_score]").count() == 0
    shot(page, artifacts, "4-submitted")

    evaluation = Evaluation.objects.get(code=CODE)
    assert (
        evaluation.status,
        evaluation.published_total,
        evaluation.published_total_reason,
        evaluation.source_total,
    ) == (Evaluation.Status.SUBMITTED, Decimal("91.37"), reason, Decimal("92.37"))
    influence.refresh_from_db()
    answered.refresh_from_db()
    assert (influence.final_score, answered.reason) == (
        Decimal("1.60"),
        "抽查 2020 年 12 月话单复核",
    )


def test_leaving_with_an_unsaved_reason_warns(live_server: Any, browser: Any) -> None:
    evaluator()
    page = scoring_page(browser, live_server.url)
    page.fill(reason_field(leaf("平台影响力")), "新的评分说明")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.click("a[href='/evaluations/']", no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/evaluations/{CODE}/")
    assert page.input_value(reason_field(leaf("平台影响力"))) == "新的评分说明"


def test_the_totals_stay_in_sight_and_group_rows_explain_nothing(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    evaluator()
    page = scoring_page(browser, live_server.url)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    box = page.locator("#totals").bounding_box()
    assert box is not None
    assert (box["y"], box["height"] < 100) == (0, True)  # stuck to the top, small
    assert page.locator("#save-scores").is_visible()
    shot(page, artifacts, "5-bottom-of-the-page")
    explanations = page.eval_on_selector_all(
        "table.scoring tr.group",
        "rows => rows.map(r => r.cells[r.cells.length - 1].textContent.trim())",
    )
    assert explanations == [""] * 16  # 4 一级 and 12 二级
    decision = leaf("项目决策")
    assert page.inner_text(f"#indicator-{decision.pk} td:nth-child(4)") == (
        "15.00\n得分率 88.24%"
    )


def test_an_invalid_score_stays_with_its_message_when_another_row_is_saved(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    evaluator()
    page = scoring_page(browser, live_server.url)
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    page.fill(score_field(influence), "三分")
    page.fill(reason_field(answered), "抽查复核")
    save(page, 400)
    assert page.input_value(score_field(influence)) == "三分"
    assert page.get_attribute(score_field(influence), "aria-invalid") == "true"
    assert (
        page.inner_text(f"#indicator-{influence.pk} td.edit-score .field-error")
        == "请输入数字，如 8.5。"
    )
    # the other row was not saved either, and is still there as typed, unsaved
    assert page.input_value(reason_field(answered)) == "抽查复核"
    assert page.locator("tr.dirty").count() == 2
    assert page.inner_text("#save-state") == (
        "有 2 行未保存：点“保存修改”，或重新加载以放弃。"
    )
    shot(page, artifacts, "6-invalid-score")
    # the way back: correct it and save
    page.fill(score_field(influence), "2.5")
    page.fill(reason_field(influence), "影响力排名第二，略有扣分")
    with page.expect_response(lambda r: r.url.endswith("/scores/")) as response:
        page.keyboard.press("Control+s")  # as in a spreadsheet
    assert response.value.status == 200
    page.wait_for_function(
        "() => document.getElementById('total-score').textContent === '92.27'"
    )
    assert page.locator("tr.dirty").count() == 0
    answered.refresh_from_db()
    assert answered.reason == "抽查复核"


def test_a_second_editor_a_submission_elsewhere_and_an_ended_session_keep_the_typed(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    evaluator("eval-wang", "王", "建国")
    evaluator("eval-li", "李", "敏")
    base = live_server.url
    first = scoring_page(browser, base, "eval-wang")
    second = scoring_page(browser, base, "eval-li")
    influence = leaf("平台影响力")

    first.fill(score_field(influence), "3")
    first.fill(reason_field(influence), "全国排名第二")
    save(first, 200)

    # the stale tab: refused, naming who saved what; the typed values stay
    second.fill(score_field(influence), "2.8")
    second.fill(reason_field(influence), "影响力一般")
    save(second, 409)
    errors = second.inner_text(f"#indicator-{influence.pk}-errors")
    assert "王建国于 " in errors
    assert "得分：已保存为“3”，您填写的是“2.8”。" in errors
    assert second.input_value(score_field(influence)) == "2.8"
    shot(second, artifacts, "7-stale-tab")
    # saving again replaces theirs on purpose
    save(second, 200)
    influence.refresh_from_db()
    assert (influence.final_score, influence.reason) == (Decimal("2.80"), "影响力一般")

    # the evaluation is submitted from another tab: the save says so, the typed stays
    second.fill(reason_field(influence), "影响力一般，扣 0.2 分")
    first.reload()
    first.fill("#submit-form textarea[name=reason]", "复核后调整")
    first.once("dialog", lambda dialog: dialog.accept())
    with first.expect_navigation():
        first.click("#submit-form button[type=submit]")
    assert Evaluation.objects.get(code=CODE).is_locked
    save(second, 409)
    assert second.inner_text("#save-state") == "该评价已提交，不能再修改。"
    assert second.input_value(reason_field(influence)) == "影响力一般，扣 0.2 分"
    shot(second, artifacts, "8-locked-elsewhere")

    # the session ends (logged out in another tab): the typed stays, the page says why
    Evaluation.objects.filter(code=CODE).update(status=Evaluation.Status.DRAFT)
    second.context.clear_cookies(name="sessionid")
    save(second, 302)  # the login redirect, not followed
    assert "登录已过期" in second.inner_text("#save-state")
    assert second.input_value(reason_field(influence)) == "影响力一般，扣 0.2 分"
    shot(second, artifacts, "9-session-ended")
