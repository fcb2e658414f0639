"""运行监控 report (issue 15 §2) in Chromium on the seed data, Suzhou 2023's half year:
the centre starts the report, is refused a red light without its cause and measures
(what it typed stays, nothing is saved), explains it and submits; a tab left open from
before submission saves nothing; the finance bureau finds it in 待办, returns it with a
comment; the centre finds the return in 待办, changes a line, resubmits; the bureau
accepts and the report is locked. Screenshots in artifacts/browser/monitoring-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from budgets.models import Organisation
from core.access import Role
from targets.models import MonitoringLine, MonitoringReport, TargetForm
from targets.services import target_form_approve, target_form_submit
from tests.browser.test_target_review_flow import log_in, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/targets/suzhou-2023/monitoring/6/"


def test_the_centre_submits_its_half_year_report_and_the_bureau_reviews_it(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    Organisation.objects.create(
        code="sz-czj",
        name="苏州市财政局",
        kind="finance_bureau",
        region="江苏省",
        city="苏州市",
    )
    member("sz-centre", "sz-bmfw", Role.UNIT)
    member("sz-finance", "sz-czj", Role.FINANCE)
    form = TargetForm.objects.get(code="suzhou-2023")
    clerk = User.objects.get(username="sz-finance")
    target_form_submit(form=form, user=User.objects.get(username="sz-centre"))
    target_form_approve(form=form, user=clerk)
    base = live_server.url

    def shot(page: Any, name: str) -> None:
        page.screenshot(path=str(artifacts / f"monitoring-{name}.png"), full_page=True)

    # the centre starts the half-year report from the form's 运行监控 page
    centre = log_in(browser, base, "sz-centre")
    centre.goto(f"{base}/targets/suzhou-2023/monitoring/")
    assert centre.input_value("#start-report select[name=months]") == "6"
    centre.click("#start-report button[type=submit]")
    centre.wait_for_url(f"{base}{REPORT}")
    assert centre.inner_text("#report-status") == "草稿"
    # the department budget has no spending to date: the page says so
    assert centre.inner_text("#no-spending").startswith(
        "部门预算没有记录本期截至目前的实际支出数（其来源只有全年预算数和半年计划执行数）"
    )
    shot(centre, "1-started")

    def line(name: str) -> MonitoringLine:
        return MonitoringLine.objects.get(report__code="suzhou-2023-06", name=name)

    posts = line("计划通过微信公众号推送信息条数或个数")
    checks = line("全年开展考核次数")
    # a second window of the same centre on the same report, left open
    stale = log_in(browser, base, "sz-centre")
    stale.goto(f"{base}{REPORT}")

    # 20条 by June against =24条: red, and refused without cause and measures
    centre.fill(f"[name='l{posts.pk}-to_date']", "20条")
    centre.fill(f"[name='l{posts.pk}-expected']", "48条")
    centre.click("#submit-report")
    centre.wait_for_selector("#report-errors")
    assert centre.inner_text("#report-errors li") == (
        "“计划通过微信公众号推送信息条数或个数”为红灯：提交前请选择偏差原因、"
        "说明原因并填写纠偏措施。"
    )
    assert centre.input_value(f"[name='l{posts.pk}-to_date']") == "20条"
    # the light the typed figure would give is shown beside it
    assert centre.get_attribute(f"#line-{posts.pk}", "data-light") == "red"
    assert centre.inner_text("#report-summary") == "红灯 1 项"
    assert centre.inner_text("#report-status") == "草稿"
    posts.refresh_from_db()
    assert posts.to_date == ""
    shot(centre, "2-red-refused")

    # the way back: choose the cause, explain it, write the measures, submit
    centre.select_option(f"[name='l{posts.pk}-cause']", "staff")
    centre.fill(f"[name='l{posts.pk}-cause_text']", "上半年新媒体岗位空缺两个月")
    centre.fill(f"[name='l{posts.pk}-measures']", "7月起补足人员，下半年每月推送5条")
    centre.click("#submit-report")
    centre.wait_for_url(f"{base}{REPORT}")
    assert centre.inner_text("#report-status") == "已提交"
    assert centre.get_attribute(f"#line-{posts.pk}", "data-light") == "red"
    assert "人员保障：上半年新媒体岗位空缺两个月" in centre.inner_text(
        f"#line-{posts.pk}"
    )
    shot(centre, "3-submitted")

    # the tab opened before the submission saves nothing
    stale.fill(f"[name='l{checks.pk}-to_date']", "1次")
    stale.click("#save-report")
    stale.wait_for_selector("#report-errors")
    assert stale.inner_text("#report-errors li") == (
        "该运行监控报告已提交，不能再修改。"
    )
    checks.refresh_from_db()
    assert checks.to_date == ""
    stale.close()

    # the bureau: 待办, then return with a comment
    finance = log_in(browser, base, "sz-finance")
    assert "苏州市便民服务中心 2023 · 1至6月" in finance.inner_text(
        "#todo-monitoring-review"
    )
    finance.click("#todo-monitoring-review a[href$='/monitoring/6/']")
    finance.wait_for_url(f"{base}{REPORT}")
    finance.click("#return-report")  # without a comment: refused
    assert finance.inner_text("#report-status") == "已提交"
    finance.fill(
        "#return-form textarea[name=comment]", "请补充上半年考核次数的完成情况"
    )
    finance.click("#return-report")
    finance.wait_for_selector("#report-status:has-text('已退回')")
    shot(finance, "4-returned")

    # the centre: 待办 says returned; the comment; a line changed; resubmitted
    centre.goto(f"{base}/")
    centre.click("#todo-monitoring-returned a[href$='/monitoring/6/']")
    centre.wait_for_url(f"{base}{REPORT}")
    assert centre.inner_text("#review-comment").endswith(
        "请补充上半年考核次数的完成情况"
    )
    centre.fill(f"[name='l{checks.pk}-to_date']", "2次")
    centre.fill(f"[name='l{checks.pk}-expected']", "4次")
    centre.click("#submit-report")
    centre.wait_for_selector("#report-status:has-text('已提交')")
    assert centre.get_attribute(f"#line-{checks.pk}", "data-light") == "green"

    # the bureau accepts: locked
    finance.goto(f"{base}{REPORT}")
    finance.click("#accept-report")
    finance.wait_for_selector("#report-status:has-text('已审核通过')")
    shot(finance, "5-accepted")
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    assert (report.status, report.submissions) == ("accepted", 2)
    centre.goto(f"{base}{REPORT}")
    assert centre.locator("#submit-report").count() == 0
    assert centre.locator(f"[name='l{checks.pk}-to_date']").count() == 0
    # the history lists the changes, the print link leads to the 绩效运行监控表
    centre.goto(f"{base}{REPORT}history/")
    assert "2次" in centre.inner_text("#report-history")
    shot(centre, "6-history")
    centre.goto(f"{base}{REPORT}")
    centre.click("#print-link")
    centre.wait_for_url(f"{base}/documents/monitoring_table/suzhou-2023-06/")
    shot(centre, "7-document")
