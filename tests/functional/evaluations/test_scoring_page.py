"""The evaluator's scoring page: scoped, one save for the page (the changed rows, all or
none), errors beside the field with the typed value kept, the published total set on
submission."""

from __future__ import annotations

import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from evaluations.models import Evaluation, EvaluationIndicator
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db
FETCH: dict[str, Any] = {"headers": {"X-Requested-With": "fetch"}}


@pytest.fixture
def tianjin_evaluator(client: Client) -> Client:
    return log_in_as("tj-eval", "tj-evaluator", Role.EVALUATOR, client=client)


def leaf(name: str, code: str = "tianjin-2020") -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code=code, name=name)


def row(
    indicator: EvaluationIndicator,
    *,
    final_score: str | None = None,
    reason: str | None = None,
    applicable: bool | None = None,
    version: int | None = None,
) -> dict[str, str]:
    """The row's fields as the page posts them, with the given ones changed."""
    prefix = f"row-{indicator.pk}"
    score = indicator.final_score
    data = {
        f"{prefix}-final_score": final_score
        if final_score is not None
        else ("" if score is None else str(score)),
        f"{prefix}-reason": reason if reason is not None else indicator.reason,
        f"{prefix}-version": str(version or indicator.version),
    }
    if applicable if applicable is not None else indicator.applicable:
        data[f"{prefix}-applicable"] = "on"
    return data


def scores_url(code: str = "tianjin-2020") -> str:
    return reverse("evaluations:scores", args=[code])


def test_the_page_shows_the_scored_tree(tianjin_evaluator: Client) -> None:
    response = tianjin_evaluator.get(
        reverse("evaluations:detail", args=["tianjin-2020"])
    )
    assert response.status_code == 200
    scored = response.context["scored"]
    assert str(scored.result.total) == "92.37"
    content = response.content.decode()
    assert '<strong id="grade">优</strong>' in content
    assert "坐席电话接听率" in content and "96.12%" in content and "大于 90%" in content
    assert response.context["editable"] is True
    # one form for the page, one save button, no per-row forms
    assert content.count('id="scores-form"') == 1
    assert content.count('<button type="submit" id="save-scores">') == 1
    assert "score-form" not in content


def test_group_rows_show_their_rate_under_the_score_and_no_explanation(
    tianjin_evaluator: Client,
) -> None:
    response = tianjin_evaluator.get(
        reverse("evaluations:detail", args=["tianjin-2020"])
    )
    decision = leaf("项目决策")
    html = response.content.decode()
    start = html.index(f'id="indicator-{decision.pk}"')
    group_row = html[start : html.index("</tr>", start)]
    assert '<td class="reason"></td>' in group_row
    assert "得分率 88.24%" in group_row


def test_another_organisations_evaluator_gets_404(client: Client) -> None:
    other = log_in_as("pj-eval", "pj-yshj", Role.EVALUATOR, client=client)
    assert (
        other.get(reverse("evaluations:detail", args=["tianjin-2020"])).status_code
        == 404
    )
    assert other.post(scores_url(), {}).status_code == 404
    response = other.get(reverse("evaluations:list"))
    assert [e.code for e in response.context["page"]] == ["panjin-2023"]


def test_the_unit_reads_its_evaluation_but_cannot_score_it(client: Client) -> None:
    unit = log_in_as("centre", "tj-8890", Role.UNIT, client=client)
    page = unit.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert page.status_code == 200
    assert 'id="save-scores"' not in page.content.decode()
    influence = leaf("平台影响力")
    data = row(influence, final_score="3", reason="x")
    assert unit.post(scores_url(), data).status_code == 403
    refused = unit.post(scores_url(), data, **FETCH)
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "您不能为该评价打分。"},
    )
    influence.refresh_from_db()
    assert str(influence.final_score) == "2.60"


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_saving_the_page_writes_score_and_reason_and_returns_the_totals(
    tianjin_evaluator: Client,
) -> None:
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    untouched = leaf("坐席设置数量")
    data = {
        **row(influence, final_score="3", reason="全国排名第二"),
        **row(answered, reason="抽查 2020 年 12 月话单复核"),  # the reason alone
        **row(untouched),
    }
    response = tianjin_evaluator.post(scores_url(), data, **FETCH)
    assert response.status_code == 200
    assert response["X-Scoring-Fragment"] == "1"
    html = response.content.decode()
    assert '<strong id="total-score">92.77</strong>' in html
    assert "已保存。" in html
    influence.refresh_from_db()
    answered.refresh_from_db()
    assert (str(influence.final_score), influence.reason) == ("3.00", "全国排名第二")
    assert (str(answered.final_score), answered.reason) == (
        "5.00",
        "抽查 2020 年 12 月话单复核",
    )
    # a row posted as stored is not written: no version, no history
    before = (untouched.version, untouched.history.count())
    untouched.refresh_from_db()
    assert (untouched.version, untouched.history.count()) == before


