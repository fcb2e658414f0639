"""The column contract of raw hotline records: 话单 (call records) and 工单 (work orders).

One ``Field`` per column: its key (the column name in the stored Parquet files and in the
KPI expressions), its Chinese header (what the template and the synthetic exports write),
its type, and whether it must be present. A centre's export is read under the Chinese
header, the key, or the header its saved column mapping names (``ColumnMapping``).

Values as hotline systems export them:

- times: ``YYYY-MM-DD HH:MM:SS`` (or ``YYYY/MM/DD``, ``T`` between date and time, fractions
  of a second); empty where there is none (a call not answered, an order not closed);
- flags: 1/0, 是/否, Y/N, true/false; empty is 否;
- 类型 求助/派单/咨询/投诉/建议, 渠道 电话/网站/移动端, 回访结果 满意/基本满意/不满意 (or empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class RecordKind(StrEnum):
    CALLS = "calls"
    ORDERS = "orders"

    @property
    def label(self) -> str:
        return "话单" if self is RecordKind.CALLS else "工单"


class FieldType(StrEnum):
    TEXT = "text"
    TIME = "time"
    FLAG = "flag"


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    header: str
    type: FieldType
    required: bool = True
    """The column must be in the file."""
    blank: bool = False
    """A required column whose value may be empty (接听时间 of a call not answered)."""
    description: str = ""
    choices: tuple[str, ...] = ()


T, TIME, FLAG = FieldType.TEXT, FieldType.TIME, FieldType.FLAG

CALL_FIELDS: Final[tuple[Field, ...]] = (
    Field("call_id", "话单编号", T, description="每通来电唯一"),
    Field("centre", "热线中心", T, description="本单位的名称或代码"),
    Field("trunk", "中继线路", T, required=False, description="中继线或接入渠道"),
    Field("arrived_at", "到达时间", TIME, description="进入人工服务队列的时间"),
    Field(
        "answered_at",
        "接听时间",
        TIME,
        blank=True,
        description="坐席接起的时间；未接听为空",
    ),
    Field("ended_at", "结束时间", TIME, description="通话结束或来电人挂断的时间"),
    Field("seat", "坐席工号", T, required=False),
    Field("queue", "队列", T, required=False, description="队列或技能组"),
    Field("abandoned", "放弃", FLAG, required=False, description="来电人排队中挂断"),
    Field("transferred", "转接", FLAG, required=False),
)

ORDER_TYPES: Final = ("求助", "派单", "咨询", "投诉", "建议")
ORDER_CHANNELS: Final = ("电话", "网站", "移动端")
CALLBACK_RESULTS: Final = ("满意", "基本满意", "不满意")

ORDER_FIELDS: Final[tuple[Field, ...]] = (
    Field("order_id", "工单编号", T, description="每件工单唯一"),
    Field("centre", "热线中心", T, description="本单位的名称或代码"),
    Field("accepted_at", "受理时间", TIME),
    Field("type", "类型", T, choices=ORDER_TYPES),
    Field("channel", "渠道", T, choices=ORDER_CHANNELS),
    Field("business_environment", "营商环境类", FLAG, required=False),
    Field("department", "承办单位", T, required=False, description="派单的承办单位"),
    Field("deadline", "办理时限", TIME, required=False),
    Field("closed_at", "办结时间", TIME, required=False, description="未办结为空"),
    Field("resolved_directly", "直接办复", FLAG, required=False),
    Field("callback_at", "回访时间", TIME, required=False, description="未回访为空"),
    Field(
        "callback_result",
        "回访结果",
        T,
        required=False,
        choices=CALLBACK_RESULTS,
        description="满意/基本满意/不满意；未回访为空",
    ),
    Field("returned", "退单", FLAG, required=False, description="承办单位退回"),
    Field("liable_complaint", "有责投诉", FLAG, required=False),
)

FIELDS: Final = {RecordKind.CALLS: CALL_FIELDS, RecordKind.ORDERS: ORDER_FIELDS}
ID_FIELD: Final = {RecordKind.CALLS: "call_id", RecordKind.ORDERS: "order_id"}
TIME_FIELD: Final = {RecordKind.CALLS: "arrived_at", RecordKind.ORDERS: "accepted_at"}
"""The time that places a record in its period (month)."""

TIME_ORDER: Final = {
    RecordKind.CALLS: (("arrived_at", "answered_at"), ("arrived_at", "ended_at")),
    RecordKind.ORDERS: (("accepted_at", "closed_at"), ("accepted_at", "callback_at")),
}
"""Pairs (earlier, later) a record's times must respect where both are given."""

TRUE_FLAGS: Final = ("1", "是", "y", "yes", "true", "t")
FALSE_FLAGS: Final = ("0", "否", "n", "no", "false", "f", "")


def field_of(kind: RecordKind, key: str) -> Field:
    return next(f for f in FIELDS[kind] if f.key == key)
