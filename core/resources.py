"""The project's base django-import-export Resource: every spreadsheet import and export of
tabular data goes through a subclass of ``ProjectResource`` (STYLE.md "Spreadsheets").

- Export: text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
  carriage return) gets a leading apostrophe; numbers stay numbers. The library itself only
  strips a leading "=". That is for a CSV, which has no cell types; a workbook writes the
  rows into its cells itself, as text with Excel's quote prefix
  (``kernel.spreadsheets.writing``), from a resource whose ``escapes_formulas`` is False.
- Import: a dataset larger than ``MAX_IMPORT_ROWS`` rows or ``MAX_IMPORT_COLUMNS`` columns is
  refused before any row is read, with a message in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from kernel.text import without_controls

MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_COLUMNS = 60
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """Text as a spreadsheet cell: what it would evaluate as a formula made literal, and
    control characters dropped (``kernel.text``: stored before input refused them, they
    would make openpyxl refuse the whole workbook)."""
    if not isinstance(value, str):
        return value
    value = without_controls(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class ProjectResource(resources.ModelResource):  # type: ignore[misc]
    escapes_formulas = True
    """Export text with ``escape_formula``'s apostrophe (a CSV); False where the rows go
    into workbook cells through ``kernel.spreadsheets.writing``."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if self.escapes_formulas else value

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        if dataset.height > MAX_IMPORT_ROWS:
            raise ValidationError(
                _(
                    "The file has %(rows)s rows; at most %(limit)s can be imported at once."
                )
                % {"rows": dataset.height, "limit": MAX_IMPORT_ROWS}
            )
        if dataset.width > MAX_IMPORT_COLUMNS:
            raise ValidationError(
                _("The file has %(columns)s columns; at most %(limit)s are accepted.")
                % {"columns": dataset.width, "limit": MAX_IMPORT_COLUMNS}
            )
        super().before_import(dataset, **kwargs)
