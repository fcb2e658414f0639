"""Personal data in free text, by pattern (disclosure/patterns.py): what is found, and the
figures, dates and hotline numbers that must never be."""

from __future__ import annotations

import pytest

from disclosure.patterns import Category, Match, find_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "如有疑问请联系王芳同志，手机13812345678，工作日可接听。",
            [Match(Category.MOBILE, "13812345678")],
        ),
        ("联系电话：138-1234-5678。", [Match(Category.MOBILE, "138-1234-5678")]),
        ("电话 +86 13912345678", [Match(Category.MOBILE, "+86 13912345678")]),
        ("联系电话022-24538025", [Match(Category.LANDLINE, "022-24538025")]),
        ("（022）24538025转", [Match(Category.LANDLINE, "（022）24538025")]),
        ("电话：0417-2812345-801", [Match(Category.LANDLINE, "0417-2812345-801")]),
        ("联系电话：24538025。", [Match(Category.LANDLINE, "24538025")]),
        (
            "身份证号120101198003071234，",
            [Match(Category.ID_NUMBER, "120101198003071234")],
        ),
        (
            "身份证 11010519491231002X",
            [Match(Category.ID_NUMBER, "11010519491231002X")],
        ),
        (
            "来信请寄 xu.chunmei@tj-8890.gov.cn 或传真",
            [Match(Category.EMAIL, "xu.chunmei@tj-8890.gov.cn")],
        ),
        ("项目联系人：许春梅，电话见上。", [Match(Category.NAME, "许春梅")]),
        (
            "填报人：张三 联系电话：13012345678",
            [Match(Category.NAME, "张三"), Match(Category.MOBILE, "13012345678")],
        ),
    ],
)
def test_personal_data_is_found_in_a_paragraph(
    text: str, expected: list[Match]
) -> None:
    assert list(find_personal_data(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "年初预算10200.59万元，追加913万元，调减21.19万元，调整后预算11092.40万元。",
        "全年接听量1012.36万个，呼入量1053.2万个，接通率96.12%。",
        "12345热线与8890便民专线整合，7×24小时服务。",
        "拨打12345或8890，接通率≥95%，15秒内接听。",
        "项目起止时间：2020-01-01至2020-12-31。",
        "接听电话3798000个，受理32.4万件。",
        "合同金额13812345678元。",
        "全年支出13,812,345,678.00元。",
        "指标值 13512345678.5",
        "项目负责人负责统筹协调全部工作。",
        "编号2020120312345678901234",
    ],
)
def test_figures_dates_and_hotlines_are_never_personal_data(text: str) -> None:
    assert list(find_personal_data(text)) == []


def test_a_long_text_without_personal_data_is_read_in_linear_time() -> None:
    # bounded quantifiers: a megabyte of letters and digits is read at once
    assert list(find_personal_data("a" * 500_000 + "1" * 500_000)) == []
