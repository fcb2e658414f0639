"""The evaluator's scoring page: scoped, re-scores on every change, locks on submit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from evaluations.models import Evaluation, EvaluationIndicator
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianjin_evaluator(client: Client) -> Client:
    return log_in_as("tj-eval", "tj-evaluator", Role.EVALUATOR, client=client)


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


def test_another_organisations_evaluator_gets_404(client: Client) -> None:
    other = log_in_as("pj-eval", "pj-yshj", Role.EVALUATOR, client=client)
    assert (
        other.get(reverse("evaluations:detail", args=["tianjin-2020"])).status_code
        == 404
    )
    response = other.get(reverse("evaluations:list"))
    assert [e.code for e in response.context["page"]] == ["panjin-2023"]


def test_the_unit_reads_its_evaluation_but_cannot_score_it(client: Client) -> None:
    unit = log_in_as("centre", "tj-8890", Role.UNIT, client=client)
    assert (
        unit.get(reverse("evaluations:detail", args=["tianjin-2020"])).status_code
        == 200
    )
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    url = reverse("evaluations:score", args=["tianjin-2020", leaf.pk])
    assert unit.post(url, {"final_score": "3", "reason": "x"}).status_code == 403
    leaf.refresh_from_db()
    assert str(leaf.final_score) == "2.60"


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_entering_a_score_returns_the_updated_totals(tianjin_evaluator: Client) -> None:
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    response = tianjin_evaluator.post(
        reverse("evaluations:score", args=["tianjin-2020", leaf.pk]),
        {"final_score": "3", "reason": "全国排名第二", "applicable": "on"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert "<strong>92.77</strong>" in response.content.decode()
    leaf.refresh_from_db()
    assert (str(leaf.final_score), leaf.reason) == ("3.00", "全国排名第二")


def test_a_bad_score_shows_its_message_and_changes_nothing(
    tianjin_evaluator: Client,
) -> None:
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台影响力"
    )
    url = reverse("evaluations:score", args=["tianjin-2020", leaf.pk])
    response = tianjin_evaluator.post(
        url,
        {"final_score": "三分", "reason": "x"},
        headers={"X-Requested-With": "fetch"},
    )
    assert "请输入数字，如 8.5。" in response.content.decode()
    response = tianjin_evaluator.post(url, {"final_score": "4", "reason": "x"})
    assert response.status_code == 400
    assert "得分须在 0 至分值 3.00 之间。" in response.content.decode()
    leaf.refresh_from_db()
    assert str(leaf.final_score) == "2.60"


def test_submit_locks_the_page(tianjin_evaluator: Client) -> None:
    response = tianjin_evaluator.post(
        reverse("evaluations:submit", args=["tianjin-2020"])
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(code="tianjin-2020").is_locked
    page = tianjin_evaluator.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert page.context["editable"] is False
    assert "score-form" not in page.content.decode()
