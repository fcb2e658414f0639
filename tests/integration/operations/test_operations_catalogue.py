"""The Metric table's standard rows are the catalogue module, and cover the issue's list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from operations.catalogue import STANDARD_METRICS
from operations.models import Metric
from operations.selectors import spec_of
from targets.models import LibraryIndicator

pytestmark = pytest.mark.django_db


def test_the_standard_rows_are_the_catalogue_module() -> None:
    rows = (
        Metric.objects.filter(is_custom=False)
        .select_related("numerator", "denominator")
        .prefetch_related("parts")
    )
    expected = [replace(s, parts=tuple(sorted(s.parts))) for s in STANDARD_METRICS]
    assert [spec_of(m) for m in rows.order_by("position")] == expected


def test_the_catalogue_covers_what_a_centre_reports() -> None:
    names = set(Metric.objects.filter(is_custom=False).values_list("name", flat=True))
    assert {
        "呼入量",
        "接听量",
        "15秒内接听量",
        "受理量",
        "求助类受理量",
        "派单类受理量",
        "咨询类受理量",
        "投诉类受理量",
        "建议类受理量",
        "电话渠道受理量",
        "网站渠道受理量",
        "移动端渠道受理量",
        "办结量",
        "按时办结量",
        "直接办复量",
        "回访量",
        "回访满意量",
        "回访基本满意量",
        "回访不满意量",
        "好评量",
        "有责投诉量",
        "退单量",
        "平均接通时长",
        "坐席数",
        "营商环境专席数",
        "年末人数",
        "月均人数",
        "流失人数",
        "人工费用",
        "线上培训人次",
        "现场培训人次",
        "中继线租赁数",
        "专线租赁数",
        "中继线开通数",
        "专线开通数",
        "舆情专报期数",
        "整合热线数",
        "接通率",
        "15秒接通率",
        "办结率",
        "按时办结率",
        "直接办复率",
        "满意率",
        "好评率",
        "回访率",
        "退单率",
        "有责投诉率",
        "每万接听量人工成本",
        "单位人工成本",
        "月均人员流失率",
    } <= names


def test_every_library_code_of_the_catalogue_exists_in_the_library() -> None:
    codes = {code for spec in STANDARD_METRICS for code in spec.library_codes}
    assert codes - set(LibraryIndicator.objects.values_list("code", flat=True)) == set()


def test_rates_keep_their_numerator_and_denominator() -> None:
    rate = Metric.objects.get(code="on-time-completion-rate")
    assert (rate.kind, rate.numerator.name, rate.denominator.name, rate.bounded) == (  # type: ignore[union-attr]
        "rate",
        "按时办结量",
        "办结量",
        True,
    )
