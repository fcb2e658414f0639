"""Operating data in and out of spreadsheets, through django-import-export.

``OperatingValueResource`` maps the template's long rows (填报单位 | 指标 | 期间 | 数值 | 单位 |
备注) onto ``OperatingValue``. Cells are read by widgets calling the pure ``cells`` module;
what needs a whole row (the unit against the metric, decimals, a metric entered twice) is
checked in ``import_instance``; what needs a whole period (接听量 ≤ 呼入量 …, ``checks``) in
``after_import``, against the values already stored overlaid with the uploaded ones.

Fast path (measured in ``benchmarks/import_operating_data.py``): ``use_bulk`` writes in
batches, ``skip_diff`` builds no per-row diff, and ``force_init_instance`` skips the per-row
SELECT. Instead the resource loads the organisation's existing values for the file's years in
one query and routes each row itself: a new natural key (organisation, metric, year, month)
is created, a known one updated, an identical one skipped as unchanged — so a re-upload
updates and never duplicates. ``clean_model_instances`` stays off because ``full_clean`` runs
a query per constraint per row; the same rules are enforced here and by the database
constraints. A dry run writes nothing at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.results import RowResult
from import_export.widgets import Widget

from budgets.models import Organisation
from core.resources import ProjectResource
from kernel.decimals import without_trailing_zeros
from kernel.units import decimals_allowed, unit, units_of_base
from operations import cells
from operations.bulk import adapt_datetime, insert_rows, update_rows
from operations.catalogue import MetricSpec, NotGreater
from operations.checks import STORED, check_period
from operations.derived import Figure
from operations.layout import (
    METRIC,
    NOTE,
    ORGANISATION,
    PERIOD,
    ROW_NUMBER,
    UNIT,
    VALUE,
)
from operations.models import (
    Metric,
    OperatingDataUpload,
    OperatingValue,
    OperatingValueChange,
)
from operations.reading import Problem

Key = tuple[int, int, int | None]  # metric id, year, month
MAX_VALUE = Decimal(10) ** 14
NOTE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Existing:
    pk: int
    value: Decimal
    unit: str
    note: str
    metric_code: str


@dataclass(slots=True)  # not frozen: one is made per row, frozen init costs 3×
class RowChange:
    row: int
    metric: Metric
    year: int
    month: int | None
    action: str  # OperatingValueChange.Action or "unchanged"
    old_value: Decimal | None
    old_unit: str
    new_value: Decimal
    new_unit: str

    @property
    def period(self) -> cells.Period:
        return cells.Period(self.year, self.month)


@dataclass
class ImportContext:
    """What one import needs besides the file: who, the catalogue, what is stored."""

    organisation: Organisation
    metrics: list[Metric]
    specs: dict[str, MetricSpec]
    rules: tuple[NotGreater, ...]
    letters: dict[str, str]
    upload: OperatingDataUpload | None = None
    existing: dict[Key, Existing] = field(default_factory=dict)


# --------------------------------------------------------------------------- widgets


class OrganisationWidget(Widget):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)
        self.organisation: Organisation | None = None
        self.names: set[str] = set()
        self.accepted: set[str] = set()  # cells already matched, as written

    def bind(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.names = {
            cells.normalise_name(organisation.name),
            cells.normalise_name(organisation.code),
        }

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organisation:
        assert self.organisation is not None
        if isinstance(value, str) and value in self.accepted:
            return self.organisation
        written = cells.text(value)
        if not written:
            raise ValueError(
                _("The reporting unit is empty: fill in “%(name)s”")
                % {"name": self.organisation.name}
            )
        if cells.normalise_name(written) not in self.names:
            raise ValueError(
                _(
                    "The reporting unit “%(written)s” is not your unit (%(name)s): only"
                    " your own unit's data may be uploaded"
                )
                % {"written": written, "name": self.organisation.name}
            )
        if isinstance(value, str):
            self.accepted.add(value)
        return self.organisation

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value is not None else ""


class MetricWidget(Widget):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)
        self.entered: dict[str, Metric] = {}
        self.derived: dict[str, Metric] = {}
        self.seen: dict[str, Metric] = {}  # cells already matched, as written

    def bind(self, metrics: Iterable[Metric]) -> None:
        for metric in metrics:
            index = self.entered if metric.is_entered else self.derived
            for name in (metric.name, metric.code, *metric.aliases):
                index.setdefault(cells.normalise_name(name), metric)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Metric:
        if isinstance(value, str) and (known := self.seen.get(value)) is not None:
            return known
        written = cells.text(value)
        if not written:
            raise ValueError(
                _(
                    "The metric is empty: choose a metric name from the template's “指标目录”"
                )
            )
        key = cells.normalise_name(written)
        if key in self.entered:
            if isinstance(value, str):
                self.seen[value] = self.entered[key]
            return self.entered[key]
        if key in self.derived:
            metric = self.derived[key]
            raise ValueError(
                _(
                    "“%(name)s” is computed by the system (%(description)s) and is not"
                    " entered: fill in its counts"
                )
                % {"name": metric.name, "description": metric.description}
            )
        raise ValueError(
            _(
                "The metric “%(written)s” is not in the catalogue: choose one from the"
                " template's “指标目录”, or first add it under “自定义指标”"
            )
            % {"written": written}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value is not None else ""


class PeriodWidget(Widget):  # type: ignore[misc]
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> cells.Period:
        return cells.period(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.key if value is not None else ""


class NumberWidget(Widget):  # type: ignore[misc]
    """数值: a strict number (``cells.number``); a blank cell is ``None`` (row skipped)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        try:
            return cells.number(value)
        except cells.BlankCell:
            return None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Decimal | None:
        # A number stays a number in the exported workbook.
        return None if value is None else without_trailing_zeros(value)


