"""A red light of a submitted 运行监控 report becomes a rectification item (issue 15 §3):
Suzhou 2023's half-year report, its 微信公众号推送 line red with the unit's cause and
纠偏措施; a draft report's red light is refused; another organisation never reaches it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import Organisation
from core.access import Role
from rectifications.models import RectificationItem
from rectifications.services import item_from_red_light
from targets.models import MonitoringLine, TargetForm
from targets.services import target_form_approve, target_form_submit
from tests.personas import log_in_as, member

pytestmark = pytest.mark.django_db

REPORT_URL = "/targets/suzhou-2023/monitoring/6/"
LINE = "计划通过微信公众号推送信息条数或个数"


@pytest.fixture
def centre(settings: Any, tmp_path: Path) -> Client:
    """The Suzhou centre with its 2023-06 report started (not yet submitted)."""
    settings.MEDIA_ROOT = tmp_path
    form = TargetForm.objects.get(code="suzhou-2023")
    clerk = User.objects.create_user("approver")
    target_form_submit(form=form, user=clerk)
    target_form_approve(form=form, user=clerk)
    client = log_in_as("sz-centre", "sz-bmfw", Role.UNIT)
    started = client.post("/targets/suzhou-2023/monitoring/start/", {"months": "6"})
    assert started.status_code == 302
    return client


def _submit(centre: Client) -> MonitoringLine:
    line = MonitoringLine.objects.get(report__code="suzhou-2023-06", name=LINE)
    key = f"l{line.pk}"
    response = centre.post(
        f"{REPORT_URL}submit/",
        {
            "version": line.report.version,
            f"{key}-to_date": "20条",
            f"{key}-expected": "48条",
            f"{key}-likelihood": "certain",
            f"{key}-cause": "staff",
            f"{key}-cause_text": "上半年新媒体岗位空缺两个月",
            f"{key}-measures": "7月起补足人员，下半年每月推送5条",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.light == "red"
    return line


@pytest.fixture
def finance() -> Client:
    Organisation.objects.create(
        code="sz-czj",
        name="苏州市财政局",
        kind="finance_bureau",
        region="江苏省",
        city="苏州市",
    )
    client = Client()
    client.force_login(member("sz-finance", "sz-czj", Role.FINANCE))
    return client


def test_a_submitted_red_light_becomes_an_item_with_the_units_cause_and_measures(
    centre: Client, finance: Client
) -> None:
    line = _submit(centre)
    page = finance.get(reverse("rectifications:monitoring", args=["suzhou-2023-06"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="card red-light"') == 1
    # the unit's 纠偏措施 are offered as the measures
    assert "\n7月起补足人员，下半年每月推送5条</textarea>" in html
    deadline = timezone.localdate() + timedelta(days=45)
    prefix = f"line-{line.pk}"
    response = finance.post(
        reverse("rectifications:monitoring_create", args=["suzhou-2023-06", line.pk]),
        {
            f"{prefix}-responsible": Organisation.objects.get(code="sz-bmfw").pk,
            f"{prefix}-measures": "7月起补足人员，下半年每月推送5条",
            f"{prefix}-deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    item = RectificationItem.objects.get(monitoring_line=line)
    assert (item.title, item.project, item.year, item.responsible.code) == (
        f"运行监控红灯：{LINE}",
        None,
        2023,
        "sz-bmfw",
    )
    assert item.problem == (
        f"全年指标值：{line.year_target}；截至目前完成：20条；预计全年完成：48条；"
        "偏差原因：人员保障（上半年新媒体岗位空缺两个月）"
    )
    assert item.source_text == (
        f"{line.report.form.title or 'suzhou-2023'} 运行监控（1—6月），"
        f"第 {line.position} 行"
    )
    # the unit finds it in its list and 待办
    listed = centre.get(reverse("rectifications:list")).content.decode()
    assert f"运行监控红灯：{LINE}" in listed


def test_a_draft_reports_red_light_is_refused(centre: Client) -> None:
    line = MonitoringLine.objects.get(report__code="suzhou-2023-06", name=LINE)
    MonitoringLine.objects.filter(pk=line.pk).update(light="red")
    line.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        item_from_red_light(
            line=line,
            responsible=Organisation.objects.get(code="sz-bmfw"),
            measures="x",
            deadline=timezone.localdate() + timedelta(days=1),
            user=None,
        )
    assert refused.value.messages == ["只有已提交的运行监控报告中的红灯才能列入整改。"]
    assert not RectificationItem.objects.exists()


def test_another_organisation_never_reaches_the_red_lights(centre: Client) -> None:
    _submit(centre)
    tianjin = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    assert (
        tianjin.get(
            reverse("rectifications:monitoring", args=["suzhou-2023-06"])
        ).status_code
        == 404
    )
