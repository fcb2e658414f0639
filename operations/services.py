"""Writes of operating data. One code path for the browser, the command and the seeds:

    operating_data_check   read + dry run; stores nothing            (command --dry-run)
    operating_data_upload  read + dry run; if clean, keeps the file   (browser upload → preview)
                           and records a pending upload
    operating_data_commit  re-reads the kept file (SHA-256 checked)   (browser confirm)
                           and imports it, all or nothing

A refused file changes nothing: no value, no history, no upload record, no file. An accepted
one is complete: every value, its history rows and the upload record in one transaction.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Final

import tablib
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from budgets.models import Organisation
from core.concurrency import shown
from kernel.units import UNITS
from operations import cells, selectors
from operations.catalogue import Aggregation, Formula, Kind, consistency_rules
from operations.layout import PERIOD, ROW_NUMBER, Sheet, check_layout
from operations.models import Metric, OperatingDataUpload, OperatingValueChange
from operations.reading import FileRefused, Limits, Problem, Table, read_table
from operations.resources import (
    ImportContext,
    OperatingValueResource,
    RowChange,
    existing_values,
)

STORAGE_DIR: Final = "operating_data"
SEED_SOURCE: Final = "种子数据"
COMMAND_SOURCE: Final = "命令行"
SEED_WORKBOOKS: Final = (
    ("tianjin-8890-2018-2020.xlsx", "tj-8890"),
    ("panjin-12345-2023.xlsx", "pj-yshj"),
)
"""fixtures/operating_data/ workbooks loaded by ``load_seeds``, with their organisation."""


@dataclass(frozen=True)
class ImportOutcome:
    problems: tuple[Problem, ...] = ()
    changes: tuple[RowChange, ...] = ()
    unchanged: tuple[RowChange, ...] = ()
    blank_rows: tuple[int, ...] = ()
    rows_total: int = 0
    years: tuple[int, ...] = ()
    upload: OperatingDataUpload | None = None
    committed: bool = False
    # values another upload changed after the preview this confirmation was given on
    conflicts: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(
            1 for c in self.changes if c.action == OperatingValueChange.Action.CREATED
        )

    @property
    def updated(self) -> int:
        return sum(
            1 for c in self.changes if c.action == OperatingValueChange.Action.UPDATED
        )


class UploadStateError(Exception):
    """Confirming or discarding an upload that is no longer pending."""


# What a confirmation or a discard is told when the upload was decided before it.
ALREADY_DECIDED: Final = {
    "commit": {
        "committed": gettext_lazy(
            "This upload has been imported and cannot be imported again (nothing"
            " was changed)."
        ),
        "discarded": gettext_lazy(
            "This upload was discarded and cannot be imported; upload the file"
            " again to import it."
        ),
    },
    "discard": {
        "committed": gettext_lazy(
            "This upload has been imported and cannot be discarded."
        ),
        "discarded": gettext_lazy("This upload was discarded."),
    },
}
BUSY: Final = gettext_lazy(
    "This upload is being handled by another request: refresh the page in a moment to"
    " see the result (nothing was changed)."
)


def _claim(
    upload: OperatingDataUpload, *, refused: Mapping[str, StrOrPromise]
) -> OperatingDataUpload:
    """Take a pending upload for the current transaction, or refuse with its state.

    The claim is a conditional UPDATE, the transaction's first statement: it takes the
    write lock at once — the row on PostgreSQL, the database on SQLite (where SELECT …
    FOR UPDATE is a no-op and a reader cannot later become a writer beside another
    one) — so a second confirmation of the same upload waits for the first and then
    finds it decided, instead of importing beside it and failing half-way (issue 10,
    Low 8)."""
    try:
        claimed = OperatingDataUpload.objects.filter(
            pk=upload.pk, status=OperatingDataUpload.Status.PENDING
        ).update(status=OperatingDataUpload.Status.PENDING)
    except OperationalError as error:
        if "locked" in str(error):  # SQLite: the other one held the lock too long
            raise UploadStateError(str(BUSY)) from error
        raise
    locked = OperatingDataUpload.objects.get(pk=upload.pk)
    if not claimed:
        message = refused.get(locked.status) or _(
            "This upload's status is “%(status)s”"
        ) % {"status": locked.get_status_display()}
        raise UploadStateError(str(message))
    return locked


def upload_limits() -> Limits:
    return Limits(**getattr(settings, "OPERATIONS_UPLOAD_LIMITS", {}))


# --------------------------------------------------------------------------- the one path


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a file is read and imported: the ~100,000
    short-lived objects of a 10,000-row file otherwise trigger repeated full collections
    that cost a third of the import (measured). Reference counting still frees them; the
    collector runs again as soon as the import is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    *,
    organisation: Organisation,
    table: Table,
    dry_run: bool,
    upload: OperatingDataUpload | None = None,
) -> ImportOutcome:
    with _without_cyclic_gc():
        return _import(
            organisation=organisation, table=table, dry_run=dry_run, upload=upload
        )


def _import(
    *,
    organisation: Organisation,
    table: Table,
    dry_run: bool,
    upload: OperatingDataUpload | None,
) -> ImportOutcome:
    sheet = check_layout(table)
    if sheet.problems:
        return ImportOutcome(
            problems=_sorted(sheet.problems), rows_total=len(sheet.rows)
        )
    if not sheet.rows:
        return ImportOutcome(
            problems=(
                Problem(
                    _(
                        "No data rows: fill in the data row by row below the header"
                        " in row 1"
                    ),
                    2,
                ),
            )
        )
    metrics = selectors.metrics_for(organisation=organisation)
    specs = {m.code: selectors.spec_of(m) for m in metrics}
    years = _years(sheet)
    context = ImportContext(
        organisation=organisation,
        metrics=metrics,
        specs=specs,
        rules=consistency_rules(specs.values()),
        letters=sheet.letters,
        upload=upload,
        existing=existing_values(organisation=organisation, years=years),
    )
    columns = list(sheet.letters)
    # Rows passed to the constructor skip tablib's per-row validation (they are all the
    # same width by construction): a tenth of a second on 10,000 rows.
    dataset = tablib.Dataset(
        *([number, *(row[c] for c in columns)] for number, row in sheet.rows),
        headers=[ROW_NUMBER, *columns],
    )
    resource = OperatingValueResource(context)
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
    problems = list(resource.problems)
    problems += [
        Problem(_("Import error: %(error)s") % {"error": error.error})
        for error in result.base_errors
    ]
    if not problems and len(resource.blank_rows) == len(sheet.rows):
        problems.append(
            Problem(_("No value in the file to import: every “数值” cell is empty"))
        )
    return ImportOutcome(
        problems=_sorted(problems),
        changes=tuple(resource.changes),
        unchanged=tuple(resource.unchanged),
        blank_rows=tuple(resource.blank_rows),
        rows_total=len(sheet.rows),
        years=tuple(sorted(years)),
        upload=upload,
    )


def _years(sheet: Sheet) -> set[int]:
    """The years the rows name, to load what is stored for them (a malformed period is
    reported by the import itself)."""
    years: set[int] = set()
    for _number, row in sheet.rows:
        cell = row.get(PERIOD)
        if isinstance(cell, str) and (match := _YEAR.match(cell)):
            years.add(int(match[1]))
            continue
        try:
            years.add(cells.period(cell).year)
        except cells.CellError:
            continue
    return years


_YEAR: Final = re.compile(r"\s*([0-9]{4})(?:[-年/.]|\s*$)")


def _sorted(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.row, p.column.rjust(3))))


def _read(name: str, content: bytes) -> Table | ImportOutcome:
    try:
        with _without_cyclic_gc():
            return read_table(name, content, upload_limits())
    except FileRefused as refused:
        return ImportOutcome(problems=refused.problems)


def operating_data_check(
    *, organisation: Organisation, name: str, content: bytes
) -> ImportOutcome:
    """Read and validate a file as an import of ``organisation`` would; write nothing."""
    table = _read(name, content)
    if isinstance(table, ImportOutcome):
        return table
    return _run(organisation=organisation, table=table, dry_run=True)


def operating_data_upload(
    *,
    organisation: Organisation,
    name: str,
    content: bytes,
    uploaded_by: User | None = None,
    source: str = "",
) -> ImportOutcome:
    """Validate a file; if it is clean, keep it (outside the web root, under a generated
    name) and record a pending upload to be confirmed by ``operating_data_commit``."""
    table = _read(name, content)
    if isinstance(table, ImportOutcome):
        return table
    outcome = _run(organisation=organisation, table=table, dry_run=True)
    if not outcome.ok:
        return outcome
    stored_name, digest = _store(
        organisation=organisation, content=content, extension=table.format
    )
    upload = OperatingDataUpload(
        organisation=organisation,
        uploaded_by=uploaded_by,
        source=source,
        original_name=Path(name).name[:255],
        stored_name=stored_name,
        sha256=digest,
        size=len(content),
        file_format=table.format,
        rows_total=outcome.rows_total,
        rows_created=outcome.created,
        rows_updated=outcome.updated,
        rows_unchanged=len(outcome.unchanged),
        rows_blank=len(outcome.blank_rows),
        years=list(outcome.years),
    )
    upload.full_clean()
    upload.save()
    return ImportOutcome(
        problems=(),
        changes=outcome.changes,
        unchanged=outcome.unchanged,
        blank_rows=outcome.blank_rows,
        rows_total=outcome.rows_total,
        years=outcome.years,
        upload=upload,
    )


class _Refused(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome


def operating_data_preview(*, upload: OperatingDataUpload) -> ImportOutcome:
    """What committing a pending upload would do now (the kept file, read again)."""
    table = _stored_table(upload)
    if isinstance(table, ImportOutcome):
        return table
    return _run(
        organisation=upload.organisation, table=table, dry_run=True, upload=upload
    )


def operating_value_mark(*, organisation: Organisation) -> int:
    """The last change recorded to ``organisation``'s operating values (0: none): a
    preview shown at this mark is confirmed with it (``operating_data_commit``)."""
    last = (
        OperatingValueChange.objects.filter(organisation=organisation)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


def _changed_since(
    upload: OperatingDataUpload, seen: int, changes: tuple[RowChange, ...]
) -> tuple[str, ...]:
    """The values ``changes`` would write that another upload changed after ``seen``:
    what it wrote, and what this file has."""
    mine = {(c.metric.pk, c.year, c.month): c for c in changes}
    theirs: dict[tuple[int, int, int | None], OperatingValueChange] = {}
    for change in (
        OperatingValueChange.objects.filter(
            organisation_id=upload.organisation_id,
            id__gt=seen,
            year__in={c.year for c in changes},
        )
        .exclude(upload=upload)
        .select_related("upload", "upload__uploaded_by")
        .order_by("id")
    ):
        key = (change.metric_id, change.year, change.month)
        if key in mine:
            theirs[key] = change  # the latest one
    return tuple(
        _(
            "%(period)s %(metric)s: %(upload)s changed it to %(theirs)s %(their_unit)s,"
            " your file has %(mine)s %(my_unit)s."
        )
        % {
            "period": mine[key].period.label,
            "metric": mine[key].metric.name,
            "upload": change.upload.label,
            "theirs": shown(change.new_value),
            "their_unit": change.new_unit,
            "mine": shown(mine[key].new_value),
            "my_unit": mine[key].new_unit,
        }
        for key, change in theirs.items()
    )


def operating_data_commit(
    *, upload: OperatingDataUpload, seen: int | None = None
) -> ImportOutcome:
    """Import a pending upload's kept file, all or nothing. The file is validated again
    (another upload may have changed the stored values since the preview); if anything is
    wrong, nothing is written and the upload stays pending.

    A later upload replaces the values it has, by design; but ``seen`` (the
    ``operating_value_mark`` the preview was shown at) refuses a confirmation that would
    silently replace values another upload changed after that preview: the outcome's
    ``conflicts`` name them, nothing is written, and the page previews again, against
    the values as they now are. Confirmations for one organisation take turns."""
    with transaction.atomic():
        locked = _claim(upload, refused=ALREADY_DECIDED["commit"])
        # one confirmation at a time per organisation: the check below sees every
        # change committed before this one writes
        Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        table = _stored_table(locked)
        if isinstance(table, ImportOutcome):
            return table
        try:
            with transaction.atomic():
                outcome = _run(
                    organisation=locked.organisation,
                    table=table,
                    dry_run=False,
                    upload=locked,
                )
                if not outcome.ok:
                    raise _Refused(outcome)
                conflicts = (
                    _changed_since(locked, seen, outcome.changes)
                    if seen is not None
                    else ()
                )
                if conflicts:
                    raise _Refused(replace(outcome, conflicts=conflicts))
        except _Refused as refused:
            return refused.outcome
        locked.status = OperatingDataUpload.Status.COMMITTED
        locked.committed_at = timezone.now()
        locked.rows_total = outcome.rows_total
        locked.rows_created = outcome.created
        locked.rows_updated = outcome.updated
        locked.rows_unchanged = len(outcome.unchanged)
        locked.rows_blank = len(outcome.blank_rows)
        locked.years = list(outcome.years)
        locked.full_clean()
        locked.save()
    upload.refresh_from_db()
    return ImportOutcome(
        changes=outcome.changes,
        unchanged=outcome.unchanged,
        blank_rows=outcome.blank_rows,
        rows_total=outcome.rows_total,
        years=outcome.years,
        upload=locked,
        committed=True,
    )


def operating_data_discard(*, upload: OperatingDataUpload) -> OperatingDataUpload:
    """Give up a pending upload; its file is kept like every other upload's."""
    with transaction.atomic():
        locked = _claim(upload, refused=ALREADY_DECIDED["discard"])
        locked.status = OperatingDataUpload.Status.DISCARDED
        locked.save(update_fields=["status"])
    return locked