class TextWidget(Widget):  # type: ignore[misc]
    def __init__(self, max_length: int = NOTE_LENGTH) -> None:
        super().__init__(coerce_to_string=False)
        self.max_length = max_length

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        written = cells.text(value)
        if len(written) > self.max_length:
            raise ValueError(
                _("More than %(length)s characters: shorten it")
                % {"length": self.max_length}
            )
        return written

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class PeriodField(Field):  # type: ignore[misc]
    """期间 sets two model fields, ``year`` and ``month``."""

    def save(
        self, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any
    ) -> None:
        period = self.clean(row, **kwargs)
        instance.year, instance.month = period.year, period.month

    def get_value(self, instance: Any) -> cells.Period | None:
        if instance.year is None:
            return None
        return cells.Period(instance.year, instance.month)


# --------------------------------------------------------------------------- resource

_RELATIONS = frozenset({"organisation", "metric"})
_BLANK: dict[str, object] = {
    "id": None,
    "organisation_id": None,
    "metric_id": None,
    "year": None,
    "month": None,
    "value": None,
    "unit": "",
    "note": "",
    "upload_id": None,
    "updated_at": None,
}

COLUMN_OF = {
    "organisation": ORGANISATION,
    "metric": METRIC,
    "period": PERIOD,
    "value": VALUE,
    "unit": UNIT,
    "note": NOTE,
}


