"""Optional e-mail notifications (core/notifications.py, targets/notifications.py): off
unless HOTLINE_PERF_EMAIL_NOTIFICATIONS is set; then the finance bureau that sees a form
is mailed when it is submitted, the unit when it is returned or approved, and nobody of
another city."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Role
from targets.models import TargetAdjustment, TargetForm
from tests.personas import member

pytestmark = pytest.mark.django_db


def _client(username: str, organisation: str, role: str, email: str) -> Client:
    client = Client()
    client.force_login(member(username, organisation, role, email=email))
    return client


def _post(client: Client, url: str, data: dict[str, str], capture: Any) -> None:
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302


def test_no_mail_unless_configured(
    django_capture_on_commit_callbacks: Any,
) -> None:
    unit = _client("tj-centre-n", "tj-8890", Role.UNIT, "centre@tj.example")
    member("tj-fin-n", "tj-czj", Role.FINANCE, email="fin@tj.example")
    _post(unit, "/targets/tianjin-2020/submit/", {}, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_reviewers_and_then_the_unit_are_mailed(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HOTLINE_PERF_EMAIL_NOTIFICATIONS = True
    unit = _client("tj-centre-n", "tj-8890", Role.UNIT, "centre@tj.example")
    finance = _client("tj-fin-n", "tj-czj", Role.FINANCE, "fin@tj.example")
    member("tj-fin-quiet", "tj-czj", Role.FINANCE)  # no address: not mailed
    member("pj-fin-n", "pj-czj", Role.FINANCE, email="fin@pj.example")
    _post(unit, "/targets/tianjin-2020/submit/", {}, django_capture_on_commit_callbacks)
    (submitted,) = mail.outbox
    assert submitted.to == ["fin@tj.example"]
    assert (
        submitted.subject == "待审核的绩效目标表：天津市便民专线服务中心运行经费 2020"
    )
    assert submitted.body == (
        "天津市便民专线服务中心运行经费 2020 已提交审核（第 1 次提交）。\n"
        "http://testserver/targets/tianjin-2020/"
    )
    _post(
        finance,
        "/targets/tianjin-2020/return/",
        {"comment": "请补充办结率指标。"},
        django_capture_on_commit_callbacks,
    )
    returned = mail.outbox[1]
    assert returned.to == ["centre@tj.example"]
    assert returned.subject == "绩效目标表已退回：天津市便民专线服务中心运行经费 2020"
    assert len(mail.outbox) == 2


def test_an_adjustment_mails_the_bureau_then_its_requester(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unit = _client("tj-centre-n", "tj-8890", Role.UNIT, "centre@tj.example")
    finance = _client("tj-fin-n", "tj-czj", Role.FINANCE, "fin@tj.example")
    _post(unit, "/targets/tianjin-2020/submit/", {}, django_capture_on_commit_callbacks)
    _post(
        finance,
        "/targets/tianjin-2020/approve/",
        {"round": "1", "confirm": "on"},
        django_capture_on_commit_callbacks,
    )
    settings.HOTLINE_PERF_EMAIL_NOTIFICATIONS = True
    answer = TargetForm.objects.get(code="tianjin-2020").indicators.get(name="接通率")
    _post(
        unit,
        "/targets/tianjin-2020/adjustments/",
        {"indicator": str(answer.pk), "value": "≥95%", "reason": "按国家标准调整。"},
        django_capture_on_commit_callbacks,
    )
    (requested,) = mail.outbox
    assert (requested.to, requested.subject) == (
        ["fin@tj.example"],
        "待审批的目标调整：天津市便民专线服务中心运行经费 2020",
    )
    assert requested.body.splitlines()[:2] == [
        "接通率：大于 90% → ≥95%",
        "按国家标准调整。",
    ]
    adjustment = TargetAdjustment.objects.get(indicator=answer)
    _post(
        finance,
        f"/targets/tianjin-2020/adjustments/{adjustment.pk}/decide/",
        {"decision": "approve", "comment": "同意。"},
        django_capture_on_commit_callbacks,
    )
    decided = mail.outbox[1]
    assert (decided.to, decided.subject) == (
        ["centre@tj.example"],
        "目标调整已批复：天津市便民专线服务中心运行经费 2020",
    )