def operating_data_import(
    *,
    organisation: Organisation,
    name: str,
    content: bytes,
    uploaded_by: User | None = None,
    source: str = COMMAND_SOURCE,
    dry_run: bool = False,
) -> ImportOutcome:
    """Upload and commit in one go (the command and the seeds): the browser's two steps."""
    if dry_run:
        return operating_data_check(
            organisation=organisation, name=name, content=content
        )
    with transaction.atomic():
        uploaded = operating_data_upload(
            organisation=organisation,
            name=name,
            content=content,
            uploaded_by=uploaded_by,
            source=source,
        )
        if not uploaded.ok or uploaded.upload is None:
            return uploaded
        committed = operating_data_commit(upload=uploaded.upload)
        if not committed.committed:
            transaction.set_rollback(True)
        return committed


# --------------------------------------------------------------------------- files


def _store(
    *, organisation: Organisation, content: bytes, extension: str
) -> tuple[str, str]:
    """Keep ``content`` in the default storage (outside the web root: a local folder or a
    shared S3 bucket) as ``operating_data/<organisation code>/<sha256>.<ext>``: a generated
    name, and the same content is kept once however often it is uploaded."""
    digest = hashlib.sha256(content).hexdigest()
    name = f"{STORAGE_DIR}/{organisation.code}/{digest}.{extension}"
    if not default_storage.exists(name):
        # Two uploads of the same content at once: the storage gives the second a free
        # name, which is then the one recorded (its content is the same).
        name = default_storage.save(name, ContentFile(content))
    return name, digest