def test_without_the_script_the_save_redirects_with_a_message(
    tianjin_evaluator: Client,
) -> None:
    influence = leaf("平台影响力")
    response = tianjin_evaluator.post(
        scores_url(),
        row(influence, final_score="3", reason="全国排名第二"),
        follow=True,
    )
    assert response.redirect_chain == [("/evaluations/tianjin-2020/", 302)]
    assert "评分已保存。" in response.content.decode()


def test_a_bad_score_keeps_every_typed_row_and_changes_nothing(
    tianjin_evaluator: Client,
) -> None:
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    data = {
        **row(influence, final_score="三分", reason="x"),
        **row(answered, final_score="4.5", reason="抽查复核"),
    }
    response = tianjin_evaluator.post(scores_url(), data, **FETCH)
    assert response.status_code == 400
    html = response.content.decode()
    # beside the field, the typed value kept, the stored one there to compare
    assert (
        f'<input name="row-{influence.pk}-final_score" value="三分" data-stored="2.60"'
        in html
    )
    assert '<p class="error field-error">请输入数字，如 8.5。</p>' in html
    # the valid row was not saved either (all or none) and is drawn as typed
    assert (
        f'<input name="row-{answered.pk}-final_score" value="4.5" data-stored="5.00"'
        in html
    )
    assert "2 行未保存：请核对标红处的说明后再保存。" in html
    influence.refresh_from_db()
    answered.refresh_from_db()
    assert (influence.final_score, answered.final_score) == (D("2.60"), D("5.00"))


@pytest.mark.parametrize(
    ("score", "reason", "field", "message"),
    [
        ("4", "x", "final_score", "得分须在 0 至分值 3.00 之间。"),
        ("1.6", "", "reason", "得分与评分规则计算的 — 不同，请说明理由。"),
    ],
)
def test_a_refused_row_shows_the_services_message_beside_its_field(
    tianjin_evaluator: Client, score: str, reason: str, field: str, message: str
) -> None:
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    data = {
        **row(influence, final_score=score, reason=reason),
        **row(answered, reason="抽查复核"),
    }
    response = tianjin_evaluator.post(scores_url(), data, **FETCH)
    assert response.status_code == 400
    html = response.content.decode()
    name = f"row-{influence.pk}-{field}"
    start = html.index(f'name="{name}"')
    cell = html[start : html.index("</td>", start)]
    assert 'aria-invalid="true"' in cell
    assert f'<p class="error field-error">{message}</p>' in cell
    answered.refresh_from_db()
    assert answered.reason != "抽查复核"  # all or none


def test_a_save_on_a_locked_evaluation_is_refused_keeping_the_page(
    tianjin_evaluator: Client,
) -> None:
    influence = leaf("平台影响力")
    Evaluation.objects.filter(code="tianjin-2020").update(
        status=Evaluation.Status.SUBMITTED
    )
    response = tianjin_evaluator.post(
        scores_url(), row(influence, final_score="3", reason="x"), **FETCH
    )
    assert response.status_code == 409
    assert response.json() == {"error": "该评价已提交，不能再修改。"}
    influence.refresh_from_db()
    assert influence.final_score == D("2.60")


def test_the_page_and_its_save_query_as_much_for_any_number_of_rows(
    tianjin_evaluator: Client,
) -> None:
    """No query per row: the page of Tianjin (28 leaves) and of Panjin (16) cost the
    same, and so does a save posting every row unchanged."""
    log_in_as("pj-eval", "pj-yshj", Role.EVALUATOR, client=(panjin := Client()))
    counts = []
    for client, code in ((tianjin_evaluator, "tianjin-2020"), (panjin, "panjin-2023")):
        leaves = EvaluationIndicator.objects.filter(
            evaluation__code=code, children__isnull=True
        )
        data: dict[str, str] = {}
        for indicator in leaves:
            data.update(row(indicator))
        with CaptureQueriesContext(connection) as page:
            assert (
                client.get(reverse("evaluations:detail", args=[code])).status_code
                == 200
            )
        with CaptureQueriesContext(connection) as save:
            assert client.post(scores_url(code), data, **FETCH).status_code == 200
        counts.append((leaves.count(), len(page), len(save)))
    (tianjin_leaves, *tianjin), (panjin_leaves, *panjin_counts) = counts
    assert (tianjin_leaves, panjin_leaves) == (28, 16)
    assert tianjin == panjin_counts


