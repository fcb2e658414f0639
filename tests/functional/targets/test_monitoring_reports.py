"""运行监控 reports (issue 15 §2): Suzhou 2023's report for 2023-06 is the reference case —
each 半年指标值 against the half-year actuals, the department budget's 半年计划执行数
against the spending to date — and the workflow: a red light refused without its cause
and 纠偏措施 (nothing changes), submitted, returned with a comment, resubmitted,
accepted and locked; the history; 待办; another organisation's report is a 404."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from budgets.models import DepartmentExpenditure, DepartmentSpending, Organisation
from core.access import Role
from core.inbox import inbox
from targets.models import (
    MonitoringLine,
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
)
from targets.services import target_form_approve, target_form_submit
from tests.personas import member

pytestmark = pytest.mark.django_db

REPORT_URL = "/targets/suzhou-2023/monitoring/6/"

# Spending to date of each expenditure line of Suzhou's 2023 department budget (the seed
# source has none: these are the test's own figures, entered as a department would).
SPENDING = {
    "基本支出": "300",
    "全市便民服务人员业务技能培训": "0",
    "呼叫平台、热线电话费等": "60",
    "全市政务服务便民热线运行绩效第三方测评": "0",
    "党团活动费": "0",
    "“12345”政府公共服务热线运行经费": "400",
    "法律顾问": "0",
    "苏州12345热线专项委托业务费": "0",
    "《市民手册》制作费、一般宣传材料印刷费": "0",
    "“便民杯”考核经费": "24.5",
    "“寒山闻钟”论坛日常运行费用": "29.2",
    "热线系统软硬件维护": "20",
    "体检经费": "0",
}  # total 833.70


def _approve(code: str) -> TargetForm:
    form = TargetForm.objects.get(code=code)
    if form.status != "approved":
        clerk = User.objects.create_user(f"approver-{code}")
        target_form_submit(form=form, user=clerk)
        target_form_approve(form=form, user=clerk)
    return form


@pytest.fixture
def suzhou(login: Callable[..., Client]) -> Client:
    """The centre's client, with its 2023 form approved and the 2023-06 report started."""
    _approve("suzhou-2023")
    centre = login("sz-bmfw", Role.UNIT)
    response = centre.post("/targets/suzhou-2023/monitoring/start/", {"months": "6"})
    assert response.status_code == 302
    assert response["Location"] == REPORT_URL
    return centre


@pytest.fixture
def sz_finance() -> Client:
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


def _line(name: str) -> MonitoringLine:
    return MonitoringLine.objects.get(report__code="suzhou-2023-06", name=name)


def _row(html: str, line: MonitoringLine) -> str:
    return html.split(f'id="line-{line.pk}"')[1].split("</tr>")[0]


def test_the_suzhou_half_year_report_copies_each_half_year_value_and_the_plan(
    suzhou: Client,
) -> None:
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    assert (report.form.code, report.months, report.status) == (
        "suzhou-2023",
        6,
        MonitoringStatus.DRAFT,
    )
    lines = list(report.lines.order_by("position"))
    # the budget line, then the form's 45 三级 indicators in form order
    assert len(lines) == 46
    assert [(x.kind, x.name) for x in lines[:3]] == [
        ("budget", "年度资金总额"),
        ("indicator", "工作计划制定健全性"),
        ("indicator", "中长期规划制定健全性"),
    ]
    posts = _line("计划通过微信公众号推送信息条数或个数")
    assert (posts.level1, posts.level2, posts.period_target, posts.year_target) == (
        "履职",
        "负责“苏州12345和寒山闻钟”微信公众号的日常运营",
        "=24条",
        "=48条",
    )
    rate = _line("预算执行率")
    assert (rate.level1, rate.level2, rate.period_target, rate.year_target) == (
        "过程",
        "预算执行",
        "=38%",
        "=100%",
    )
    # the source gives this row one value cell: the full year's, no half-year value
    quality = _line("评审评价评估报告质量合格情况")
    assert (quality.period_target, quality.year_target) == ("", "合格")
    assert _line("企业群众满意度").period_target == "≥80%"
    # 部门整体资金: 2298.67 for the year, 878.46 planned for the half year (285 + 593.46);
    # the source has no spending to date, and none is invented
    assert (report.budget, report.planned_to_date, report.spent_to_date) == (
        Decimal("2298.67"),
        Decimal("878.46"),
        None,
    )
    budget = lines[0]
    assert (budget.period_target, budget.to_date, budget.light) == (
        "38.22%",
        "",
        "none",
    )
    html = suzhou.get(REPORT_URL).content.decode()
    assert "该年度没有预算数据" not in html
    # nor the form's monitoring page, which read only a project's budget year
    page = suzhou.get("/targets/suzhou-2023/monitoring/").content.decode()
    assert "该年度没有预算数据" not in page
    assert "已填报 0 / 13 条支出" in page
    assert (
        "部门预算没有记录本期截至目前的实际支出数（其来源只有全年预算数和半年计划执行数），"
        "录入之前无法判断执行进度。" in html
    )
    assert '<td class="num">2,298.67</td>' in html
    assert '<td class="num">878.46 (38.22%)</td>' in html
    assert "0 of 13" not in html and "已填报 0 / 13 条支出" in html