class OperatingValueResource(ProjectResource):
    organisation = Field(
        attribute="organisation", column_name=ORGANISATION, widget=OrganisationWidget()
    )
    metric = Field(attribute="metric", column_name=METRIC, widget=MetricWidget())
    period = PeriodField(attribute="period", column_name=PERIOD, widget=PeriodWidget())
    value = Field(attribute="value", column_name=VALUE, widget=NumberWidget())
    unit = Field(attribute="unit", column_name=UNIT, widget=TextWidget(10))
    note = Field(attribute="note", column_name=NOTE, widget=TextWidget())

    class Meta:
        model = OperatingValue
        fields = ("organisation", "metric", "period", "value", "unit", "note")
        export_order = ("organisation", "metric", "period", "value", "unit", "note")
        import_id_fields = ("organisation", "metric", "period")
        use_bulk = True
        batch_size = 2000
        skip_diff = True
        force_init_instance = True
        clean_model_instances = False
        report_skipped = False

    create_instances: list[OperatingValue]
    update_instances: list[OperatingValue]

    def __init__(self, context: ImportContext | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.problems: list[Problem] = []
        self.changes: list[RowChange] = []
        self.unchanged: list[RowChange] = []
        self.blank_rows: list[int] = []
        self.incoming: dict[
            Key, tuple[int, Figure, str]
        ] = {}  # row, figure, metric code
        self.seen: dict[Key, int] = {}
        self.now: datetime = timezone.now()
        self._present: list[tuple[str, str, Any]] | None = None
        self._units: dict[int, tuple[str, ...]] = {}
        if context is not None:
            self.fields["organisation"].widget.bind(context.organisation)
            self.fields["metric"].widget.bind(context.metrics)

    # ---- export ----------------------------------------------------------------

    def dehydrate_period(self, value: OperatingValue) -> str:
        return cells.Period(value.year, value.month).key

    # ---- rows --------------------------------------------------------------------

    def import_instance(
        self, instance: OperatingValue, row: Any, **kwargs: Any
    ) -> None:
        errors: dict[str, list[str]] = {}
        # The fields' widgets read the cells, as Resource.import_instance would, without
        # its per-row, per-field bookkeeping (a third of the time of a 10,000-row file).
        for attribute, column, widget in self._columns(row):
            try:
                value = widget.clean(row[column])
            except ValueError as error:
                errors[attribute] = [str(error)]
                continue
            if attribute == "period":
                instance.year, instance.month = value.year, value.month
            elif attribute in _RELATIONS:
                # what the foreign-key descriptor does, without its checks
                instance.__dict__[f"{attribute}_id"] = value.pk
                instance._state.fields_cache[attribute] = value
            elif value is not None:
                instance.__dict__[attribute] = value
        metric = instance.metric if "metric" not in errors else None
        if metric is not None and instance.value is not None and "value" not in errors:
            self._check_value(instance, metric, errors)
        if metric is not None and "period" not in errors:
            key = (metric.pk, instance.year, instance.month)
            first = self.seen.setdefault(key, row[ROW_NUMBER])
            if first != row[ROW_NUMBER]:
                label = cells.Period(instance.year, instance.month).label
                errors.setdefault("metric", []).append(
                    _(
                        "“%(name)s” appears twice in the period %(period)s (already"
                        " filled in on row %(first)s): one metric takes one row per"
                        " period"
                    )
                    % {"name": metric.name, "period": label, "first": first}
                )
        if errors:
            raise ValidationError(errors)

    def init_instance(self, row: Any = None) -> OperatingValue:
        """A blank value without ``Model.__init__`` (its defaults and init signals cost
        more than the rest of a row); every field is set here or by the widgets."""
        instance = OperatingValue.__new__(OperatingValue)
        instance._state = ModelState()
        instance.__dict__.update(_BLANK)
        return instance

    def _columns(self, row: Any) -> list[tuple[str, str, Any]]:
        if self._present is None:
            self._present = [
                (name, field.column_name, field.widget)
                for name, field in self.fields.items()
                if field.column_name in row
            ]
        return self._present

    def _check_value(
        self, instance: OperatingValue, metric: Metric, errors: dict[str, list[str]]
    ) -> None:
        written = cells.normalise_name(instance.unit) if instance.unit else metric.unit
        allowed = self._units.get(metric.pk)
        if allowed is None:
            allowed = self._units[metric.pk] = units_of_base(unit(metric.unit).base)
        if written not in allowed:
            errors.setdefault("unit", []).append(
                _(
                    "The unit “%(unit)s” does not fit “%(name)s”: it may be %(allowed)s"
                    " (left blank it is “%(default)s”)"
                )
                % {
                    "unit": instance.unit,
                    "name": metric.name,
                    "allowed": "、".join(allowed),
                    "default": metric.unit,
                }
            )
            return
        instance.unit = written
        places = decimals_allowed(written) + (
            2 if metric.fractional and unit(written).integral else 0
        )
        value = instance.value
        if value >= MAX_VALUE:
            errors.setdefault("value", []).append(
                _("The value %(value)s is too large: check for extra digits")
                % {"value": value}
            )
        elif cells.decimals(value) > places:
            message = (
                _("“%(name)s” in “%(unit)s” must be a whole number (got %(value)s)")
                if places == 0
                else _(
                    "“%(name)s” in “%(unit)s” takes at most %(places)s decimal places"
                    " (got %(value)s)"
                )
            )
            errors.setdefault("value", []).append(
                message
                % {
                    "name": metric.name,
                    "unit": written,
                    "places": places,
                    "value": value,
                }
            )

    def skip_row(
        self,
        instance: OperatingValue,
        original: Any,
        row: Any,
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors:
            return False
        number = row[ROW_NUMBER]
        if instance.value is None:
            self.blank_rows.append(number)
            return True
        assert self.context is not None
        key = (instance.metric_id, instance.year, instance.month)
        self.incoming[key] = (
            number,
            Figure(instance.value, instance.unit),
            instance.metric.code,
        )
        existing = self.context.existing.get(key)
        if (
            existing is not None
            and existing.value == instance.value
            and existing.unit == instance.unit
            and existing.note == instance.note
        ):
            self.unchanged.append(self._change(number, instance, "unchanged", existing))
            return True
        return False

    def save_instance(
        self, instance: OperatingValue, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        # force_init_instance makes every row look new: route it by its natural key.
        assert self.context is not None
        key = (instance.metric_id, instance.year, instance.month)
        existing = self.context.existing.get(key)
        instance.organisation_id = self.context.organisation.pk
        instance.updated_at = self.now
        if self.context.upload is not None:
            instance.upload_id = self.context.upload.pk
        if existing is None:
            self.create_instances.append(instance)
            action = OperatingValueChange.Action.CREATED
        else:
            instance.pk = existing.pk
            self.update_instances.append(instance)
            action = OperatingValueChange.Action.UPDATED
        self.changes.append(self._change(row[ROW_NUMBER], instance, action, existing))

    def _change(
        self,
        number: int,
        instance: OperatingValue,
        action: str,
        existing: Existing | None,
    ) -> RowChange:
        return RowChange(
            row=number,
            metric=instance.metric,
            year=instance.year,
            month=instance.month,
            action=action,
            old_value=None if existing is None else existing.value,
            old_unit="" if existing is None else existing.unit,
            new_value=instance.value,
            new_unit=instance.unit,
        )

    def get_bulk_update_fields(self) -> list[str]:
        return ["value", "unit", "note", "upload", "updated_at"]

    VALUE_FIELDS = (
        "organisation",
        "metric",
        "year",
        "month",
        "value",
        "unit",
        "note",
        "upload",
        "updated_at",
    )

    def bulk_create(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        """Insert the new values with ``bulk.insert_rows`` (COPY on PostgreSQL); a dry
        run writes nothing: every rule is checked in Python."""
        instances: list[OperatingValue] = self.create_instances
        self.create_instances = []
        if dry_run or not instances:
            return
        now = adapt_datetime(self.now)
        try:
            insert_rows(
                OperatingValue,
                self.VALUE_FIELDS,
                [
                    (
                        v.organisation_id,
                        v.metric_id,
                        v.year,
                        v.month,
                        v.value,
                        v.unit,
                        v.note,
                        v.upload_id,
                        now,
                    )
                    for v in instances
                ],
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        instances: list[OperatingValue] = self.update_instances
        self.update_instances = []
        if dry_run or not instances:
            return
        now = adapt_datetime(self.now)
        try:
            update_rows(
                OperatingValue,
                ("value", "unit", "note", "upload", "updated_at"),
                [(v.value, v.unit, v.note, v.upload_id, now, v.pk) for v in instances],
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> Any:
        row_result = super().import_row(row, instance_loader, **kwargs)
        number = row[ROW_NUMBER]
        if row_result.validation_error is not None:
            for attribute, messages in row_result.validation_error.message_dict.items():
                column = COLUMN_OF.get(attribute, "")
                letter = self.context.letters.get(column, "") if self.context else ""
                for message in messages:
                    self.problems.append(Problem(message, number, letter, column))
        for error in row_result.errors:
            self.problems.append(
                Problem(
                    _("This row cannot be imported: %(error)s")
                    % {"error": error.error},
                    number,
                )
            )
        if (
            row_result.import_type == RowResult.IMPORT_TYPE_NEW
            and self.changes
            and self.changes[-1].row == number
            and self.changes[-1].action == OperatingValueChange.Action.UPDATED
        ):
            row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
        return row_result

    # ---- the whole file ------------------------------------------------------------

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        assert self.context is not None
        self._check_periods()
        if not kwargs.get("dry_run") and not self.problems and self.changes:
            self._record_history()
        super().after_import(dataset, result, **kwargs)

    def _check_periods(self) -> None:
        """接听量 ≤ 呼入量 and the other rules, per period, on stored + uploaded values."""
        assert self.context is not None
        by_period: dict[tuple[int, int | None], dict[str, Figure]] = defaultdict(dict)
        rows: dict[tuple[int, int | None], dict[str, int]] = defaultdict(dict)
        touched = {(year, month) for (_m, year, month) in self.incoming}
        for (_metric, year, month), existing in self.context.existing.items():
            if (year, month) in touched:
                by_period[(year, month)][existing.metric_code] = Figure(
                    existing.value, existing.unit, (STORED,)
                )
        for (_metric, year, month), (number, figure, code) in self.incoming.items():
            by_period[(year, month)][code] = figure
            rows[(year, month)][code] = number
        letter = self.context.letters.get(VALUE, "")
        for period_key in sorted(by_period, key=lambda p: (p[0], p[1] or 0)):
            label = cells.Period(*period_key).label
            for violation in check_period(
                self.context.specs, by_period[period_key], self.context.rules
            ):
                codes = [*violation.rule.parts, violation.rule.whole]
                number = next(
                    (rows[period_key][c] for c in codes if c in rows[period_key]),
                    min(rows[period_key].values()),
                )
                problem = Problem(
                    f"{label}：{violation.message}", number, letter, VALUE
                )
                if problem not in self.problems:  # 满意 ≤ 回访 breaks two rules at once
                    self.problems.append(problem)

    def _record_history(self) -> None:
        assert self.context is not None and self.context.upload is not None
        upload, organisation = self.context.upload.pk, self.context.organisation.pk
        now = adapt_datetime(self.now)
        insert_rows(
            OperatingValueChange,
            (
                "upload",
                "organisation",
                "metric",
                "year",
                "month",
                "action",
                "old_value",
                "old_unit",
                "new_value",
                "new_unit",
                "row_number",
                "recorded_at",
            ),
            [
                (
                    upload,
                    organisation,
                    c.metric.pk,
                    c.year,
                    c.month,
                    c.action,
                    c.old_value,
                    c.old_unit,
                    c.new_value,
                    c.new_unit,
                    c.row,
                    now,
                )
                for c in self.changes
            ],
        )


def existing_values(
    *, organisation: Organisation, years: Iterable[int]
) -> dict[Key, Existing]:
    """The organisation's stored values of ``years``, by natural key, in one query."""
    rows = OperatingValue.objects.filter(
        organisation=organisation, year__in=sorted(set(years))
    ).values_list(
        "pk", "metric_id", "metric__code", "year", "month", "value", "unit", "note"
    )
    return {
        (metric_id, year, month): Existing(
            pk, without_trailing_zeros(value), unit_, note, code
        )
        for pk, metric_id, code, year, month, value, unit_, note in rows
    }
