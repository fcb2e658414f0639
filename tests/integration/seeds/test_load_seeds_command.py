"""`load_seeds` loads everything or nothing, and refuses to load twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Organisation, Project
from targets.models import LibraryIndicator, TargetForm, TargetIndicator

pytestmark = pytest.mark.django_db


def test_loading_twice_is_refused_with_a_message_and_changes_nothing() -> None:
    before = TargetIndicator.objects.count()
    with pytest.raises(CommandError, match="种子数据已加载"):
        call_command("load_seeds")
    assert TargetIndicator.objects.count() == before


def test_if_empty_skips_quietly_when_already_loaded() -> None:
    out = StringIO()
    call_command("load_seeds", "--if-empty", stdout=out)
    assert out.getvalue().strip() == "种子数据已加载，跳过。"


def test_replace_reloads_the_same_objects() -> None:
    counts = (
        Organisation.objects.count(),
        Project.objects.count(),
        TargetForm.objects.count(),
        TargetIndicator.objects.count(),
        LibraryIndicator.objects.count(),
    )
    out = StringIO()
    call_command("load_seeds", "--replace", stdout=out)
    assert (
        Organisation.objects.count(),
        Project.objects.count(),
        TargetForm.objects.count(),
        TargetIndicator.objects.count(),
        LibraryIndicator.objects.count(),
    ) == counts
    assert "4 张绩效目标表" in out.getvalue()
    assert sorted(TargetForm.objects.values_list("code", flat=True)) == [
        "panjin-2023",
        "shanghai-2019",
        "suzhou-2023",
        "tianjin-2020",
    ]
    assert sorted(Project.objects.values_list("code", flat=True)) == [
        "panjin-2023",
        "shanghai-2019",
        "tianjin-2020",
    ]
