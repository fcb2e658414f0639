"""Issue 13 item 9, the smaller ones: the site icon, numbers with their thousands
separated, the adjustment form without 半年指标值 on a form that has none, the document
page saying what it offers and leading back. (The region filter and the charts:
tests/functional/targets/test_dashboard_pages.py, tests/unit/operations/test_charts.py.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Role
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


def approved(code: str) -> TargetForm:
    form = TargetForm.objects.get(code=code)
    if form.status != "approved":
        target_form_submit(form=form, user=User.objects.create_user(f"{code}-unit"))
        target_form_approve(form=form, user=User.objects.create_user(f"{code}-fin"))
    return form


def test_every_page_links_the_icon_and_favicon_ico_is_not_a_404() -> None:
    anonymous = Client()
    login = anonymous.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in (
        login
    )
    response = anonymous.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (
        302,
        "/static/img/favicon.svg",
    )


def test_the_budget_page_separates_thousands() -> None:
    finance = log_in_as("fin", "tj-czj", Role.FINANCE)
    html = finance.get("/budgets/tianjin-2020/2020/").content.decode()
    # 10200.59 + 913 − 21.19 = 11092.40 万元 (seed 001)
    assert '<td class="num" id="adjusted">11,092.40</td>' in html
    assert '<td class="num">10,200.59</td>' in html


def test_the_adjustment_form_offers_no_half_year_value_on_a_form_without_one() -> None:
    form = approved("tianjin-2020")
    assert form.has_half_year is False
    unit = log_in_as("unit", "tj-8890", Role.UNIT)
    page = unit.get("/targets/tianjin-2020/adjustments/").content.decode()
    assert 'name="value"' in page
    assert 'name="half_year_value"' not in page
    assert "半年" not in page.split('id="adjustment-form"')[1].split("</form>")[0]
    answer = form.indicators.get(name="接通率")
    refused = unit.post(
        "/targets/tianjin-2020/adjustments/",
        {
            "indicator": answer.pk,
            "value": "≥95%",
            "half_year_value": "≥93%",
            "reason": "按国家标准调整",
        },
    )
    assert refused.status_code == 400
    assert "该表没有半年指标值。" in refused.content.decode()
    assert form.adjustments.count() == 0
    accepted = unit.post(
        "/targets/tianjin-2020/adjustments/",
        {"indicator": answer.pk, "value": "≥95%", "reason": "按国家标准调整"},
    )
    assert accepted.status_code == 302
    adjustment = form.adjustments.get()
    assert (adjustment.value_text, adjustment.half_year_text) == ("≥95%", "")


def test_a_form_with_half_year_values_still_offers_them() -> None:
    approved("suzhou-2023")
    department = log_in_as("sz", "sz-bmfw", Role.UNIT)
    page = department.get("/targets/suzhou-2023/adjustments/").content.decode()
    assert 'name="half_year_value"' in page


def test_the_document_page_offers_what_it_says_and_leads_back() -> None:
    admin = log_in_as("admin", "tj-czj", Role.ADMINISTRATOR)
    report = admin.get("/documents/evaluation_report/tianjin-2020/").content.decode()
    assert "PDF 在后台生成" in report
    assert "Excel" not in report
    assert (
        '<a href="/evaluations/tianjin-2020/" id="back-link">← 返回绩效评价</a>'
        in report
    )
    form = admin.get("/documents/target_form/tianjin-2020/").content.decode()
    assert "PDF 和 Excel 文件在后台生成" in form
    assert (
        '<a href="/targets/tianjin-2020/" id="back-link">← 返回绩效目标表</a>' in form
    )
