"""The scoring page's data panel (issue 13 items 3 and 10): after an upload or a budget
change it names the affected indicators (old → new, score old → new), one post refreshes
them, and the evaluator adopts the adjusted target form's values; the budget page flags a
header its lines disagree with. No query per row."""

from __future__ import annotations

import re
from decimal import Decimal as D
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from budgets.models import BudgetLine, BudgetYear
from evaluations.data_changes import data_changes
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.selectors import evaluation_score
from evaluations.views.data import data_panel
from tests.integration.evaluations.test_data_reaches_scores import (
    adjust_tianjin_form,
    upload_answered,
)
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db
DETAIL = reverse("evaluations:detail", args=["tianjin-2020"])


@pytest.fixture
def evaluator(client: Client) -> Client:
    return log_in_as("tj-eval-b", "tj-evaluator", Role.EVALUATOR, client=client)


def _text(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _panel(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    start = html.index('id="data"')
    return re.sub(
        r"\s+",
        " ",
        unescape(
            re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)])
        ),
    )


def _token(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    form = html[html.index('id="data-refresh-form"') :]
    return unescape(re.search(r'name="token" value="([^"]*)"', form).group(1))  # type: ignore[union-attr]


def _leaf(name: str) -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code="tianjin-2020", name=name)


def test_the_seed_shows_no_change_and_every_indicators_form_link(
    evaluator: Client,
) -> None:
    panel = _panel(evaluator.get(DETAIL))
    assert "实际完成值与运行数据和预算一致，指标值与绩效目标表一致。" in panel
    assert "年度受理咨询数量 750 万件 tianjin-2020 · 全年受理(咨询)量 750 万件" in panel
    links = panel[panel.index("各指标的指标值来源") :]
    assert "平台受理时限" not in links  # no target, no link: nothing to show
    assert "坐席电话接听率 大于 90% tianjin-2020 · 接通率 大于 90%" in links


def test_an_upload_of_900_wan_is_shown_old_to_new_and_refreshed_in_one_post(
    evaluator: Client,
) -> None:
    upload_answered("900")
    page = evaluator.get(DETAIL)
    panel = _panel(page)
    assert "评分后运行数据或预算有变化：影响 2 个指标。" in panel
    assert "坐席电话接听率 96.12% → 85.45%" in panel
    assert "5.00 → 4.75" in panel
    assert "单位接听量占用人工成本 8.99 万元 → 10.11 万元" in panel
    assert "4.00 （保留：由评价人评定）" in panel

    response = evaluator.post(
        reverse("evaluations:data_refresh", args=["tianjin-2020"]),
        {"token": _token(page)},
    )
    assert response.status_code == 302
    after = evaluator.get(DETAIL)
    assert (
        "已按最新数据更新 2 个指标：坐席电话接听率、单位接听量占用人工成本。"
        in _text(after)
    )
    assert "评分后运行数据或预算有变化" not in _panel(after)
    rate = _leaf("坐席电话接听率")
    assert (rate.actual_text, rate.final_score) == ("85.45%", D("4.75"))
    result = evaluation_score(Evaluation.objects.get(code="tianjin-2020")).result
    assert (result.total, result.grade) == (D("92.12"), "优")


def test_a_stale_refresh_writes_nothing_and_says_why(evaluator: Client) -> None:
    upload_answered("900")
    token = _token(evaluator.get(DETAIL))
    upload_answered("950")
    response = evaluator.post(
        reverse("evaluations:data_refresh", args=["tianjin-2020"]),
        {"token": token},
        follow=True,
    )
    assert "数据在本页显示后又有变化：请核对现在显示的变化后再更新。" in _text(response)
    assert "坐席电话接听率 96.12% → 90.20%" in _panel(response)
    assert _leaf("坐席电话接听率").actual_number == D("96.12")