def test_the_spending_to_date_entered_on_the_department_budget_lights_the_budget(
    suzhou: Client,
) -> None:
    lines = {
        line.name: line
        for line in DepartmentExpenditure.objects.filter(
            department_budget__organisation__code="sz-bmfw",
            department_budget__year=2023,
        )
    }
    url = "/budgets/department/sz-bmfw/2023/spending/?month=6"
    page = suzhou.get(url).content.decode()
    assert "285.00" in page and "593.46" not in page  # lines, not the subtotal
    data = {f"line_{lines[name].pk}": amount for name, amount in SPENDING.items()}
    # a negative amount is refused in Chinese and nothing is stored
    refused = suzhou.post(url, {**data, f"line_{lines['基本支出'].pk}": "-1"})
    assert refused.status_code == 400
    assert "确保该值大于或等于0" in refused.content.decode()
    assert not DepartmentSpending.objects.filter(line__in=lines.values()).exists()
    assert suzhou.post(url, data).status_code == 302
    spent = DepartmentSpending.objects.get(
        line=lines["“12345”政府公共服务热线运行经费"]
    )
    assert (spent.month, spent.amount) == (6, Decimal("400.00"))

    html = suzhou.get(REPORT_URL).content.decode()
    budget_row = html.split('id="budget-row"')[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<")[0] for c in budget_row.split("<td")[1:]]
    # 833.70 of 2298.67 = 36.27 %; against the plan (38.22 % of the year): 94.90 %
    assert cells[:5] == ["2,298.67", "878.46 (38.22%)", "833.70", "36.27%", "94.90%"]
    assert 'class="light green"' in budget_row
    assert "已填报 13 / 13 条支出" in html

    # 双监控 on the form's monitoring page too: the department budget against the time
    # elapsed (833.70 of 2298.67 = 36.27 % at 50 % of the year: 72.54 %, yellow)
    page = suzhou.get(
        "/targets/suzhou-2023/monitoring/", {"as_of": "2023-06-30"}
    ).content.decode()
    assert "该年度没有预算数据" not in page
    assert "部门预算截至6月末的实际执行数" in page and "已填报 13 / 13 条支出" in page
    assert (
        '<tr class="total"><th>部门整体</th><td class="num">2,298.67</td>'
        '<td class="num">833.70</td>\n  <td class="num">36.27%</td>\n  '
        '<td class="num">72.54%</td>' in page
    )
    assert (
        '<th>基本支出</th><td class="num">727.18</td><td class="num">300.00</td>\n'
        '  <td class="num">41.26%</td>\n  <td class="num">82.51%</td>' in page
    )

    # saving the report keeps the figures on it; they are frozen when it is submitted
    assert suzhou.post(REPORT_URL, {}).status_code == 302
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    assert report.spent_to_date == Decimal("833.70")
    budget = report.lines.get(kind="budget")
    assert (budget.to_date, budget.light) == ("36.27%", "green")


def test_a_red_light_is_refused_without_cause_and_measures_then_submitted(
    suzhou: Client,
) -> None:
    posts = _line("计划通过微信公众号推送信息条数或个数")
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    version = report.version
    key = f"l{posts.pk}"
    response = suzhou.post(
        f"{REPORT_URL}submit/",
        {"version": version, f"{key}-to_date": "20条", f"{key}-expected": "48条"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "“计划通过微信公众号推送信息条数或个数”为红灯：提交前请选择偏差原因、"
        "说明原因并填写纠偏措施。" in html
    )
    # what was typed is still in the form, and nothing changed
    assert 'value="20条"' in _row(html, posts)
    posts.refresh_from_db()
    report.refresh_from_db()
    assert (posts.to_date, posts.light, report.status, report.version) == (
        "",
        "none",
        "draft",
        version,
    )

    response = suzhou.post(
        f"{REPORT_URL}submit/",
        {
            "version": version,
            f"{key}-to_date": "20条",
            f"{key}-expected": "48条",
            f"{key}-likelihood": "certain",
            f"{key}-cause": "staff",
            f"{key}-cause_text": "上半年新媒体岗位空缺两个月",
            f"{key}-measures": "7月起补足人员，下半年每月推送5条",
        },
    )
    assert response.status_code == 302
    posts.refresh_from_db()
    report.refresh_from_db()
    assert (report.status, report.submissions) == ("submitted", 1)
    # 20条 misses the half-year =24条: red, whatever the forecast
    assert (posts.to_date, posts.expected, posts.light) == ("20条", "48条", "red")
    assert (posts.cause, posts.cause_text, posts.measures) == (
        "staff",
        "上半年新媒体岗位空缺两个月",
        "7月起补足人员，下半年每月推送5条",
    )
    html = suzhou.get(REPORT_URL).content.decode()
    row = _row(html, posts)
    assert "实际值 ≥ 24 条" in row
    assert "<strong>人员保障</strong>：" in row
    # the red line's way to 问题整改 (part R's page)
    assert (
        'href="/rectifications/monitoring/suzhou-2023-06/" id="rectification-link"'
        in (html)
    )
    # submitted: the unit no longer edits it
    assert f'name="{key}-to_date"' not in html


def test_the_finance_bureau_returns_then_accepts_and_the_report_is_locked(
    suzhou: Client, sz_finance: Client
) -> None:
    assert suzhou.post(f"{REPORT_URL}submit/", {}).status_code == 302
    # to do: the bureau sees the report to review
    bureau = User.objects.get(username="sz-finance")
    lists = {task_list.key: task_list for task_list in inbox(bureau)}
    assert [t.title for t in lists["monitoring-review"].tasks] == [
        "苏州市便民服务中心 2023 · 1至6月"
    ]
    # a return needs a comment
    refused = sz_finance.post(f"{REPORT_URL}return/", {"comment": "  "})
    assert refused.status_code == 400
    assert "<li>这个字段是必填项。</li>" in refused.content.decode()
    assert MonitoringReport.objects.get(code="suzhou-2023-06").status == "submitted"
    assert (
        sz_finance.post(
            f"{REPORT_URL}return/", {"comment": "请补充上半年考核次数的完成情况"}
        ).status_code
        == 302
    )
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    assert (report.status, report.review_comment) == (
        "returned",
        "请补充上半年考核次数的完成情况",
    )
    centre = User.objects.get(username="sz-bmfw-unit")
    lists = {task_list.key: task_list for task_list in inbox(centre)}
    assert lists["monitoring-returned"].tasks[0].url == REPORT_URL
    html = suzhou.get(REPORT_URL).content.decode()
    assert "请补充上半年考核次数的完成情况" in html

    checks = _line("全年开展考核次数")
    key = f"l{checks.pk}"
    assert (
        suzhou.post(
            f"{REPORT_URL}submit/", {f"{key}-to_date": "2次", f"{key}-expected": "4次"}
        ).status_code
        == 302
    )
    checks.refresh_from_db()
    assert (checks.period_target, checks.to_date, checks.light) == (
        "=2次",
        "2次",
        "green",
    )
    assert sz_finance.post(f"{REPORT_URL}accept/").status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submissions) == ("accepted", 2)

    # locked: neither the unit nor the bureau changes it any more
    refused = suzhou.post(REPORT_URL, {f"{key}-to_date": "3次"})
    assert refused.status_code == 400
    assert "该运行监控报告已审核通过，不能再修改。" in refused.content.decode()
    checks.refresh_from_db()
    assert checks.to_date == "2次"
    assert (
        sz_finance.post(f"{REPORT_URL}return/", {"comment": "再改"}).status_code == 400
    )

    # the history: who changed what, before and after
    history = suzhou.get(f"{REPORT_URL}history/").content.decode()
    assert "全年开展考核次数" in history
    assert (
        '<td>本期完成情况</td><td class="explained">—</td><td class="explained">2次</td>'
        in history
    )
    assert "已审核通过" in history


def test_a_report_starts_only_from_an_approved_form_and_once_per_period(
    login: Callable[..., Client],
) -> None:
    centre = login("sz-bmfw", Role.UNIT)
    response = centre.post("/targets/suzhou-2023/monitoring/start/", {"months": "6"})
    assert response.status_code == 400
    assert "运行监控须从已审核通过的绩效目标表开始：该表目前为“草稿”。" in (
        response.content.decode()
    )
    assert not MonitoringReport.objects.exists()
    _approve("suzhou-2023")
    assert (
        centre.post(
            "/targets/suzhou-2023/monitoring/start/", {"months": "6"}
        ).status_code
        == 302
    )
    again = centre.post("/targets/suzhou-2023/monitoring/start/", {"months": "6"})
    assert again.status_code == 400
    assert "该表已有1至6月的运行监控报告。" in again.content.decode()
    assert MonitoringReport.objects.count() == 1
    bad = centre.post("/targets/suzhou-2023/monitoring/start/", {"months": "12"})
    assert bad.status_code == 400


def test_a_seven_month_project_report_judges_spending_against_the_time_share(
    login: Callable[..., Client],
) -> None:
    _approve("tianjin-2020")
    centre = login("tj-8890", Role.UNIT)
    assert (
        centre.post(
            "/targets/tianjin-2020/monitoring/start/", {"months": "7"}
        ).status_code
        == 302
    )
    report = MonitoringReport.objects.get(code="tianjin-2020-07")
    assert (report.budget, report.planned_to_date, report.spent_to_date) == (
        Decimal("11092.40"),
        None,
        None,
    )
    answer = report.lines.get(name="接通率")
    # no half-year values on this form: only the full-year target
    assert (answer.period_target, answer.year_target) == ("", "大于 90%")
    url = "/targets/tianjin-2020/monitoring/7/"
    assert centre.post(url, {"spent_to_date": "5000"}).status_code == 302
    report.refresh_from_db()
    budget = report.lines.get(kind="budget")
    # 5000 of 11092.40 = 45.08 %, 7 months = 58.33 % of the year: 77.27 %, yellow
    assert (
        report.spent_to_date,
        budget.period_target,
        budget.to_date,
        budget.light,
    ) == (
        Decimal("5000.00"),
        "58.33%",
        "45.08%",
        "yellow",
    )
    html = centre.get(url).content.decode()
    assert '<td class="num">77.27%</td>' in html
    # a forecast below the full-year target is red
    key = f"l{answer.pk}"
    centre.post(url, {f"{key}-expected": "88%"})
    answer.refresh_from_db()
    assert answer.light == "red"


def test_another_organisation_never_reaches_the_report(
    suzhou: Client, login: Callable[..., Client]
) -> None:
    tianjin_centre = login("tj-8890", Role.UNIT)
    tianjin_finance = login("tj-czj", Role.FINANCE)
    for client in (tianjin_centre, tianjin_finance):
        assert client.get(REPORT_URL).status_code == 404
        assert client.post(f"{REPORT_URL}submit/", {}).status_code == 404
        assert client.get(f"{REPORT_URL}history/").status_code == 404
        assert (
            client.get("/documents/monitoring_table/suzhou-2023-06/").status_code == 404
        )
        assert (
            client.get("/budgets/department/sz-bmfw/2023/spending/").status_code == 404
        )
    assert MonitoringReport.objects.get(code="suzhou-2023-06").status == "draft"


def test_a_second_editor_is_told_what_the_first_saved_and_nothing_is_lost(
    suzhou: Client, login: Callable[..., Client]
) -> None:
    colleague = login("sz-bmfw", Role.UNIT, name="sz-colleague")
    report = MonitoringReport.objects.get(code="suzhou-2023-06")
    checks = _line("全年开展考核次数")
    key = f"l{checks.pk}-to_date"
    drawn = report.version  # both pages drawn at this version
    assert suzhou.post(REPORT_URL, {"version": drawn, key: "2次"}).status_code == 302
    response = colleague.post(REPORT_URL, {"version": drawn, key: "3次"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "全年开展考核次数：本期完成情况：已保存为“2次”，您填写的是“3次”。" in html
    assert f'name="{key}" value="3次"' in html
    checks.refresh_from_db()
    assert checks.to_date == "2次"
    # saving again from that page replaces it on purpose
    version = html.split('name="version" value="')[1].split('"')[0]
    assert (
        colleague.post(REPORT_URL, {"version": version, key: "3次"}).status_code == 302
    )
    checks.refresh_from_db()
    assert checks.to_date == "3次"
