"""What changed in a target form since the finance bureau returned it.

On each return ``target_form_return`` keeps the form as it stood (``TargetFormReturn``: the
header figures and goals, and every indicator with its place in the tree, as plain
values). When the unit resubmits, the reviewer reads the changes since that return,
indicator by indicator — each beside the comment the bureau wrote on it — instead of the
whole form again; an indicator commented on and left as it was is named too.

Indicators are matched by their id (the grid and the workbook import keep a row's id while
its name stays), then what is left by their path (一级 / 二级 / 三级 names): a row the
import replaced under the same name is the same indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from targets.models import (
    IndicatorLevel,
    ReviewComment,
    TargetForm,
    TargetFormReturn,
    TargetIndicator,
)

HEADER_FIELDS: tuple[tuple[str, StrOrPromise], ...] = (
    ("funds_total", _("project funds")),
    ("funds_fiscal", _("of which fiscal appropriation")),
    ("funds_other", _("other funds")),
    ("overall_goal", _("overall goal")),
    ("annual_goal", _("annual goal")),
    ("long_term_goal", _("medium- and long-term goal")),
    ("main_functions", _("main functions of the unit")),
    ("staffing", _("organisation and staffing")),
)
INDICATOR_FIELDS: tuple[tuple[str, StrOrPromise], ...] = (
    ("name", _("name")),
    ("parent", _("placed under")),
    ("value_text", _("target value")),
    ("half_year_text", _("half-year target value")),
    ("library", _("library indicator")),
)

Plain = dict[str, Any]


def _paths(indicators: Iterable[TargetIndicator]) -> dict[int, str]:
    by_id = {i.pk: i for i in indicators}
    paths: dict[int, str] = {}
    for indicator in by_id.values():
        names, node = [indicator.name], indicator
        while node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
            names.insert(0, node.name)
        paths[indicator.pk] = " / ".join(names)
    return paths


def _plain_indicators(indicators: list[TargetIndicator]) -> list[Plain]:
    paths = _paths(indicators)
    return [
        {
            "id": i.pk,
            "level": i.level,
            "name": i.name,
            "path": paths[i.pk],
            "parent": paths.get(i.parent_id, "") if i.parent_id is not None else "",
            "value_text": i.value_text,
            "half_year_text": i.half_year_text,
            "library": i.library_indicator.name if i.library_indicator else "",
        }
        for i in indicators
    ]


def _plain_header(form: TargetForm) -> Plain:
    return {
        name: "" if getattr(form, name) is None else str(getattr(form, name))
        for name, _label in HEADER_FIELDS
    }


def _indicators(form: TargetForm) -> list[TargetIndicator]:
    return list(
        form.indicators.select_related("library_indicator").order_by("position", "id")
    )


def target_form_return_take(*, form: TargetForm) -> TargetFormReturn:
    """Keep ``form`` as it stands now as the version returned in its current round
    (called by ``target_form_return``, in its transaction)."""
    returned, _created = TargetFormReturn.objects.update_or_create(
        form=form,
        round=form.submissions,
        defaults={
            "taken_at": timezone.now(),
            "data": {
                "header": _plain_header(form),
                "indicators": _plain_indicators(_indicators(form)),
            },
        },
    )
    return returned


@dataclass(frozen=True)
class IndicatorChange:
    kind: str  # added | removed | changed | unanswered (commented on, left unchanged)
    path: str
    level: str
    indicator_id: int | None  # None for a removed indicator
    fields: tuple[tuple[str, str, str], ...] = ()  # (label, before, after)
    comments: tuple[str, ...] = ()  # the return's comments on it

    @property
    def is_leaf(self) -> bool:
        return self.level == IndicatorLevel.LEVEL3


@dataclass(frozen=True)
class Changes:
    returned: TargetFormReturn
    header: tuple[tuple[str, str, str], ...]
    indicators: tuple[IndicatorChange, ...]
    unchanged: int  # indicators as they were
    general_comments: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.header) + sum(
            1 for c in self.indicators if c.kind != "unanswered"
        )


def _field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    return [
        (str(label), str(before.get(name, "")), str(after.get(name, "")))
        for name, label in INDICATOR_FIELDS
        if str(before.get(name, "")) != str(after.get(name, ""))
    ]


def latest_return(form: TargetForm) -> TargetFormReturn | None:
    return TargetFormReturn.objects.filter(form=form).order_by("-round").first()


def changes_since_return(
    form: TargetForm, returned: TargetFormReturn | None = None
) -> Changes | None:
    """The changes to ``form`` since its last return (``None`` if it was never returned,
    or was returned before returns were kept): three queries whatever its size."""
    returned = returned if returned is not None else latest_return(form)
    if returned is None:
        return None
    before_rows: list[Plain] = list(returned.data.get("indicators", []))
    after_rows = _plain_indicators(_indicators(form))
    comments: dict[int | None, list[str]] = {}
    for indicator_id, text in ReviewComment.objects.filter(
        form=form, round=returned.round
    ).values_list("indicator_id", "text"):
        comments.setdefault(indicator_id, []).append(text)

    before_by_id = {row["id"]: row for row in before_rows}
    after_ids = {row["id"] for row in after_rows}
    # rows the import replaced keep their path: pair them by it
    unmatched_before = {
        row["path"]: row for row in before_rows if row["id"] not in after_ids
    }
    changes: list[IndicatorChange] = []
    unchanged = 0
    for row in after_rows:
        before = before_by_id.get(row["id"]) or unmatched_before.pop(row["path"], None)
        said = tuple(comments.get(row["id"], ()))
        if before is None:
            changes.append(
                IndicatorChange(
                    "added",
                    row["path"],
                    row["level"],
                    row["id"],
                    tuple(
                        (str(label), "", str(row[name]))
                        for name, label in INDICATOR_FIELDS
                        if name not in ("name", "parent") and row[name]
                    ),
                )
            )
            continue
        fields = tuple(_field_changes(before, row))
        if fields:
            changes.append(
                IndicatorChange(
                    "changed", row["path"], row["level"], row["id"], fields, said
                )
            )
        elif said:
            changes.append(
                IndicatorChange(
                    "unanswered", row["path"], row["level"], row["id"], (), said
                )
            )
        else:
            unchanged += 1
    for row in before_rows:
        if row["id"] not in after_ids and row["path"] in unmatched_before:
            changes.append(
                IndicatorChange(
                    "removed",
                    row["path"],
                    row["level"],
                    None,
                    tuple(
                        (str(label), str(row[name]), "")
                        for name, label in INDICATOR_FIELDS
                        if name not in ("name", "parent") and row.get(name)
                    ),
                    tuple(comments.get(row["id"], ())),
                )
            )
    before_header = returned.data.get("header", {})
    after_header = _plain_header(form)
    header = tuple(
        (str(label), str(before_header.get(name, "")), after_header[name])
        for name, label in HEADER_FIELDS
        if str(before_header.get(name, "")) != after_header[name]
    )
    return Changes(
        returned=returned,
        header=header,
        indicators=tuple(changes),
        unchanged=unchanged,
        general_comments=tuple(comments.get(None, ())),
    )
