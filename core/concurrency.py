"""Two people editing the same thing: optimistic concurrency, and allocations that retry.

Every row a page lets two people edit carries a ``version`` (``Versioned``). The page's form
carries the version it was drawn from; the service takes the row for its save with
``claim``, one ``UPDATE … SET version = version + 1 WHERE pk = … AND version = …`` inside
its transaction. When someone saved the row in between, nothing matches, nothing is
written, and ``EditConflict`` (a ``ValidationError``, so every existing error path refuses
the save) names who saved, when, and each field where the saved value and the typed one
differ. The page draws the form again with what the user typed and the current version, so
nothing of either person is lost: theirs is stored, yours is on the screen to compare and
save again on purpose.

Positions and codes taken as "the next free one" (a read, then an insert) sit under a
unique constraint; ``allocate`` retries such an insert a few times, each in its own
savepoint, when a simultaneous request took the same value first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.people import person_name
from kernel.decimals import as_written

ALLOCATION_ATTEMPTS = 5


class Versioned(models.Model):
    """A row two people may edit: ``version`` counts the saves of what its pages edit."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Difference:
    """A field where the stored value (saved by the other person) and the typed one differ."""

    label: str
    theirs: str
    yours: str


class EditConflict(ValidationError):
    """Someone saved the row after the page was drawn: the save is refused."""

    def __init__(
        self,
        *,
        what: str,
        differences: list[Difference],
        by: str = "",
        at: datetime | None = None,
        version: int = 0,
    ) -> None:
        self.what, self.differences, self.by, self.at = what, differences, by, at
        self.version = version  # the row's version now: the form's next one
        who = by or _("Someone else")
        when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""
        lines = [
            _(
                "%(who)s saved %(what)s at %(when)s, after you opened this page: "
                "your save was not written, what you typed is still here."
            )
            % {"who": who, "what": what, "when": when}
            if when
            else _(
                "%(who)s saved %(what)s after you opened this page: your save was "
                "not written, what you typed is still here."
            )
            % {"who": who, "what": what}
        ]
        lines += [
            _("%(field)s: saved as “%(theirs)s”, you typed “%(yours)s”.")
            % {"field": d.label, "theirs": d.theirs, "yours": d.yours}
            for d in differences
        ]
        lines.append(_("Check the saved values, then save again to replace them."))
        super().__init__(lines)


def shown(value: object) -> str:
    """A stored or typed value as the conflict message prints it."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return as_written(value)
    return str(value)


def version_field() -> forms.IntegerField:
    """The hidden field a page's form carries the row's version in (absent: no check)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def differences(
    saved: Mapping[str, object], typed: Mapping[str, object]
) -> list[Difference]:
    """The labels (in ``typed``'s order) whose saved and typed values differ."""
    return [
        Difference(label, shown(saved.get(label)), shown(value))
        for label, value in typed.items()
        if _same(saved.get(label)) != _same(value)
    ]


def _same(value: object) -> object:
    # 8 and 8.00 are the same score; an empty text and no value are the same blank
    if isinstance(value, Decimal):
        return value.normalize()
    return None if value == "" else value


def last_saved_by(row: models.Model) -> tuple[str, datetime | None]:
    """Who saved ``row`` last and when, from its history (simple_history) if it has one."""
    history = getattr(type(row), "history", None)
    if history is None:
        return "", None
    record = (
        history.filter(**{row._meta.pk.attname: row.pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return "", None
    user: AbstractBaseUser | None = record.history_user
    return person_name(user), record.history_date


def claim[V: Versioned](
    row: V,
    *,
    version: int | None,
    what: str,
    typed: Mapping[str, object],
    saved: Callable[[V], Mapping[str, object]],
) -> None:
    """Take ``row`` for a save, inside the caller's transaction, before writing anything.

    ``version`` is the one the page was drawn from (None: no page, e.g. an import or a
    command, which saves whatever is stored). The row's version goes up by one when it
    still is ``version``; otherwise ``EditConflict`` lists, by label, where the stored
    values (``saved(row)`` of the row as stored) and ``typed`` differ (none: the save
    goes ahead, it loses nothing). ``row.version``
    is set to the new version, so the caller's ``save()`` keeps it.
    """
    model = type(row)
    rows = model._default_manager.filter(pk=row.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        stored = model._default_manager.get(pk=row.pk)
        changed = differences(saved(stored), typed)
        if not changed:  # typed exactly what is stored: nobody's work is lost
            return claim(row, version=None, what=what, typed=typed, saved=saved)
        by, at = last_saved_by(stored)
        raise EditConflict(
            what=what, differences=changed, by=by, at=at, version=stored.version
        )
    row.version = model._default_manager.values_list("version", flat=True).get(
        pk=row.pk
    )


def bump(row: Versioned) -> None:
    """Count a save that no page's form carries a version for (an import, an approved
    adjustment), so a page drawn before it refuses its stale save."""
    claim(row, version=None, what="", typed={}, saved=lambda stored: {})


def allocate[T](
    attempt: Callable[[int], T], *, field: str, attempts: int = ALLOCATION_ATTEMPTS
) -> T:
    """Run ``attempt(n)`` (n = 0, 1, …), which reads the next free position or code and
    inserts it, each time in a savepoint. When a simultaneous request took that value
    first — the unique constraint refuses the insert, or ``full_clean`` already sees the
    value taken (an error on ``field``) — read again and retry, at most ``attempts``
    times (the last refusal is raised)."""
    for number in range(attempts):
        try:
            with transaction.atomic():
                return attempt(number)
        except IntegrityError:
            if number == attempts - 1:
                raise
        except ValidationError as exc:
            taken = hasattr(exc, "error_dict") and field in exc.error_dict
            if not taken or number == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def model_field_label(model: type[models.Model], name: str) -> str:
    """A field's verbose name, as the conflict message labels it."""
    field: Any = model._meta.get_field(name)
    return str(field.verbose_name)
