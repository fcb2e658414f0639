"""Issue 17 §1: the personal API token page. The unit's user names a token, sees its key
once, uses it against the JSON API, finds it gone from the page on the next visit, and
revokes it, after which the API refuses it. The way back from an error (no name) and a
second tab revoking a token already revoked are part of the task. Screenshots in
artifacts/browser/api-tokens-*.png."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from api.models import ApiToken
from budgets.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"


def log_in(browser: Any, base: str, username: str) -> Any:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-8890"),
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


def api_get(base: str, path: str, key: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        base + path, headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_token_is_created_shown_once_used_and_revoked(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    base = live_server.url
    page = log_in(browser, base, "token-unit")
    page.click("#nav-api-tokens")
    page.wait_for_url(f"{base}/api/tokens/")
    assert page.inner_text("#token-list tbody") == "还没有令牌。"

    # no name: the page says so and keeps the chosen date; nothing is created
    page.fill("#id_name", "")
    with page.expect_navigation():
        page.click("#token-create button[type=submit]")
    assert page.inner_text("#name-error") == "这个字段是必填项。"
    assert ApiToken.objects.count() == 0
    page.screenshot(path=str(artifacts / "api-tokens-1-error.png"), full_page=True)

    page.fill("#id_name", "预算一体化系统同步")
    with page.expect_navigation():
        page.click("#token-create button[type=submit]")
    key = page.inner_text("#new-token-key")
    assert key.startswith("hpk_")
    assert "只显示这一次" in page.inner_text("#new-token")
    page.screenshot(path=str(artifacts / "api-tokens-2-created.png"), full_page=True)
    token = ApiToken.objects.get()
    assert token.key_hash != key and key not in token.key_hash
    row = page.inner_text(f"tr[data-token='{token.pk}']")
    assert "预算一体化系统同步" in row and token.prefix in row and "有效" in row

    # the key works, with the unit's own scope
    status, body = api_get(base, "/api/v1/organisations/", key)
    assert status == 200
    assert [o["code"] for o in body["results"]] == ["tj-8890"]

    # shown once: the next visit lists the token without its key
    page.goto(f"{base}/api/tokens/")
    assert page.locator("#new-token").count() == 0
    assert key not in page.content()

    # a second tab on the same page, drawn before the revocation
    stale = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    stale.context.add_cookies(page.context.cookies())
    stale.goto(f"{base}/api/tokens/")

    with page.expect_navigation():
        page.click(f"tr[data-token='{token.pk}'] button[type=submit]")
    assert "已撤销" in page.inner_text(".messages")
    assert "已撤销" in page.inner_text(f"tr[data-token='{token.pk}'] .token-status")
    page.screenshot(path=str(artifacts / "api-tokens-3-revoked.png"), full_page=True)
    status, body = api_get(base, "/api/v1/organisations/", key)
    assert (status, body["detail"]) == (401, "该令牌已撤销。")

    # the stale tab revokes it again: still revoked, at the first time, no error
    revoked_at = ApiToken.objects.get().revoked_at
    with stale.expect_navigation():
        stale.click(f"tr[data-token='{token.pk}'] button[type=submit]")
    assert "已撤销" in stale.inner_text(f"tr[data-token='{token.pk}'] .token-status")
    assert ApiToken.objects.get().revoked_at == revoked_at


def test_the_api_documentation_page_shows_every_operation_under_the_csp(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    """The browsable documentation (Swagger UI from our own static files): the site's
    Content Security Policy allows no CDN and no inline script, and the page still
    draws every operation of the schema."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/evaluations/{code}/" in paths
    assert "/api/v1/operating-values/batch/" in paths
    assert errors == []
    page.screenshot(path=str(artifacts / "api-tokens-4-docs.png"))
