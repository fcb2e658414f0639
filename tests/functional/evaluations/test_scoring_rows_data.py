"""The scoring page's rows carry the actual the evaluator types with its source and the
清单 review points (issue 13 item 10), saved with the page's one save: a row posted as
stored writes nothing; a typed actual without its source is refused beside the field and
kept as typed; ticked points reach the rule's score."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from evaluations.models import EvaluationIndicator
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db
FETCH: dict[str, Any] = {"headers": {"X-Requested-With": "fetch"}}
SCORES = reverse("evaluations:scores", args=["tianjin-2020"])


@pytest.fixture
def evaluator(client: Client) -> Client:
    return log_in_as("tj-eval-rows", "tj-evaluator", Role.EVALUATOR, client=client)


def leaf(name: str) -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code="tianjin-2020", name=name)


def row(indicator: EvaluationIndicator, **changes: Any) -> dict[str, Any]:
    """The row as the page posts it (its actual inputs empty while it follows the
    data), with ``changes`` by field name."""
    prefix = f"row-{indicator.pk}"
    data: dict[str, Any] = {
        "final_score": ""
        if indicator.final_score is None
        else str(indicator.final_score),
        "reason": indicator.reason,
        "applicable": "on" if indicator.applicable else None,
        "actual_text": indicator.actual_text if indicator.actual_typed else "",
        "actual_source": indicator.actual_source if indicator.actual_typed else "",
        "version": str(indicator.version),
    }
    data.update(changes)
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not None}


def _checklist() -> EvaluationIndicator:
    indicator = leaf("立项依据充分性")
    indicator.rule_kind = "checklist"
    indicator.rule_params = {
        "points": [{"label": f"要点{i}", "points": "0.6"} for i in range(1, 6)]
    }
    indicator.final_score = None
    indicator.save()
    return indicator


def test_a_row_posted_as_stored_writes_nothing(evaluator: Client) -> None:
    rate = leaf("坐席电话接听率")
    response = evaluator.post(SCORES, row(rate), **FETCH)
    assert response.status_code == 200
    after = leaf("坐席电话接听率")
    assert (after.version, after.actual_text, after.actual_typed) == (
        rate.version,
        "96.12%",
        False,
    )
    assert after.history.count() == rate.history.count()


def test_a_typed_actual_with_its_source_is_saved_and_its_score_follows(
    evaluator: Client,
) -> None:
    rate = leaf("坐席电话接听率")
    response = evaluator.post(
        SCORES,
        row(rate, actual_text="85.45%", actual_source="话务系统年报（评价组核查）"),
        **FETCH,
    )
    assert response.status_code == 200
    rate.refresh_from_db()
    assert (
        rate.actual_text,
        rate.actual_number,
        rate.actual_source,
        rate.actual_typed,
        rate.final_score,
    ) == ("85.45%", D("85.45"), "话务系统年报（评价组核查）", True, D("4.75"))
    html = response.content.decode()
    assert f'name="row-{rate.pk}-actual_text" value="85.45%"' in html


def test_a_typed_actual_without_its_source_is_refused_beside_the_field(
    evaluator: Client,
) -> None:
    rate = leaf("坐席电话接听率")
    response = evaluator.post(SCORES, row(rate, actual_text="85.45%"), **FETCH)
    assert response.status_code == 400
    html = response.content.decode()
    start = html.index(f'id="indicator-{rate.pk}"')
    cells = html[start : html.index("</tr>", start)]
    assert "请注明所填实际完成值的来源。" in cells
    assert f'name="row-{rate.pk}-actual_text" value="85.45%"' in cells
    rate.refresh_from_db()
    assert (rate.actual_text, rate.actual_typed) == ("96.12%", False)


def test_checklist_points_ticked_in_the_row_reach_the_score(evaluator: Client) -> None:
    indicator = _checklist()
    page = evaluator.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    html = page.content.decode()
    assert f'name="row-{indicator.pk}-points_shown"' in html
    data = row(indicator, points_shown="1", satisfied_points=["0", "2", "4"])
    response = evaluator.post(SCORES, data, **FETCH)
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert (indicator.satisfied_points, indicator.final_score) == ([0, 2, 4], D("1.80"))
    # unticking them all in the row (the boxes drawn, none posted) clears them
    response = evaluator.post(SCORES, row(indicator, points_shown="1"), **FETCH)
    indicator.refresh_from_db()
    assert (indicator.satisfied_points, indicator.final_score) == ([], D("0.00"))


def test_a_row_without_the_boxes_keeps_its_points(evaluator: Client) -> None:
    indicator = _checklist()
    indicator.satisfied_points = [1, 3]
    indicator.save()
    evaluator.post(SCORES, row(indicator, reason="依据充分"), **FETCH)
    indicator.refresh_from_db()
    assert indicator.satisfied_points == [1, 3]
