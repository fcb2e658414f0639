"""A page posted back as it was drawn writes no history row; one change writes exactly one.

Each page is read as a browser reads it: the form's fields with the values drawn (hidden
ones, such as an optimistic-concurrency version, included), then posted unchanged, then
posted with one field changed. Pages: the budget year, the target form's indicator
editor, the evaluator's scoring page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from budgets.models import BudgetLine, BudgetYear
from evaluations.models import EvaluationIndicator
from targets.models import TargetIndicator
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The name/value pairs a browser posts for the form with ``action`` (or ``id``):
    fields inside it and fields anywhere on the page that name it with ``form="…"``."""

    def __init__(self, *, action: str | None = None, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.action, self.form_id = action, form_id
        self.current: str | None = None  # the id of the form being read, or a marker
        self.found: list[tuple[str, str, str]] = []  # (owner form, name, value)
        self.select: tuple[str, str] | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: tuple[str, str] | None = None
        self.text = ""

    def handle_starttag(
        self, tag: str, attr_list: list[tuple[str, str | None]]
    ) -> None:
        attrs = dict(attr_list)
        if tag == "form":
            ours = (self.action is not None and attrs.get("action") == self.action) or (
                self.form_id is not None and attrs.get("id") == self.form_id
            )
            if ours and attrs.get("id"):
                self.form_id = attrs["id"]
            self.current = "#target" if ours else f"#other-{attrs.get('id')}"
            return
        owner = attrs.get("form") or self.current or ""
        name = attrs.get("name") or ""
        if "disabled" in attrs:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.found.append((owner, name, attrs.get("value") or default))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = (
                (owner, name),
                None,
                False,
            )
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs and not self.select_chosen:
                self.found.append((*self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = (owner, name), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            if not self.select_chosen and self.select_first is not None:
                self.found.append((*self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.found.append((*self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    @property
    def fields(self) -> list[tuple[str, str]]:
        owners = {"#target", self.form_id}
        return [(name, value) for owner, name, value in self.found if owner in owners]


def _drawn(
    client: Client, page: str, *, action: str | None = None, form_id: str | None = None
) -> dict[str, str]:
    response = client.get(page)
    assert response.status_code == 200
    parser = _FormFields(action=action, form_id=form_id)
    parser.feed(response.content.decode())
    fields = dict(parser.fields)
    fields.pop("csrfmiddlewaretoken", None)
    assert fields, f"no form {action or form_id} on {page}"
    return fields


def _rows(model: type[Model]) -> int:
    return model.history.count()  # type: ignore[attr-defined,no-any-return]


def _why(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.findall(r'class="[^"]*(?:error|conflict)[^"]*"[^>]*>(.*?)</', html, re.S)
    return " | ".join(part.strip() for part in found) or html[:500]


@pytest.mark.parametrize(
    ("page", "organisation", "role", "field", "new_value"),
    [
        ("scoring", "tj-evaluator", Role.EVALUATOR, "reason", "全国排名第二"),
        ("indicator editor", "tj-8890", Role.UNIT, "value", "大于 96%"),
    ],
)
def test_a_page_posted_unchanged_adds_no_history_and_a_change_adds_one(
    client: Client,
    page: str,
    organisation: str,
    role: str,
    field: str,
    new_value: str,
) -> None:
    member = log_in_as(
        f"{organisation}-{role}-history", organisation, role, client=client
    )
    row: EvaluationIndicator | TargetIndicator
    if page == "scoring":
        row = EvaluationIndicator.objects.get(
            evaluation__code="tianjin-2020", name="坐席电话接听率"
        )
        drawn_on = reverse("evaluations:detail", args=["tianjin-2020"])
        url = reverse("evaluations:scores", args=["tianjin-2020"])
        field = f"row-{row.pk}-{field}"  # the page's one form holds every row
    else:
        row = TargetIndicator.objects.get(form__code="tianjin-2020", name="接通率")
        drawn_on = reverse("targets:detail", args=["tianjin-2020"])
        url = reverse("targets:indicator_update", args=["tianjin-2020", row.pk])
    before = row.history.count()

    response = member.post(url, _drawn(member, drawn_on, action=url))
    assert response.status_code in (200, 302), _why(response)
    assert row.history.count() - before == 0

    changed = _drawn(member, drawn_on, action=url)
    assert changed[field] != new_value
    changed[field] = new_value
    response = member.post(url, changed)
    assert response.status_code in (200, 302), _why(response)
    assert row.history.count() - before == 1
    latest = row.history.first()
    assert latest is not None
    assert new_value in (latest.reason if page == "scoring" else latest.value_text)


def test_the_budget_page_posted_unchanged_adds_no_history(client: Client) -> None:
    unit = log_in_as(
        f"tj-8890-{Role.UNIT}-history", "tj-8890", Role.UNIT, client=client
    )
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    page = reverse("budgets:detail", args=["tianjin-2020", 2020])
    drawn = _drawn(unit, page, form_id="budget-form")
    field = next(name for name in drawn if name.endswith("expenditure"))
    before = (_rows(BudgetYear), _rows(BudgetLine))
    response = unit.post(page, drawn)
    assert response.status_code in (200, 302), _why(response)
    assert (_rows(BudgetYear), _rows(BudgetLine)) == before
    changed = _drawn(unit, page, form_id="budget-form")
    changed[field] = "1.00" if changed[field] != "1.00" else "2.00"
    response = unit.post(page, changed)
    assert response.status_code in (200, 302), _why(response)
    assert _rows(BudgetYear) + _rows(BudgetLine) - sum(before) == 1
    year.refresh_from_db()
