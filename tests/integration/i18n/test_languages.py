"""Chinese is the default; English comes from the same translation catalogue."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from budgets.models import BudgetYear
from targets.models import IndicatorLevel


def test_defaults_are_simplified_chinese_and_shanghai_time() -> None:
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("zh-hans", "Asia/Shanghai")


def test_model_labels_follow_the_active_language() -> None:
    with translation.override("zh-hans"):
        assert str(BudgetYear._meta.get_field("initial").verbose_name) == "年初预算"
        assert str(IndicatorLevel.LEVEL3.label) == "三级指标"
    with translation.override("en"):
        assert (
            str(BudgetYear._meta.get_field("initial").verbose_name) == "initial budget"
        )
        assert str(IndicatorLevel.LEVEL3.label) == "Level-3 indicator"


@pytest.mark.django_db
def test_english_pages_through_the_language_prefix(client: Client) -> None:
    response = client.get("/en/admin/login/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    response = client.get("/admin/login/")
    assert response.headers["Content-Language"] == "zh-hans"
