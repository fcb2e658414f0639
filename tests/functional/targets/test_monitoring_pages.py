"""运行监控 pages: half-year actuals against half-year values (Suzhou's department form has
them), budget execution lights against the time elapsed, overspend flags (Tianjin)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Role
from budgets.models import Organisation
from operations.services import operating_data_import
from targets.models import TargetIndicator
from tests.integration.operations.files import row, xlsx

pytestmark = pytest.mark.django_db


def test_half_year_actuals_are_judged_against_the_half_year_value(
    login: Callable[..., Client],
) -> None:
    centre = login("sz-bmfw", Role.UNIT)
    posts = TargetIndicator.objects.get(
        form__code="suzhou-2023", name="计划通过微信公众号推送信息条数或个数"
    )
    assert (posts.half_year_text, posts.value_text) == ("=24条", "=48条")
    response = centre.post(
        f"/targets/suzhou-2023/indicators/{posts.pk}/actual/",
        {"half_year_actual": "20条", "actual": ""},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    row = (
        response.content.decode().split(f'id="monitor-{posts.pk}"')[1].split("</tr>")[0]
    )
    assert '<td class="result not_met">未达成' in row
    centre.post(
        f"/targets/suzhou-2023/indicators/{posts.pk}/actual/",
        {"half_year_actual": "26条", "actual": ""},
    )
    posts.refresh_from_db()
    assert (posts.half_year_actual_text, str(posts.half_year_actual_number)) == (
        "26条",
        "26.0000",
    )
    html = centre.get("/targets/suzhou-2023/monitoring/").content.decode()
    row = html.split(f'id="monitor-{posts.pk}"')[1].split("</tr>")[0]
    assert '<td class="result met">达成' in row
    record = posts.history.latest()  # type: ignore[attr-defined]
    assert (record.prev_record.half_year_actual_text, record.half_year_actual_text) == (
        "20条",
        "26条",
    )


def test_a_half_year_actual_nobody_entered_comes_from_the_monthly_data(
    login: Callable[..., Client],
) -> None:
    centre_org = Organisation.objects.get(code="sz-bmfw")
    staff = TargetIndicator.objects.get(
        form__code="suzhou-2023", name="劳动合同制座席人员数量"
    )
    assert (staff.half_year_text, staff.half_year_actual_text) == ("≤114人", "")
    rows = [
        row("年末人数", f"2023-{m:02d}", 110 + m, org=centre_org.name)
        for m in range(1, 7)
    ]
    assert operating_data_import(
        organisation=centre_org, name="苏州上半年.xlsx", content=xlsx(rows)
    ).committed
    centre = login("sz-bmfw", Role.UNIT)
    half_actual, half_result = _half_year_cells(centre, staff)
    # June's year-end headcount, 116, is above the half-year target of ≤ 114
    assert "116 人（由 1–6月 月度数据汇总；运行数据上传“苏州上半年.xlsx”" in _inline(
        half_actual
    )
    assert half_result.startswith('class="result not_met">未达成')
    # a value entered on the page takes precedence over the uploaded one
    centre.post(
        f"/targets/suzhou-2023/indicators/{staff.pk}/actual/",
        {"half_year_actual": "112人", "actual": ""},
    )
    half_actual, half_result = _half_year_cells(centre, staff)
    assert 'value="112人"' in half_actual and "苏州上半年.xlsx" not in half_actual
    assert half_result.startswith('class="result met">达成')


def _inline(html: str) -> str:
    """``html`` without its inline <span>s (the source is marked lang="zh-Hans")."""
    return re.sub(r"</?span[^>]*>", "", html)


def _half_year_cells(client: Client, indicator: TargetIndicator) -> tuple[str, str]:
    """The half-year actual and result cells of the indicator's row."""
    html = client.get("/targets/suzhou-2023/monitoring/").content.decode()
    row = html.split(f'id="monitor-{indicator.pk}"')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]  # name, half-year target, actual, result, …
    return cells[2].strip(), cells[3].strip()


def test_budget_execution_lights_and_the_overspend_on_the_page(
    login: Callable[..., Client],
) -> None:
    finance = login("tj-czj", Role.FINANCE)
    html = finance.get(
        "/targets/tianjin-2020/monitoring/", {"as_of": "2020-07-01"}
    ).content.decode()
    assert "全年时间已过 50.00%。" in html
    assert (
        '<th>资本性支出</th><td class="num">9.00</td><td class="num">0.00</td>' in html
    )
    assert 'class="light red"' in html
    assert (
        "商品和服务支出执行率 100.45%，超预算 8.93 万元，未履行预算调整程序。" in html
    )
    # full-year actuals default to the operating data, with its source
    assert (
        "96.12% = 1012.36 万次 ÷ 1053.2 万次（运行数据上传“tianjin-8890-2018-2020.xlsx”"
        in _inline(html)
    )


def test_the_monitoring_page_is_read_only_for_finance(
    login: Callable[..., Client],
) -> None:
    finance = login("tj-czj", Role.FINANCE)
    leaf = TargetIndicator.objects.get(form__code="tianjin-2020", name="接通率")
    html = finance.get("/targets/tianjin-2020/monitoring/").content.decode()
    assert 'name="actual"' not in html
    assert (
        finance.post(
            f"/targets/tianjin-2020/indicators/{leaf.pk}/actual/", {"actual": "99%"}
        ).status_code
        == 403
    )