def test_a_budget_page_change_to_11000_reaches_the_fund_arrival_rate(
    evaluator: Client,
) -> None:
    budget = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    finance = log_in_as("tj-fin-b", "tj-czj", Role.FINANCE)
    data = {
        "version": budget.version,
        "initial": "10200.59",
        "addition": "913",
        "reduction": "21.19",
        "received": "11000.00",
        "expenditure": "11076.79",
    }
    for line in BudgetLine.objects.filter(budget_year=budget):
        for name in ("budget", "received", "expenditure"):
            data[f"line_{line.pk}_{name}"] = str(getattr(line, name))
    url = reverse("budgets:detail", args=["tianjin-2020", 2020])
    assert finance.post(url, data).status_code == 302
    # the header's 到位 11000.00 against the lines' 11092.40 is flagged on the budget page
    flag = _text(finance.get(url))
    assert (
        "本年度预算数与按经济分类的明细合计不一致： "
        "到位资金 11,000.00，明细合计 11,092.40（相差 -92.40）"
    ) in flag
    panel = _panel(evaluator.get(DETAIL))
    assert "资金到位率 资金到位率为 100% → 99.17%" in panel
    assert "3.00 → 2.00" in panel


def test_the_budget_page_of_the_seed_has_no_disagreement() -> None:
    finance = log_in_as("tj-fin-c", "tj-czj", Role.FINANCE)
    page = finance.get(reverse("budgets:detail", args=["tianjin-2020", 2020]))
    assert 'id="budget-disagreements"' not in page.content.decode()


def test_the_adjusted_forms_values_are_shown_and_adopted(evaluator: Client) -> None:
    adjust_tianjin_form()
    page = evaluator.get(DETAIL)
    panel = _panel(page)
    assert (
        "年度受理咨询数量 750 万件 tianjin-2020 · 全年受理(咨询)量 1050 万件" in panel
    )
    assert "开展培训人次 8000 人次 tianjin-2020 · 开展培训人次 30000 人次" in panel
    assert "坐席电话接听率 大于 90% tianjin-2020 · 接通率 ≥95%" in panel
    html = page.content.decode()
    form = html[html.index('id="targets-adopt-form"') :]
    token = unescape(re.search(r'name="token" value="([^"]*)"', form).group(1))  # type: ignore[union-attr]
    volume = _leaf("年度受理咨询数量")
    # the evaluator leaves only 年度受理咨询数量 ticked
    evaluator.post(
        reverse("evaluations:targets_adopt", args=["tianjin-2020"]),
        {"token": token, "indicators": [str(volume.pk)]},
    )
    volume.refresh_from_db()
    assert (volume.target_text, volume.final_score) == ("1050 万件", D("2.96"))
    assert _leaf("开展培训人次").target_text == "8000 人次"  # not ticked: as it was
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    assert evaluation_score(evaluation).result.total == D("92.33")
    # the same post again (a second tab): already adopted, nothing more is written
    again = evaluator.post(
        reverse("evaluations:targets_adopt", args=["tianjin-2020"]),
        {"token": token, "indicators": [str(volume.pk)]},
        follow=True,
    )
    assert "数据在本页显示后又有变化" in _text(again)


def test_the_panel_costs_no_query_per_row() -> None:
    evaluation = Evaluation.objects.select_related("project__unit").get(
        code="tianjin-2020"
    )
    upload_answered("900")

    def queries() -> int:
        scored = evaluation_score(evaluation)
        with CaptureQueriesContext(connection) as captured:
            panel = data_panel(evaluation, scored.indicators)
            assert panel is not None
            [link.form_text for link in panel.links]
            [
                link.form_indicator.form.code
                for link in panel.links
                if link.form_indicator
            ]
        return len(captured)

    before = queries()
    # ten more linked leaves under 产出数量
    parent = evaluation.indicators.get(name="产出数量")
    model = _leaf("坐席设置数量")
    for n in range(10):
        EvaluationIndicator.objects.create(
            evaluation=evaluation,
            parent=parent,
            level=3,
            position=100 + n,
            name=f"附加指标{n}",
            weight=D("0"),
            rule_kind="positive",
            target_indicator=model.target_indicator,
            target_text=model.target_text,
            actual_number=D("1"),
            library_indicator=model.library_indicator,
        )
    assert queries() == before
    assert (
        len(
            data_changes(
                evaluation,
                list(
                    evaluation.indicators.filter(children__isnull=True).select_related(
                        "library_indicator", "target_indicator__form"
                    )
                ),
            )
        )
        == 12
    )
