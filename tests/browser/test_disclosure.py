"""The reviewer publishes a 公开版 in Chromium at 1366×768 (issue 17 §2): from the document's
print page to its redaction list, an item added that the document does not print is refused
with the typed text kept and corrected, one item kept and one added, the preview shows the
list as updated, a stale tab is refused and shows the list again, the publication is
recorded, and anyone sees it on the public index without logging in.

Screenshots in artifacts/browser/ (disclosure-*.png)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership
from budgets.models import Organisation, Project
from core.access import Role
from disclosure.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"
WIDTH, HEIGHT = 1366, 768
NAME, PHONE = "许春梅", "022-24538025"
ADDED = "招聘新员工"


def reviewer() -> None:
    user = User.objects.create_user(
        "tj-reviewer", password=PASSWORD, last_name="赵", first_name="敏"
    )
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-czj"),
        role=Role.FINANCE,
    )


def logged_in(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "tj-reviewer")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url
    return page


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"disclosure-{name}.png"), full_page=True)


def row(page: Any, text: str) -> Any:
    return page.locator("#redaction-list tbody tr", has_text=text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_reviewer_keeps_one_item_adds_one_publishes_and_sees_it_public(
    browser: Any, live_server: Any, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    reviewer()
    base = live_server.url
    page = logged_in(browser, base)

    # from the document's print page to its redaction list
    page.goto(f"{base}/documents/project_info/tianjin-2020/")
    with page.expect_navigation():
        page.click("#disclosure-link")
    assert page.url.endswith("/disclosure/project_info/tianjin-2020/")
    assert row(page, NAME).locator("td").nth(2).inner_text() == "联系字段：项目负责人"
    assert row(page, PHONE).locator("td").nth(2).inner_text() == "联系字段：联系电话"
    assert page.inner_text("#removal-count") == "将隐去 2 项。"
    shot(page, artifacts, "1-list")

    # an item the document does not print: refused, the typed text kept, then corrected
    row(page, PHONE).locator("input[name=keep]").check()
    page.fill("#id_additions", "张三丰")
    with page.expect_navigation():
        page.click("#update-list")
    assert "“张三丰”不在文件中" in page.inner_text("#additions-errors")
    assert page.input_value("#id_additions") == "张三丰"
    assert row(page, PHONE).locator("input[name=keep]").is_checked()
    shot(page, artifacts, "2-refused")
    page.fill("#id_additions", ADDED)
    with page.expect_navigation():
        page.click("#update-list")
    assert page.inner_text("#removal-count") == "将隐去 2 项。"
    assert row(page, PHONE).get_attribute("class") == "kept"
    assert row(page, NAME).get_attribute("class") == "removed"
    assert page.locator("#redaction-list tr.added").inner_text().startswith(ADDED)
    shot(page, artifacts, "3-kept-and-added")

    # the preview: the list as updated
    with page.context.expect_page() as opened:
        page.click("#preview-link")
    preview = opened.value
    preview.wait_for_load_state()
    text = preview.inner_text("body")
    assert PHONE in text and NAME not in text and ADDED not in text
    assert "（已隐去）" in text
    preview.screenshot(path=str(artifacts / "disclosure-4-preview.png"), full_page=True)
    preview.close()

    # a second tab, opened before the document changed, is refused and shows the list again
    stale = logged_in(browser, base)
    stale.goto(page.url)
    Project.objects.filter(code="tianjin-2020").update(manager="许春梅（主任）")
    with stale.expect_navigation():
        stale.click("#publish")
    assert "文件在此清单生成后已变动" in stale.inner_text(".messages")
    assert row(stale, "许春梅（主任）").count() == 1
    assert not Publication.objects.exists()
    shot(stale, artifacts, "5-stale-tab")
    stale.close()
    Project.objects.filter(code="tianjin-2020").update(manager=NAME)

    # publish: the recorded act
    page.reload()
    with page.expect_navigation():
        page.click("#publish")
    publication = Publication.objects.get()
    assert page.url.endswith(f"/disclosure/publications/{publication.pk}/")
    assert "公开版已发布（第 1 次发布）" in page.inner_text(".messages")
    assert page.inner_text("#published-by") == "赵敏"
    decisions = [
        [cell.strip() for cell in line.split("\t")]
        for line in page.inner_text("#published-items tbody").splitlines()
    ]
    assert decisions == [
        [NAME, "姓名", "联系字段：项目负责人", "1", "已隐去"],
        [PHONE, "电话号码", "联系字段：联系电话", "1", "保留"],
        [ADDED, "", "审核人添加", "1", "已隐去"],
    ]
    shot(page, artifacts, "6-published")

    # anyone, without logging in, on the public index
    public = browser.new_page(
        viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN"
    )
    public.goto(f"{base}/disclosure/public/")
    assert "2020年度" in public.inner_text("main")
    assert "天津市便民专线服务中心运行经费 项目基本情况表" in public.inner_text("main")
    assert NAME not in public.content()
    href = public.get_attribute("a.public-pdf", "href")
    response = public.request.get(f"{base}{href}")
    assert response.status == 200
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=response.body(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert NAME not in text and ADDED not in text and PHONE in text
    shot(public, artifacts, "7-public-index")
    public.close()
    page.close()
