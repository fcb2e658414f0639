"""Every form of the project refuses control characters in the text a user types, with a
Chinese message naming the field (core/forms.py, the rule in kernel/text.py)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms

from budgets.forms import AdjustmentRequestForm
from budgets.models import BudgetYear
from core.forms import ControlCharacterRule, Form

APPS = (
    "accounts",
    "budgets",
    "core",
    "documents",
    "evaluations",
    "hotline_perf",
    "operations",
    "targets",
)


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def test_every_form_of_the_project_has_the_rule() -> None:
    found = _project_forms()
    assert len(found) >= 17
    assert (
        sorted(
            f"{cls.__module__}.{cls.__qualname__}"
            for cls in found
            if not issubclass(cls, ControlCharacterRule)
        )
        == []
    )


class _Sample(Form):
    title = forms.CharField(label="名称")
    note = forms.CharField(label="备注", required=False)


@pytest.mark.parametrize(
    ("value", "char"), [("接通率\x01", "U+0001"), ("理由\x00", "U+0000")]
)
def test_a_control_character_is_refused_naming_the_field(value: str, char: str) -> None:
    form = _Sample({"title": value, "note": "正常\n第二行\t"})
    assert not form.is_valid()
    assert form.errors == {
        "title": [
            f"“名称”含有不可见的控制字符（{char}），"
            "多由从其他程序复制粘贴带入：请删除该字符后重新提交。"
        ]
    }


def test_tab_and_newlines_are_text() -> None:
    form = _Sample({"title": "接通率", "note": "第一行\r\n第二行\t"})
    assert form.is_valid()


@pytest.mark.django_db
def test_a_field_added_in_init_has_the_rule_too() -> None:
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    line = budget_year.lines.order_by("position")[0]
    form = AdjustmentRequestForm(
        {"line": line.pk, "amount": "1", "reason": "物业费\x00上涨"},
        budget_year=budget_year,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["reason"]
    assert "“理由”含有不可见的控制字符（U+0000）" in form.errors["reason"][0]
