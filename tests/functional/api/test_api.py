"""The JSON API (issue 17 §1): exact values equal to the pages and commands, the scope a
personal token carries, and writes that go through the pages' forms and services (a
refused write names the field in Chinese and changes nothing)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from budgets.models import BudgetLine, BudgetYear
from core.access import Role
from operations.models import OperatingDataUpload, OperatingValue
from targets.models import TargetForm, TargetFormStatus, TargetIndicator
from tests.personas import member

pytestmark = pytest.mark.django_db


def bearer(user: User, **kwargs: Any) -> Client:
    key = api_token_create(
        user=user,
        name="测试",
        expires_at=kwargs.pop("expires_at", timezone.now() + timedelta(days=30)),
    ).key
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def finance() -> Client:
    return bearer(member("api-finance", "tj-czj", Role.FINANCE))


@pytest.fixture
def unit() -> Client:
    return bearer(member("api-unit", "tj-8890", Role.UNIT))


def evaluate_json(code: str) -> Any:
    out = io.StringIO()
    call_command("evaluate", code, "--json", stdout=out)
    return json.loads(out.getvalue())


# --------------------------------------------------------------------------- exact values


@pytest.mark.parametrize(
    ("code", "username", "organisation"),
    [
        ("tianjin-2020", "api-tj", "tj-czj"),
        ("panjin-2023", "api-pj", "pj-czj"),
    ],
)
def test_the_evaluation_is_what_evaluate_json_prints(
    code: str, username: str, organisation: str
) -> None:
    client = bearer(member(username, organisation, Role.FINANCE))
    response = client.get(f"/api/v1/evaluations/{code}/")
    assert response.status_code == 200
    assert response.json() == evaluate_json(code)


def test_the_tianjin_evaluation_total_and_grade(finance: Client) -> None:
    data = finance.get("/api/v1/evaluations/tianjin-2020/").json()
    assert (data["total"], data["grade"]) == ("92.37", "优")
    assert next((n["name"], n["weight"], n["score"]) for n in data["tree"]) == (
        "项目决策",
        "17.00",
        "15.00",
    )


def test_the_tianjin_budget_year_figures(finance: Client) -> None:
    data = finance.get("/api/v1/budget-years/tianjin-2020/2020/").json()
    assert data["adjusted"] == "11092.40"
    assert (data["initial"], data["addition"], data["reduction"]) == (
        "10200.59",
        "913.00",
        "21.19",
    )
    assert data["execution_rate"] == {
        "numerator": "11076.79",
        "denominator": "11092.40",
        "percent": "99.86",
    }
    goods = next(line for line in data["lines"] if line["category"] == "商品和服务支出")
    assert goods["execution_rate"]["percent"] == "100.45"
    assert goods["overspend"] == "8.93"


def test_the_answer_rate_keeps_numerator_and_denominator(finance: Client) -> None:
    data = finance.get("/api/v1/organisations/tj-8890/operating-data/2020/").json()
    answer = next(m for m in data["metrics"] if m["name"] == "接通率")
    assert answer["year"]["value"] == "96.12"
    assert (answer["year"]["numerator"], answer["year"]["denominator"]) == (
        "1012.36",
        "1053.2",
    )


def test_the_target_form_tree_keeps_the_text_and_parses_it(finance: Client) -> None:
    data = finance.get("/api/v1/target-forms/tianjin-2020/").json()
    leaves = [
        leaf
        for root in data["indicators"]
        for level2 in root["children"]
        for leaf in level2["children"]
    ]
    stored = TargetIndicator.objects.filter(
        form__code="tianjin-2020", level="level3"
    ).order_by("position")
    assert len(leaves) == stored.count()
    first = stored[0]
    leaf = next(item for item in leaves if item["id"] == first.pk)
    assert leaf["value"]["text"] == first.value_text
    assert leaf["value"]["comparator"] == str(first.value.comparator)


# --------------------------------------------------------------------------- authorization


def test_without_credentials_401_with_a_chinese_message() -> None:
    response = Client().get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_another_organisations_objects_are_404(finance: Client) -> None:
    for url in (
        "/api/v1/evaluations/panjin-2023/",
        "/api/v1/target-forms/panjin-2023/",
        "/api/v1/budget-years/panjin-2023/2023/",
        "/api/v1/projects/panjin-2023/",
        "/api/v1/organisations/pj-yshj/",
        "/api/v1/organisations/pj-yshj/operating-data/2023/",
        "/api/v1/documents/target_form/panjin-2023/",
    ):
        response = finance.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] == "未找到（或不在您的可见范围内）。"
    listed = finance.get("/api/v1/evaluations/").json()["results"]
    assert [e["code"] for e in listed] == ["tianjin-2020"]


def test_a_revoked_token_is_refused() -> None:
    user = member("api-revoked", "tj-czj", Role.FINANCE)
    created = api_token_create(
        user=user, name="x", expires_at=timezone.now() + timedelta(days=1)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {created.key}")
    assert client.get("/api/v1/projects/").status_code == 200
    api_token_revoke(token=created.token)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "该令牌已撤销。"


def test_an_expired_token_is_refused() -> None:
    user = member("api-expired", "tj-czj", Role.FINANCE)
    created = api_token_create(
        user=user, name="x", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = Client(HTTP_AUTHORIZATION=f"Bearer {created.key}").get(
        "/api/v1/projects/"
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "该令牌已过期。"


def test_an_unknown_key_is_refused() -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer hpk_notakey").get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效。"


def test_only_the_keys_hash_is_stored() -> None:
    user = member("api-hash", "tj-czj", Role.FINANCE)
    created = api_token_create(
        user=user, name="x", expires_at=timezone.now() + timedelta(days=1)
    )
    stored = ApiToken.objects.get(pk=created.token.pk)
    assert created.key not in {stored.key_hash, stored.prefix, stored.name}
    assert len(stored.key_hash) == 64
    assert created.key.startswith(stored.prefix)


# --------------------------------------------------------------------------- lists


def test_cursor_pagination_walks_every_row_once(finance: Client) -> None:
    expected = sorted(
        OperatingValue.objects.filter(organisation__code="tj-8890").values_list(
            "pk", flat=True
        )
    )
    seen: list[int] = []
    url: str | None = "/api/v1/operating-values/?organisation=tj-8890&page_size=7"
    while url:
        page = finance.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == expected


def test_filters_and_a_bad_filter(finance: Client) -> None:
    forms = finance.get("/api/v1/target-forms/?year=2020&status=draft").json()
    assert [f["code"] for f in forms["results"]] == ["tianjin-2020"]
    assert finance.get("/api/v1/target-forms/?status=approved").json()["results"] == []
    response = finance.get("/api/v1/target-forms/?year=abc")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "year", "message": "请填写合法的整数值。"}
    ]


def test_updated_since_lists_only_what_changed(finance: Client) -> None:
    since = timezone.now()
    url = "/api/v1/budget-years/?updated_since=" + since.isoformat().replace("+", "%2B")
    assert finance.get(url).json()["results"] == []
    line = BudgetLine.objects.filter(budget_year__project__code="tianjin-2020").first()
    assert line is not None
    line.expenditure = Decimal("1.00")
    line.save()
    assert [b["project"] for b in finance.get(url).json()["results"]] == [
        "tianjin-2020"
    ]


def test_an_etag_answers_304_when_nothing_changed(finance: Client) -> None:
    first = finance.get("/api/v1/evaluations/tianjin-2020/")
    again = finance.get(
        "/api/v1/evaluations/tianjin-2020/", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304


# --------------------------------------------------------------------------- writes


def test_the_unit_reports_execution_figures_and_history_records_it(
    unit: Client,
) -> None:
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    before = year.history.count()
    response = unit.patch(
        "/api/v1/budget-years/tianjin-2020/2020/",
        {"version": year.version, "expenditure": "11000.00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["execution_rate"]["percent"] == "99.17"
    year.refresh_from_db()
    assert year.expenditure == Decimal("11000.00")
    assert year.initial == Decimal("10200.59")  # not given: kept
    assert year.history.count() == before + 1


def test_the_unit_may_not_set_the_budget(unit: Client) -> None:
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    response = unit.patch(
        "/api/v1/budget-years/tianjin-2020/2020/",
        {"version": year.version, "initial": "1.00"},
        content_type="application/json",
    )
    assert response.status_code == 403
    year.refresh_from_db()
    assert year.initial == Decimal("10200.59")


def test_a_stale_version_is_a_409_and_writes_nothing(unit: Client) -> None:
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    response = unit.patch(
        "/api/v1/budget-years/tianjin-2020/2020/",
        {"version": year.version + 5, "expenditure": "1.00"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    year.refresh_from_db()
    assert year.expenditure == Decimal("11076.79")


def test_a_negative_figure_names_the_field_in_chinese(finance: Client) -> None:
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    line = year.lines.order_by("position")[0]
    response = finance.patch(
        "/api/v1/budget-years/tianjin-2020/2020/",
        {"version": year.version, "lines": [{"id": line.pk, "budget": "-1"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "输入有误，未写入任何数据。"
    assert body["errors"][0]["field"] == "lines[0].budget"
    line.refresh_from_db()
    assert line.budget != Decimal("-1")


def test_operating_values_batch_all_or_nothing(unit: Client) -> None:
    uploads = OperatingDataUpload.objects.count()
    values = OperatingValue.objects.count()
    response = unit.post(
        "/api/v1/operating-values/batch/",
        {
            "organisation": "tj-8890",
            "values": [
                {"metric": "呼入量", "period": "2021", "value": "1100", "unit": "万次"},
                {"metric": "接听量", "period": "2021", "value": "abc", "unit": "万次"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "values[1].value"
    assert (OperatingDataUpload.objects.count(), OperatingValue.objects.count()) == (
        uploads,
        values,
    )
    response = unit.post(
        "/api/v1/operating-values/batch/",
        {
            "organisation": "tj-8890",
            "values": [
                {"metric": "呼入量", "period": "2021", "value": "1100", "unit": "万次"},
                {"metric": "接听量", "period": "2021", "value": "1078", "unit": "万次"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    year = unit.get("/api/v1/organisations/tj-8890/operating-data/2021/").json()
    answer = next(m for m in year["metrics"] if m["name"] == "接通率")
    assert answer["year"]["value"] == "98.00"


def test_only_the_centre_writes_its_operating_values(finance: Client) -> None:
    response = finance.post(
        "/api/v1/operating-values/batch/",
        {
            "organisation": "tj-8890",
            "values": [{"metric": "呼入量", "period": "2021", "value": "1"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "运行数据只能由热线中心本单位填报。"


def test_a_draft_target_form_takes_an_indicator_and_a_submitted_one_refuses(
    unit: Client,
) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[0]
    response = unit.patch(
        f"/api/v1/target-forms/tianjin-2020/indicators/{leaf.pk}/",
        {"version": leaf.version, "name": leaf.name, "value": "≥97%"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    leaf.refresh_from_db()
    assert (leaf.value_text, leaf.value_number) == ("≥97%", Decimal("97"))
    TargetForm.objects.filter(pk=form.pk).update(status=TargetFormStatus.SUBMITTED)
    response = unit.patch(
        f"/api/v1/target-forms/tianjin-2020/indicators/{leaf.pk}/",
        {"version": leaf.version, "name": leaf.name, "value": "≥10%"},
        content_type="application/json",
    )
    assert response.status_code == 403
    leaf.refresh_from_db()
    assert leaf.value_text == "≥97%"
    added = unit.post(
        "/api/v1/target-forms/tianjin-2020/indicators/",
        {
            "level": "level3",
            "parent": leaf.parent_id,
            "name": "办结率",
            "value": "≥90%",
        },
        content_type="application/json",
    )
    assert added.status_code == 403


def test_a_level3_indicator_without_a_value_is_refused_by_the_form(
    unit: Client,
) -> None:
    leaf = TargetIndicator.objects.filter(
        form__code="tianjin-2020", level="level3"
    ).order_by("position")[0]
    count = TargetIndicator.objects.filter(form__code="tianjin-2020").count()
    response = unit.post(
        "/api/v1/target-forms/tianjin-2020/indicators/",
        {"level": "level3", "parent": leaf.parent_id, "name": "办结率"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "value", "message": "请填写指标值，如 ≥95%。"}
    ]
    assert TargetIndicator.objects.filter(form__code="tianjin-2020").count() == count


def test_the_schema_is_public_and_openapi_3() -> None:
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/evaluations/{code}/" in schema["paths"]


# --------------------------------------------------------------------------- more reads


def test_the_comparison_is_the_selectors_for_the_user(finance: Client) -> None:
    from comparisons.selectors import kpi_comparison

    user = User.objects.get(username="api-finance")
    response = finance.get("/api/v1/comparisons/?year=2020&metric=answer-rate")
    assert response.status_code == 200
    data = response.json()
    assert data == json.loads(
        json.dumps(
            kpi_comparison(user=user, year=2020, metric="answer-rate").as_json(),
            default=str,
        )
    )
    (kpi,) = data["kpis"]
    (figure,) = kpi["figures"]  # the Tianjin bureau sees Tianjin's centre only
    assert (figure["organisation"], figure["value"]) == ("tj-8890", "96.12")
    assert (figure["numerator"], figure["denominator"]) == ("1012.36", "1053.2")
    refused = finance.get("/api/v1/comparisons/?metric=nope")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "metric"


def test_a_monitoring_report_with_its_lines_and_status(finance: Client) -> None:
    from targets.monitoring_services import monitoring_report_start
    from targets.services import target_form_approve, target_form_submit

    form = TargetForm.objects.get(code="tianjin-2020")
    user = User.objects.get(username="api-finance")
    target_form_submit(form=form, user=user)
    target_form_approve(form=form, user=user)
    report = monitoring_report_start(form=form, months=6, user=user)
    listed = finance.get("/api/v1/monitoring-reports/?year=2020").json()["results"]
    assert [(r["code"], r["status"], r["months"]) for r in listed] == [
        (report.code, "draft", 6)
    ]
    data = finance.get(f"/api/v1/monitoring-reports/{report.code}/").json()
    lines = list(report.lines.order_by("position", "pk"))
    assert [line["name"] for line in data["lines"]] == [line.name for line in lines]
    assert [line["light"] for line in data["lines"]] == [line.light for line in lines]
    other = bearer(member("api-pj-finance", "pj-czj", Role.FINANCE))
    assert other.get(f"/api/v1/monitoring-reports/{report.code}/").status_code == 404
    assert other.get("/api/v1/monitoring-reports/").json()["results"] == []


def test_requests_beyond_the_rate_are_refused_with_429(monkeypatch: Any) -> None:
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    cache.clear()
    client = bearer(member("api-throttled", "tj-czj", Role.FINANCE))
    assert [client.get("/api/v1/projects/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/projects/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused.json()["detail"].startswith("请求已被限流。")
    assert int(refused["Retry-After"]) > 0
    cache.clear()


def test_self_evaluations_are_listed_by_kind(finance: Client) -> None:
    listed = finance.get("/api/v1/evaluations/?kind=third_party").json()["results"]
    assert [(e["code"], e["kind"], e["review_stage"]) for e in listed] == [
        ("tianjin-2020", "third_party", "")
    ]
    assert finance.get("/api/v1/evaluations/?kind=self").json()["results"] == []


def test_the_unit_starts_a_draft_form_and_another_units_project_is_refused(
    unit: Client,
) -> None:
    response = unit.post(
        "/api/v1/target-forms/",
        {"project": "tianjin-2020", "year": 2031, "layout": "project"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["code"], response.json()["status"]) == (
        "tianjin-2031",
        "draft",
    )
    assert TargetForm.objects.get(code="tianjin-2031").title == "项目支出绩效目标表"
    again = unit.post(
        "/api/v1/target-forms/",
        {"project": "tianjin-2020", "year": 2031, "layout": "project"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["errors"] == [
        {"field": "year", "message": "该项目该年度已有绩效目标表。"}
    ]
    other = unit.post(
        "/api/v1/target-forms/",
        {"project": "panjin-2023", "year": 2031, "layout": "project"},
        content_type="application/json",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["field"] == "project"
    assert not TargetForm.objects.filter(
        project__code="panjin-2023", year=2031
    ).exists()


def test_a_number_where_text_is_due_is_refused(unit: Client) -> None:
    response = unit.post(
        "/api/v1/target-forms/",
        {
            "project": "tianjin-2020",
            "year": 2032,
            "layout": "project",
            "overall_goal": 0,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "overall_goal", "message": "不是有效的字符串。"}
    ]
    assert not TargetForm.objects.filter(code="tianjin-2032").exists()


def test_any_other_api_address_is_a_json_404(finance: Client) -> None:
    response = finance.get("/api/v1/budget-years/a%0Ab/2020/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