def test_submit_publishes_the_computed_total_and_locks_the_page(
    tianjin_evaluator: Client,
) -> None:
    response = tianjin_evaluator.post(
        reverse("evaluations:submit", args=["tianjin-2020"]), {"total": "92.37"}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    assert evaluation.is_locked
    assert (
        evaluation.published_total,
        evaluation.published_grade,
        evaluation.published_total_reason,
        evaluation.source_total,
    ) == (D("92.37"), "优", "", D("92.37"))
    page = tianjin_evaluator.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert page.context["editable"] is False
    assert 'id="scores-form"' in page.content.decode()  # the totals, no inputs
    assert 'name="row-' not in page.content.decode()


def test_a_changed_score_is_submitted_with_a_reason_for_the_source_reports_total(
    tianjin_evaluator: Client,
) -> None:
    influence = leaf("平台影响力")
    saved = tianjin_evaluator.post(
        scores_url(), row(influence, final_score="1.6", reason="全国排名下降"), **FETCH
    )
    assert saved.status_code == 200
    assert "原报告的总分为 92.37 分，计算总分为 91.37 分" in saved.content.decode()
    submit = reverse("evaluations:submit", args=["tianjin-2020"])

    refused = tianjin_evaluator.post(submit, {"total": "91.37", "reason": ""})
    assert refused.status_code == 400
    assert (
        "原报告的总分 92.37 分与计算总分 91.37 分不一致：请说明理由后再提交。"
        in refused.content.decode()
    )
    assert not Evaluation.objects.get(code="tianjin-2020").is_locked

    reason = "复核平台影响力排名后调减 1 分"
    assert (
        tianjin_evaluator.post(submit, {"total": "91.37", "reason": reason}).status_code
        == 302
    )
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    assert (
        evaluation.status,
        evaluation.published_total,
        evaluation.published_grade,
        evaluation.published_total_reason,
        evaluation.source_total,
        evaluation.source_grade,
    ) == ("submitted", D("91.37"), "优", reason, D("92.37"), "优")
    # what the submitted evaluation prints no longer flags the acknowledged total
    page = tianjin_evaluator.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert [f.kind for f in page.context["scored"].result.flags] == []
    html = page.content.decode()
    assert "公布的总分：91.37（优）" in html and reason in html


def test_a_submission_after_someone_changed_a_score_is_refused_naming_the_total(
    tianjin_evaluator: Client,
) -> None:
    influence = leaf("平台影响力")
    EvaluationIndicator.objects.filter(pk=influence.pk).update(final_score=D("1.6"))
    response = tianjin_evaluator.post(
        reverse("evaluations:submit", args=["tianjin-2020"]),
        {"total": "92.37", "reason": "x"},
    )
    assert response.status_code == 400
    assert (
        "总分现为 91.37 分，而不是 92.37 分：本页打开后有人保存了评分。请核对评分后再提交。"
        in response.content.decode()
    )
    assert not Evaluation.objects.get(code="tianjin-2020").is_locked


def test_only_the_checks_that_block_submitting_are_marked_so(
    tianjin_evaluator: Client,
) -> None:
    influence, answered = leaf("平台影响力"), leaf("坐席电话接听率")
    EvaluationIndicator.objects.filter(pk=influence.pk).update(final_score=D("1.6"))
    EvaluationIndicator.objects.filter(pk=answered.pk).update(
        final_score=D("4"), reason=""
    )
    response = tianjin_evaluator.get(
        reverse("evaluations:detail", args=["tianjin-2020"])
    )
    html = response.content.decode()
    flags = re.findall(r'<li class="(flag[^"]*)" data-kind="([^"]+)">(.*?)</li>', html)
    assert [(css, kind, "提交前须解决。" in text) for css, kind, text in flags] == [
        ("flag blocking", "reason_missing", True),
        ("flag", "published_total_mismatch", False),
    ]


def test_submitting_a_tab_submitted_from_elsewhere_says_so_on_the_page(
    tianjin_evaluator: Client,
) -> None:
    submit = reverse("evaluations:submit", args=["tianjin-2020"])
    first = tianjin_evaluator.post(submit, {"total": "92.37"}, follow=True)
    assert [str(m) for m in first.context["messages"]] == ["评价已提交并锁定。"]
    again = tianjin_evaluator.post(submit, {"total": "92.37"}, follow=True)
    assert again.redirect_chain == [("/evaluations/tianjin-2020/", 302)]
    assert [str(m) for m in again.context["messages"]] == ["该评价已提交，不能再修改。"]