def stored_file(upload: OperatingDataUpload) -> File[bytes]:
    """The kept file of ``upload``, open for reading through the default storage;
    ``FileNotFoundError`` if it is missing or its name leaves the storage directory."""
    name = upload.stored_name
    parts = PurePosixPath(name).parts
    if (
        len(parts) < 2
        or parts[0] != STORAGE_DIR
        or ".." in parts
        or not default_storage.exists(name)
    ):
        raise FileNotFoundError(name)
    return default_storage.open(name, "rb")


def _stored_table(upload: OperatingDataUpload) -> Table | ImportOutcome:
    try:
        with stored_file(upload) as stream:
            content = stream.read()
    except FileNotFoundError:
        return ImportOutcome(
            problems=(
                Problem(_("The archived upload file is missing: upload it again")),
            )
        )
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        return ImportOutcome(
            problems=(
                Problem(
                    _(
                        "The archived upload file differs from the one uploaded"
                        " (SHA-256 mismatch): upload it again"
                    )
                ),
            )
        )
    return _read(upload.original_name, content)


# --------------------------------------------------------------------------- catalogue


def metric_create_custom(
    *,
    organisation: Organisation,
    name: str,
    unit: str,
    kind: str = Kind.COUNT.value,
    aggregation: str = Aggregation.SUM.value,
    description: str = "",
    numerator: Metric | None = None,
    denominator: Metric | None = None,
) -> Metric:
    """Add a centre's own metric to the catalogue, without a code change: a count, amount
    or duration it will enter, or a rate of two metrics it can see (``Formula.PERCENT``)."""
    name = name.strip()
    key = cells.normalise_name(name)
    for metric in selectors.metrics_for(organisation=organisation):
        names = {cells.normalise_name(n) for n in (metric.name, *metric.aliases)}
        if key in names:
            message = (
                _(
                    "“%(name)s” is already the custom metric “%(metric)s”: no need to"
                    " add it again"
                )
                if metric.is_custom
                else _(
                    "“%(name)s” is already the standard metric “%(metric)s”: no need"
                    " to add it again"
                )
            )
            raise ValidationError(
                {"name": message % {"name": name, "metric": metric.name}}
            )
    if unit not in UNITS:
        raise ValidationError(
            {
                "unit": _("The unit “%(unit)s” is not valid: choose one of %(units)s")
                % {"unit": unit, "units": "、".join(UNITS)}
            }
        )
    is_rate = kind == Kind.RATE.value
    if is_rate:
        visible = {m.pk for m in selectors.metrics_for(organisation=organisation)}
        if numerator is None or denominator is None:
            raise ValidationError(
                {"numerator": _("A rate needs a numerator and a denominator")}
            )
        if numerator.pk not in visible or denominator.pk not in visible:
            raise ValidationError(
                {
                    "numerator": _(
                        "The numerator and the denominator must be metrics available"
                        " to your unit"
                    )
                }
            )
    count = Metric.objects.filter(organisation=organisation).count()
    metric = Metric(
        code=f"{organisation.code}-c{count + 1}"[:64],
        name=name,
        kind=kind,
        unit="%" if is_rate else unit,
        group="自定义",
        aggregation=aggregation,
        formula=Formula.PERCENT.value if is_rate else "",
        numerator=numerator if is_rate else None,
        denominator=denominator if is_rate else None,
        description=description.strip(),
        position=1000 + count,
        is_custom=True,
        organisation=organisation,
    )
    metric.full_clean()
    metric.save()
    return metric


# --------------------------------------------------------------------------- seeds


def seed_workbooks_load() -> tuple[int, int]:
    """Load fixtures/operating_data/ as uploads by no user (来源“种子数据”), through the same
    path as a browser upload. Returns (uploads, values written); raises ``ValidationError``
    with the problems if a workbook is refused."""
    directory = Path(settings.BASE_DIR) / "fixtures" / "operating_data"
    uploads = values = 0
    for file_name, code in SEED_WORKBOOKS:
        organisation = Organisation.objects.get(code=code)
        outcome = operating_data_import(
            organisation=organisation,
            name=file_name,
            content=(directory / file_name).read_bytes(),
            source=SEED_SOURCE,
        )
        if not outcome.committed:
            raise ValidationError(
                [
                    f"{file_name} 第 {p.row} 行 {p.column}：{p.message}"
                    for p in outcome.problems
                ]
            )
        uploads += 1
        values += len(outcome.changes)
    return uploads, values
