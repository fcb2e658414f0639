"""Each app loads its own part of the seeds; ``load_seeds`` finds them through the app
registry and calls them bottom layer first (core/seeding.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from core.seeding import app_seeds

pytestmark = pytest.mark.django_db


def test_the_apps_seeds_are_called_bottom_layer_first() -> None:
    # operations before evaluations: the evaluations take their actual values from the
    # operating data (INSTALLED_APPS lists evaluations first).
    assert [module.__name__ for module in app_seeds()] == [
        "budgets.seeds",
        "targets.seeds",
        "operations.seeds",
        "evaluations.seeds",
        # no seeds of their own: replacing deletes their rows first (they protect the
        # evaluations), loading writes the default grade rule (issue 15 §3, §4)
        "rectifications.seeds",
        "results_use.seeds",
    ]


def test_a_dry_run_says_what_each_app_loaded_and_writes_nothing() -> None:
    out = StringIO()
    call_command("load_seeds", "--replace", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "校验通过（未写入）：9 个组织、3 个项目、3 个项目预算年度、1 个部门预算、"
        "4 张绩效目标表（133 个指标）、指标库 96 个指标、5 个评价指标体系、2 项绩效评价、"
        "已审核通过的绩效目标表 tianjin-2020、panjin-2023。"
    )


def test_load_seeds_approves_the_forms_their_source_says_were_approved() -> None:
    """Seed 001 holds the project to tianjin-2020's values, seed 004 evaluates the targets
    set at the start of 2023: both forms load approved, quoting where the source says so;
    Shanghai's 申报表 and Suzhou's form stay drafts (and every form with --as-drafts)."""
    from targets.models import TargetForm

    call_command("load_seeds", "--replace", stdout=StringIO())
    status = dict(TargetForm.objects.values_list("code", "status"))
    assert status == {
        "tianjin-2020": "approved",
        "panjin-2023": "approved",
        "shanghai-2019": "draft",
        "suzhou-2023": "draft",
    }
    notes = TargetForm.objects.get(code="tianjin-2020").source_notes
    assert (
        "审核通过（据来源）：001 四、（一）：项目设定的录用合同工人数为 1030 名"
        in notes
    )
    call_command("load_seeds", "--replace", "--as-drafts", stdout=StringIO())
    assert set(TargetForm.objects.values_list("status", flat=True)) == {"draft"}
