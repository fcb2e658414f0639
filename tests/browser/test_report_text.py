"""The report's text in Chromium at 1366×768 (issue 14 item 1): the evaluator opens the
report text from the evaluation, edits a section, accepts a suggested sentence, and the
PDF prints both; a bad block is refused with the typed text kept and the way back is to
correct it; a second tab that saves after the first is refused and names the first save.

Screenshots in artifacts/browser/ (report-text-*.png)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from evaluations.models import ReportSection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"
WIDTH, HEIGHT = 1366, 768
CODE = "tianjin-2020"
ADDED = "评价组另查阅了2020年度话务员排班记录。"
SUGGESTED = "天津市便民专线服务中心为项目实施单位。"


def evaluator() -> None:
    user = User.objects.create_user(
        "tj-eval", password=PASSWORD, last_name="王", first_name="芳"
    )
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-evaluator"),
        role=Role.EVALUATOR,
    )


def logged_in(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "tj-eval")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url
    return page


def shot(page: Any, artifacts: Path, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(artifacts / f"report-text-{name}.png"), full_page=full)


def pdf_text() -> str:
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    pdf = document_render(doctype, doctype.build(CODE), DocumentFormat.PDF)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return "".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_evaluator_edits_a_section_accepts_a_suggestion_and_the_pdf_prints_both(
    browser: Any, live_server: Any, artifacts: Path
) -> None:
    evaluator()
    page = logged_in(browser, live_server.url)
    page.goto(f"{live_server.url}/evaluations/{CODE}/")
    page.click("text=报告正文")
    page.wait_for_url(f"**/evaluations/{CODE}/report/")
    assert page.locator("h1").inner_text().startswith("报告正文")
    # the figures as they print, from the data
    assert page.locator("text=2020 年度比 2019 年度受理量提高了 37.83%").count() == 1
    shot(page, artifacts, "1-sections", full=True)

    section = ReportSection.objects.get(evaluation__code=CODE, heading="3.项目组织管理")
    page.click(f"#section-{section.position} .section-edit")
    page.wait_for_url(f"**/report/sections/{section.pk}/")
    body = page.locator("#id_body")
    assert body.input_value() == section.body
    suggestions = page.locator("#suggestions .suggestion")
    assert suggestions.count() >= 1
    offered = page.locator("#suggestions").inner_text()
    assert SUGGESTED in offered
    shot(page, artifacts, "2-section", full=True)

    # A block the report cannot place: refused in Chinese, the typed text kept …
    body.fill(section.body + "\n[[表9]]")
    page.click("#section-form button[type=submit]")
    error = page.locator("#section-form .errorlist")
    assert "[[表9]] 不是可放入的表、图或指标" in error.inner_text()
    assert page.locator("#id_body").input_value().endswith("[[表9]]")
    shot(page, artifacts, "3-refused")
    # … and the way back: correct it and save.
    page.locator("#id_body").fill(section.body + "\n" + ADDED)
    page.click("#section-form button[type=submit]")
    page.wait_for_url(f"**/report/sections/{section.pk}/")
    assert page.locator(".messages, [role=status]").first.inner_text().strip() != ""
    assert ADDED in page.locator(".section-preview").inner_text()

    # Accept the suggested sentence: added at the end, nothing else touched.
    card = page.locator("#suggestions .suggestion", has_text=SUGGESTED).first
    card.locator("button").click()
    page.wait_for_url(f"**/report/sections/{section.pk}/")
    stored = ReportSection.objects.get(pk=section.pk).body
    assert stored.startswith(section.body + "\n" + ADDED + "\n")
    assert stored.endswith(SUGGESTED)
    assert page.locator("#id_body").input_value() == stored
    shot(page, artifacts, "4-accepted", full=True)

    printed = pdf_text()
    assert ADDED in printed
    assert SUGGESTED in printed


def test_a_second_tab_saving_after_the_first_is_refused_and_keeps_its_text(
    browser: Any, live_server: Any, artifacts: Path
) -> None:
    evaluator()
    section = ReportSection.objects.get(evaluation__code=CODE, heading="2.主要内容")
    url = f"{live_server.url}/evaluations/{CODE}/report/sections/{section.pk}/"
    first, second = (
        logged_in(browser, live_server.url),
        logged_in(browser, live_server.url),
    )
    first.goto(url)
    second.goto(url)
    first.locator("#id_body").fill("第一个标签页的文字。")
    first.click("#section-form button[type=submit]")
    first.wait_for_url(url)
    second.locator("#id_body").fill("第二个标签页的文字。")
    second.click("#section-form button[type=submit]")
    message = second.locator("#section-form").inner_text()
    assert "在您打开本页之后" in message
    assert second.locator("#id_body").input_value() == "第二个标签页的文字。"
    assert ReportSection.objects.get(pk=section.pk).body == "第一个标签页的文字。"
    shot(second, artifacts, "5-stale-tab", full=True)
    # saving again replaces the first tab's text on purpose
    second.click("#section-form button[type=submit]")
    second.wait_for_url(url)
    assert ReportSection.objects.get(pk=section.pk).body == "第二个标签页的文字。"
