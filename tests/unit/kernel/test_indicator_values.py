"""parse_indicator_value over every 指标值 cell of seed target forms 000, 002, 003."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.indicator_values import (
    BARE_WAN_UNIT,
    BOUND_SUFFIXES,
    COMPARATOR_SYMBOLS,
    COMPARATOR_WORDS,
    UNITS,
    Comparator,
    ParsedValue,
    parse_indicator_value,
)

GE, LE, EQ, GT, LT = (
    Comparator.GE,
    Comparator.LE,
    Comparator.EQ,
    Comparator.GT,
    Comparator.LT,
)
QUAL = Comparator.QUALITATIVE
Expected = tuple[Comparator, Decimal | None, str]


def _q() -> Expected:
    return (QUAL, None, "")


# Seed 000 (Tianjin 2020, 项目支出绩效目标表): all 19 三级指标 with 指标值 as extracted.
SEED_000: list[tuple[str, str, Expected]] = [
    ("设置坐席数", "560 个", (EQ, Decimal("560"), "个")),
    ("录用合同制员工人数", "1030 人", (EQ, Decimal("1030"), "人")),
    ("全年受理(咨询)量", "750 万件", (EQ, Decimal("750"), "万件")),
    ("租赁中继线路、专线链路 (数量)", "30 条", (EQ, Decimal("30"), "条")),
    ("开展培训人次", "8000 人次", (EQ, Decimal("8000"), "人次")),
    ("接通率", "大于 90%", (GT, Decimal("90"), "%")),
    ("中继线开通率", "100%", (EQ, Decimal("100"), "%")),
    ("招聘新员工", "2020 年底,根据实际情况, 分阶段招录,补充队伍。", _q()),
    ("租赁中继线路、专线链路 (时效)", "2020 年底完成", _q()),
    ("对新员工开展入职培训…", "2020 年底完成", _q()),
    ("运营成本", "9878.2万", (EQ, Decimal("9878.2"), "万元")),
    ("租赁中继线路、专线链路 (成本)", "111.8万", (EQ, Decimal("111.8"), "万元")),
    ("开展培训", "10 万", (EQ, Decimal("10"), "万元")),
    ("营商环境相关问题受理数量", "20000 个", (EQ, Decimal("20000"), "个")),
    ("群众咨询成本", "显著降低", _q()),
    ("天津 8890 微博影响力", "在人民网政务指数微博影响力排名中名列同行业前六名", _q()),
    ("对于企业群众的方便性、便利度", "明显提升", _q()),
    (
        "为我市有关工作的科学决策提供数据支撑",
        "每月向市委、市政府报送 《舆情专报》等",
        _q(),
    ),
    ("群众对坐席满意率", "大于 80%", (GT, Decimal("80"), "%")),
]

# Seed 002 (Shanghai 2019, 分解目标): all 7 指标目标值.
SEED_002: list[tuple[str, str, Expected]] = [
    ("热线工作的规范性和安全性", "规范、安全、高效", _q()),
    ("热线经费使用的合理性和有效性", "合理、有效", _q()),
    ("全年12345热线平台受理量", "接听电话379.8万个，网站和手机受理28.1万件", _q()),
    ("12345热线回访市民满意度", "94.90%", (EQ, Decimal("94.90"), "%")),
    ("接通情况", "接通时长达到国家标准，平均接通时长8秒", _q()),
    ("服务水平", "服务质量佳，全国排名第二", _q()),
    (
        "12345热线的知晓度在逐渐提升，市民的满意度也逐年提高。",
        "上海12345热线的软件和硬件水平在全国同行业中仅次于北京。"
        "12345热线成为上海的一张“名片”。",
        _q(),
    ),
]

# Seed 002's 年度绩效目标 line, with the extract's LaTeX read as the symbols it renders.
SEED_002_ANNUAL_GOAL: list[tuple[str, str, Expected]] = [
    ("热线接能率", "≥88% （年）", (GE, Decimal("88"), "%")),
    ("话务员一次性解答率", "≥45%", (GE, Decimal("45"), "%")),
    ("话务员有责投诉率", "≤0.3%", (LE, Decimal("0.3"), "%")),
    ("话务员有责退单率", "≤7%", (LE, Decimal("7"), "%")),
    ("话务员电话回访量的比例", "≥15%", (GE, Decimal("15"), "%")),
]

# Seed 003 (Suzhou 2023, 部门整体预算绩效目标表): all 45 三级指标 with 半年 and 全年
# 指标值 (None where the cell is empty).
SEED_003: list[tuple[str, str | None, str]] = [
    ("工作计划制定健全性", "健全", "健全"),
    ("中长期规划制定健全性", "健全", "健全"),
    ("绩效目标合理性", "合理", "合理"),
    ("绩效指标明确性", "明确", "明确"),
    ("预算编制规范性", "规范", "规范"),
    ("预算编制科学性", "科学", "科学"),
    ("支付进度符合率", "=100%", "=100%"),
    ("预算执行率", "=38%", "=100%"),
    ("预算调整率", "=0%", "=0%"),
    ("公用经费控制率", "≤100%", "≤100%"),
    ("“三公经费”变动率", "≤0%", "≤0%"),
    ("政府采购执行率", "=100%", "=100%"),
    ("结转结余率", "=0%", "=0%"),
    ("预算偏差率", "=0%", "=0%"),
    ("非税收入预算完成率", "≥100%", "≥100%"),
    ("预算管理制度健全性", "健全", "健全"),
    ("绩效管理覆盖率", "=100%", "=100%"),
    ("基础信息完善性", "完善", "完善"),
    ("预决算信息公开度", "公开", "公开"),
    ("资金使用合规性", "合规", "合规"),
    ("非税收入管理合规性", "合规", "合规"),
    ("固定资产利用率", "=100%", "=100%"),
    ("资产管理规范性", "规范", "规范"),
    ("资产管理制度健全性", "健全", "健全"),
    ("项目管理制度健全性", "健全", "健全"),
    ("项目管理制度执行规范性", "规范", "规范"),
    ("在职人员控制率", "=100%", "=100%"),
    ("人员管理制度执行有效性", "有效", "有效"),
    ("人员管理制度健全性", "健全", "健全"),
    ("纪检监察工作有效性", "有效", "有效"),
    ("业务学习与培训及时完成率", "=100%", "=100%"),
    ("组织建设工作及时完成率", "=100%", "=100%"),
    ("劳动合同制座席人员数量", "≤114人", "≤114人"),
    ("完善标准体系", "=0项", "=1项"),
    (
        "呼叫平台等租赁服务、热线电话短信平台等邮电服务、话务终端设备更新质量",
        "质量高",
        "质量高",
    ),
    ("全年开展考核次数", "=2次", "=4次"),
    ("提升影响力，增强与市民粘度", "提升", "提升"),
    ("计划通过微信公众号推送信息条数或个数", "=24条", "=48条"),
    ("对服务对象反映的部门处办不到位的事项的推动作用", "推动", "推动"),
    ("评审评价评估报告质量合格情况", None, "合格"),
    ("大话务量涌入应急响应相关信息系统故障修复响应及时性", "及时", "及时"),
    ("对培训人员综合素质的提升", "提升", "提升"),
    ("提升“12345”热线公众知晓度", "提升", "提升"),
    ("提升企业群众的满足感和获得感", "提升", "提升"),
    ("企业群众满意度", "≥80%", "≥80%"),
]

# Every distinct 指标值 text of seed 003 and what it parses to.
SEED_003_EXPECTED: dict[str, Expected] = {
    **{
        word: _q()
        for word in (
            "健全",
            "合理",
            "明确",
            "规范",
            "科学",
            "完善",
            "公开",
            "合规",
            "有效",
            "质量高",
            "提升",
            "推动",
            "合格",
            "及时",
        )
    },
    "=100%": (EQ, Decimal("100"), "%"),
    "=38%": (EQ, Decimal("38"), "%"),
    "=0%": (EQ, Decimal("0"), "%"),
    "≤100%": (LE, Decimal("100"), "%"),
    "≤0%": (LE, Decimal("0"), "%"),
    "≥100%": (GE, Decimal("100"), "%"),
    "≤114人": (LE, Decimal("114"), "人"),
    "=0项": (EQ, Decimal("0"), "项"),
    "=1项": (EQ, Decimal("1"), "项"),
    "=2次": (EQ, Decimal("2"), "次"),
    "=4次": (EQ, Decimal("4"), "次"),
    "=24条": (EQ, Decimal("24"), "条"),
    "=48条": (EQ, Decimal("48"), "条"),
    "≥80%": (GE, Decimal("80"), "%"),
}

SEED_003_CELLS: list[tuple[str, str]] = [
    (f"{name} {period}", value)
    for name, half_year, full_year in SEED_003
    for period, value in (("半年", half_year), ("全年", full_year))
    if value is not None
]


def _assert_parses(text: str, expected: Expected) -> ParsedValue:
    parsed = parse_indicator_value(text)
    assert (parsed.comparator, parsed.number, parsed.unit) == expected
    assert parsed.text == text
    assert parsed.is_quantitative is (expected[0] is not QUAL)
    return parsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, exp, id=f"000-{i:02d}")
        for i, (_, text, exp) in enumerate(SEED_000)
    ],
)
def test_seed_000_value_parses(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, exp, id=f"002-{i:02d}")
        for i, (_, text, exp) in enumerate(SEED_002 + SEED_002_ANNUAL_GOAL)
    ],
)
def test_seed_002_value_parses(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, SEED_003_EXPECTED[text], id=f"003-{i:02d}")
        for i, (_, text) in enumerate(SEED_003_CELLS)
    ],
)
def test_seed_003_value_parses(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


def test_seed_tables_cover_every_cell() -> None:
    assert len(SEED_000) == 19
    assert len(SEED_002) == 7
    assert len(SEED_003) == 45
    assert len(SEED_003_CELLS) == 89  # 45 indicators × 2, less one empty 半年 cell
    assert {text for _, text in SEED_003_CELLS} == set(SEED_003_EXPECTED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥８８％", (GE, Decimal("88"), "%")),
        ("＞９０％", (GT, Decimal("90"), "%")),
        ("＝１００％", (EQ, Decimal("100"), "%")),
        ("１，０１２．３６万次", (EQ, Decimal("1012.36"), "万次")),
        ("1,012.36", (EQ, Decimal("1012.36"), "")),
        ("10,000.0", (EQ, Decimal("10000.0"), "")),
        ("10,000.0 万元", (EQ, Decimal("10000.0"), "万元")),
        ("94.90", (EQ, Decimal("94.90"), "")),
        (">= 95%", (GE, Decimal("95"), "%")),
        ("<=15秒", (LE, Decimal("15"), "秒")),
        ("≧95%", (GE, Decimal("95"), "%")),
        ("≦3分钟", (LE, Decimal("3"), "分钟")),
        ("  ≥ 88 %  ", (GE, Decimal("88"), "%")),
        ("≤−5%", (LE, Decimal("-5"), "%")),
    ],
)
def test_symbols_full_width_and_separators(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大于90%", (GT, Decimal("90"), "%")),
        ("小于5%", (LT, Decimal("5"), "%")),
        ("高于80%", (GT, Decimal("80"), "%")),
        ("低于3%", (LT, Decimal("3"), "%")),
        ("超过96%", (GT, Decimal("96"), "%")),
        ("不低于95%", (GE, Decimal("95"), "%")),
        ("不少于8000人次", (GE, Decimal("8000"), "人次")),
        ("不小于90%", (GE, Decimal("90"), "%")),
        ("至少12期", (GE, Decimal("12"), "期")),
        ("达到52人", (GE, Decimal("52"), "人")),
        ("大于等于95%", (GE, Decimal("95"), "%")),
        ("不高于0.3%", (LE, Decimal("0.3"), "%")),
        ("不超过15秒", (LE, Decimal("15"), "秒")),
        ("不大于7%", (LE, Decimal("7"), "%")),
        ("等于100%", (EQ, Decimal("100"), "%")),
        ("90%以上", (GE, Decimal("90"), "%")),
        ("90%及以上", (GE, Decimal("90"), "%")),
        ("5%以下", (LE, Decimal("5"), "%")),
        ("3个工作日以内", (LE, Decimal("3"), "个工作日")),
        ("达到90%以上", (GE, Decimal("90"), "%")),
        ("不超过5%以下", (LE, Decimal("5"), "%")),
        ("≥88%（年）", (GE, Decimal("88"), "%")),
        ("8000人次以上（全年）", (GE, Decimal("8000"), "人次")),
    ],
)
def test_comparator_words_and_bounds(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("560个", (EQ, Decimal("560"), "个")),
        ("12个月", (EQ, Decimal("12"), "个月")),
        ("5个百分点", (EQ, Decimal("5"), "个百分点")),
        ("30分钟", (EQ, Decimal("30"), "分钟")),
        ("90分", (EQ, Decimal("90"), "分")),
        ("32.4万件", (EQ, Decimal("32.4"), "万件")),
        ("3.5万人次", (EQ, Decimal("3.5"), "万人次")),
        ("360万元", (EQ, Decimal("360"), "万元")),
        ("133340000元", (EQ, Decimal("133340000"), "元")),
        ("10 万", (EQ, Decimal("10"), BARE_WAN_UNIT)),
        ("3年", (EQ, Decimal("3"), "年")),
        ("24小时", (EQ, Decimal("24"), "小时")),
    ],
)
def test_units_longest_match(text: str, expected: Expected) -> None:
    _assert_parses(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "2020年",
        "2020 年底完成",
        "2020年12月",
        "10,000,0",  # seed 000's OCR of 10,000.0: not a valid grouping
        "1,0000",
        "90％左右",
        "≥",
        "%",
        "大于90%以下",  # bound contradicts the comparator
        "=90%以上",
        "7×24小时",
        "接听电话379.8万个，网站和手机受理28.1万件",
        "90%（万件）",
        ".5%",
        "5.%",
        "1 2%",
    ],
)
def test_non_values_are_qualitative(text: str) -> None:
    _assert_parses(text, _q())


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\n\t "])
def test_blank_is_qualitative_with_empty_text(text: str) -> None:
    parsed = parse_indicator_value(text)
    assert parsed == ParsedValue(text="", comparator=QUAL)
    assert parsed.format() == ""


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("≥８８％", "≥88%"),
        ("560 个", "560个"),
        ("=38%", "38%"),
        ("大于 90%", ">90%"),
        ("不超过 15 秒", "≤15秒"),
        ("9878.2万", "9878.2万元"),
        ("94.90%", "94.90%"),
        ("10,000.0", "10000.0"),
        ("90%以上（年）", "≥90%"),
        (" 健全 ", "健全"),
    ],
)
def test_format_is_canonical(text: str, canonical: str) -> None:
    parsed = parse_indicator_value(text)
    assert parsed.format() == canonical
    assert str(parsed) == canonical


def test_parsed_value_rejects_inconsistent_fields() -> None:
    with pytest.raises(ValueError):
        ParsedValue(text="健全", comparator=QUAL, number=Decimal("1"))
    with pytest.raises(ValueError):
        ParsedValue(text="健全", comparator=QUAL, unit="%")
    with pytest.raises(ValueError):
        ParsedValue(text="≥", comparator=GE)


@given(st.text())
def test_never_raises_and_keeps_text(text: str) -> None:
    parsed = parse_indicator_value(text)
    assert parsed.text == (text if text.strip() else "")
    assert parsed.is_quantitative is (parsed.number is not None)
    assert isinstance(parsed.format(), str)


_vocabulary = [
    *COMPARATOR_SYMBOLS,
    *COMPARATOR_WORDS,
    *UNITS,
    *BOUND_SUFFIXES,
    "万",
    "(年)",
    "（年）",
    "，",
    ",",
    ".",
    "０",
    "8",
    "%",
    " ",
]


@given(st.lists(st.sampled_from(_vocabulary) | st.text(max_size=3), max_size=8))
def test_near_miss_texts_keep_text_and_canonical_form_reparses(
    parts: list[str],
) -> None:
    text = "".join(parts)
    parsed = parse_indicator_value(text)
    assert parsed.text == (text if text.strip() else "")
    if parsed.is_quantitative:
        again = parse_indicator_value(parsed.format())
        assert (again.comparator, again.number, again.unit) == (
            parsed.comparator,
            parsed.number,
            parsed.unit,
        )


@given(
    comparator=st.sampled_from([GE, LE, EQ, GT, LT]),
    number=st.decimals(allow_nan=False, allow_infinity=False, places=3),
    unit=st.sampled_from(["", *UNITS]),
)
def test_canonical_text_parses_back(
    comparator: Comparator, number: Decimal, unit: str
) -> None:
    value = ParsedValue(text="x", comparator=comparator, number=number, unit=unit)
    if unit == "年" and re.fullmatch(r"(?:19|20)[0-9]{2}", f"{number:f}"):
        return  # "2020年" reads back as a date, by design
    reparsed = parse_indicator_value(value.format())
    assert (reparsed.comparator, reparsed.number, reparsed.unit) == (
        comparator,
        number,
        unit,
    )


@pytest.mark.parametrize(
    "text",
    [
        "1" + " " * 20_000 + "x",
        "1" + " " * 10_000 + "%" + " " * 10_000 + "x",
        "≥" + " " * 20_000 + "1" + " " * 20_000 + "(",
        "1" * 20_000 + "x",
    ],
    ids=["spaces", "spaces-unit-spaces", "spaces-comparator", "digits"],
)
def test_long_runs_fail_without_backtracking(text: str) -> None:
    # Before the pattern used possessive quantifiers these took hours.
    _assert_parses(text, _q())
