"""The KPIs recomputed from raw records, each defined once, as a portable Ibis expression.

A ``Measure`` is one count (or sum) over the records of a period: an Ibis aggregate of a
table of 话单 or 工单, so the same definition runs on DuckDB and on Spark
(``records.engines``). A ``Kpi`` is a catalogue metric (``operations.catalogue``, where
each one's ``records`` text says the same in Chinese) recomputed from measures: a count is
one measure; a rate or a mean keeps its numerator and its denominator, both measures, and
is divided only when shown — by ``kernel.metrics``, rounded once, like every figure.

A record belongs to the month of its 到达时间 (a call) or 受理时间 (a work order). All
measures are whole numbers (counts; waits in whole seconds), so the two engines agree to
the unit and a year is the sum of its months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import ibis.expr.types as ir

from records.columns import RecordKind

Aggregate = Callable[[ir.Table], ir.IntegerScalar]

CALLS, ORDERS = RecordKind.CALLS, RecordKind.ORDERS
ANSWER_WITHIN_SECONDS: Final = 15
"""GB/T 33358-2016《政府热线服务规范》: a call is answered in time within 15 s."""


@dataclass(frozen=True)
class Measure:
    key: str
    kind: RecordKind
    aggregate: Aggregate
    description: str


def _count(where: Callable[[ir.Table], ir.BooleanValue] | None = None) -> Aggregate:
    if where is None:
        return lambda t: t.count()
    # The rows where the condition holds, as a sum of 1/0: the same number as COUNT(*)
    # FILTER (WHERE …), and DuckDB adds the twenty conditions up in one pass over the rows
    # instead of filtering the rows once per measure (about twice as fast on a year).
    return lambda t: where(t).cast("int32").sum().fill_null(0)


def _wait(t: ir.Table) -> ir.IntegerValue:
    """Seconds from arrival to answer."""
    return t.answered_at.epoch_seconds() - t.arrived_at.epoch_seconds()


def _flag(column: str) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: t[column].fill_null(False)


def _equals(column: str, value: str) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: t[column] == value


MEASURES: Final[tuple[Measure, ...]] = (
    # ------------------------------------------------------------------ 话单
    Measure("calls-offered", CALLS, _count(), "话单数（进入人工服务队列的来电）"),
    Measure(
        "calls-answered",
        CALLS,
        _count(lambda t: t.answered_at.notnull()),
        "接听时间不为空的话单数",
    ),
    Measure(
        "calls-answered-15s",
        CALLS,
        _count(lambda t: t.answered_at.notnull() & (_wait(t) <= ANSWER_WITHIN_SECONDS)),
        "接听时间 − 到达时间 ≤ 15 秒的话单数（GB/T 33358-2016）",
    ),
    Measure(
        "answer-seconds",
        CALLS,
        lambda t: _wait(t).sum(where=t.answered_at.notnull()).fill_null(0),
        "已接听话单的（接听时间 − 到达时间）秒数之和",
    ),
    # ------------------------------------------------------------------ 工单
    Measure("cases-accepted", ORDERS, _count(), "工单数"),
    *(
        Measure(
            code, ORDERS, _count(_equals("type", label)), f"类型为“{label}”的工单数"
        )
        for code, label in (
            ("cases-help", "求助"),
            ("cases-dispatch", "派单"),
            ("cases-consultation", "咨询"),
            ("cases-complaint", "投诉"),
            ("cases-suggestion", "建议"),
        )
    ),
    *(
        Measure(
            code, ORDERS, _count(_equals("channel", label)), f"渠道为“{label}”的工单数"
        )
        for code, label in (
            ("cases-phone", "电话"),
            ("cases-web", "网站"),
            ("cases-mobile", "移动端"),
        )
    ),
    Measure(
        "business-environment-cases",
        ORDERS,
        _count(_flag("business_environment")),
        "营商环境类标记为“是”的工单数",
    ),
    Measure(
        "cases-completed",
        ORDERS,
        _count(lambda t: t.closed_at.notnull()),
        "办结时间不为空的工单数",
    ),
    Measure(
        "cases-completed-on-time",
        ORDERS,
        _count(
            lambda t: (
                t.closed_at.notnull()
                & (t.deadline.isnull() | (t.closed_at <= t.deadline))
            )
        ),
        "已办结且办结时间不晚于办理时限（无时限的视为按时）的工单数",
    ),
    Measure(
        "cases-resolved-directly",
        ORDERS,
        _count(_flag("resolved_directly")),
        "直接办复标记为“是”的工单数",
    ),
    Measure(
        "callbacks",
        ORDERS,
        _count(lambda t: t.callback_at.notnull()),
        "回访时间不为空的工单数",
    ),
    *(
        Measure(
            code,
            ORDERS,
            _count(_equals("callback_result", label)),
            f"回访结果为“{label}”的工单数",
        )
        for code, label in (
            ("callbacks-satisfied", "满意"),
            ("callbacks-basically-satisfied", "基本满意"),
            ("callbacks-dissatisfied", "不满意"),
        )
    ),
    Measure(
        "cases-returned", ORDERS, _count(_flag("returned")), "退单标记为“是”的工单数"
    ),
    Measure(
        "complaints-liable",
        ORDERS,
        _count(_flag("liable_complaint")),
        "有责投诉标记为“是”的工单数",
    ),
)

MEASURE_BY_KEY: Final = {m.key: m for m in MEASURES}
COLUMNS_USED: Final = {
    CALLS: ("arrived_at", "answered_at"),
    ORDERS: (
        "accepted_at",
        "type",
        "channel",
        "business_environment",
        "deadline",
        "closed_at",
        "resolved_directly",
        "callback_at",
        "callback_result",
        "returned",
        "liable_complaint",
    ),
}
"""The columns the measures read (an optional column the file lacked is read as empty)."""


@dataclass(frozen=True)
class Kpi:
    """A catalogue metric as recomputed from records: ``numerator`` alone for a count; over
    ``denominator`` for a rate (percent) or a mean (``per`` = "mean": 平均接通时长)."""

    metric: str
    numerator: str
    denominator: str = ""
    per: str = ""

    @property
    def measures(self) -> tuple[str, ...]:
        return (
            (self.numerator, self.denominator)
            if self.denominator
            else (self.numerator,)
        )

    @property
    def kinds(self) -> frozenset[RecordKind]:
        return frozenset(MEASURE_BY_KEY[m].kind for m in self.measures)


COUNTED: Final = tuple(m.key for m in MEASURES if m.key != "answer-seconds")

KPIS: Final[tuple[Kpi, ...]] = (
    # counts: the measure of the same code
    *(Kpi(code, code) for code in COUNTED),
    # rates, as the catalogue defines them (a test holds the two together)
    Kpi("answer-rate", "calls-answered", "calls-offered"),
    Kpi("answer-15s-rate", "calls-answered-15s", "calls-answered"),
    Kpi("completion-rate", "cases-completed", "cases-accepted"),
    Kpi("on-time-completion-rate", "cases-completed-on-time", "cases-completed"),
    Kpi("direct-resolution-rate", "cases-resolved-directly", "cases-accepted"),
    Kpi("callback-rate", "callbacks", "cases-completed"),
    Kpi("satisfaction-rate", "callbacks-satisfied", "callbacks"),
    Kpi("return-rate", "cases-returned", "cases-dispatch"),
    Kpi("liable-complaint-rate", "complaints-liable", "calls-answered"),
    # a mean: seconds waited over calls answered
    Kpi("average-answer-seconds", "answer-seconds", "calls-answered", per="mean"),
)

KPI_BY_METRIC: Final = {k.metric: k for k in KPIS}


def measures_of(kind: RecordKind) -> tuple[Measure, ...]:
    return tuple(m for m in MEASURES if m.kind is kind)


def monthly(table: ir.Table, kind: RecordKind) -> ir.Table:
    """Every measure of ``kind``, by month of the record's time: one row per month."""
    when = table.arrived_at if kind is CALLS else table.accepted_at
    # the month as a small integer: DuckDB groups by it with a direct table, no hashing
    return (
        table.group_by(month=when.month().cast("int8"))
        .aggregate(**{m.key: m.aggregate(table) for m in measures_of(kind)})
        .order_by("month")
    )
