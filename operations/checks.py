"""Consistency of one period's figures: parts never add up to more than their whole.

Pure Python. ``check_period`` is given the figures a period will have once an upload is
committed (stored values overlaid with the uploaded ones), so a 接听量 uploaded in March is
checked against the 呼入量 uploaded in January. Comparisons are exact, in base units
(1012.36 万次 = 10123600 次).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kernel.units import UnitError
from operations.catalogue import MetricSpec, NotGreater
from operations.derived import Figure, period_resolver

STORED = "已导入"
"""The source of a figure already stored (not in the file being checked)."""


@dataclass(frozen=True, slots=True)
class Violation:
    rule: NotGreater
    message: str


def check_period(
    specs: Mapping[str, MetricSpec],
    figures: Mapping[str, Figure],
    rules: Iterable[NotGreater],
) -> list[Violation]:
    resolve = period_resolver(specs, figures)
    found: list[Violation] = []
    for rule in rules:
        whole = resolve(rule.whole)
        parts = [(code, resolve(code)) for code in rule.parts]
        present = [(code, f) for code, f in parts if f is not None]
        if whole is None or not present:
            continue
        try:
            whole_value, base = whole.base()
            bases = [f.base() for _, f in present]
        except UnitError:
            continue
        if any(b != base for _, b in bases):
            continue
        total = sum((v for v, _ in bases), Decimal(0))
        if total > whole_value:
            found.append(
                Violation(
                    rule, _message(specs, present, rule.whole, whole, total, base)
                )
            )
    return found


def _message(
    specs: Mapping[str, MetricSpec],
    parts: list[tuple[str, Figure]],
    whole_code: str,
    whole: Figure,
    total: Decimal,
    base: str,
) -> str:
    whole_name = _name(specs, whole_code)
    if len(parts) == 1:
        code, part = parts[0]
        if part.unit == whole.unit:
            shown, shown_whole = (
                f"{_plain(part.value)} {part.unit}",
                f"{_plain(whole.value)} {whole.unit}",
            )
        else:
            shown = f"{_plain(part.base()[0])} {base}"
            shown_whole = f"{_plain(whole.base()[0])} {base}"
        return (
            f"{_name(specs, code)}（{_stored(part)}{shown}）不能大于"
            f"{whole_name}（{_stored(whole)}{shown_whole}）"
        )
    names = "、".join(_name(specs, code) for code, _ in parts)
    return (
        f"{names}之和（{_plain(total)} {base}）不能大于{whole_name}"
        f"（{_stored(whole)}{_plain(whole.base()[0])} {base}）"
    )


def _stored(figure: Figure) -> str:
    return f"{STORED}的 " if STORED in figure.sources else ""


def _name(specs: Mapping[str, MetricSpec], code: str) -> str:
    spec = specs.get(code)
    return spec.name if spec else code


def _plain(value: Decimal) -> str:
    return format(value, "f")
