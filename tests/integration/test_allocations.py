"""Positions and codes taken as "the next free one" (issue 11, item 5): a read, then an
insert. A unique constraint now refuses a second insert of the same value, and the services
retry with the next one (``core.concurrency.allocate``).

On SQLite, one after the other: the constraints hold and a refused attempt is retried in
its own savepoint. On PostgreSQL, two threads with their own connections: the first takes
a value and holds its transaction open, the second reads the same "next" value, waits on
the unique index, is refused when the first commits, and takes the next one. Those threads
commit (they have to, to meet), so they work on rows of their own and delete them after.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction

from budgets.models import Project
from core.concurrency import allocate
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    Finding,
    Framework,
    Recommendation,
)
from evaluations.services import (
    finding_add,
    framework_tree,
    recommendation_add,
    self_evaluation_create,
)
from targets.models import TargetForm, TargetIndicator
from targets.services import (
    target_form_create,
    target_form_merge_indicators,
    target_indicator_add,
    target_indicator_move,
)
from targets.workbooks_io import ImportedNode

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
YEAR = 2036  # a year no seed has


def _draft_form(code: str = "pj-2036-positions") -> TargetForm:
    return target_form_create(
        code=code,
        layout="project",
        year=YEAR,
        project=Project.objects.get(code="panjin-2023"),
        title="项目支出绩效目标表",
    )


def _self_evaluation() -> Evaluation:
    return self_evaluation_create(
        project=Project.objects.get(code="panjin-2023"),
        year=YEAR,
        indicators=framework_tree(
            Framework.objects.get(code="national-self-evaluation")
        ),
    )


# ---------------------------------------------------------------------- one after the other


@pytest.mark.django_db
def test_indicator_positions_are_unique_per_form() -> None:
    form = _draft_form()
    first = target_indicator_add(form=form, level="level1", name="产出指标")
    second = target_indicator_add(form=form, level="level1", name="效益指标")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetIndicator.objects.create(
            form=form, level="level1", name="重复", position=1
        )


@pytest.mark.django_db
def test_a_refused_attempt_is_retried_with_the_next_value_in_its_own_savepoint() -> (
    None
):
    form = _draft_form()
    target_indicator_add(form=form, level="level1", name="产出指标")  # position 1
    tried: list[int] = []

    def attempt(number: int) -> TargetIndicator:
        position = 1 if number == 0 else 2  # the first read is stale
        tried.append(position)
        return TargetIndicator.objects.create(
            form=form, level="level1", name="效益指标", position=position
        )

    added = allocate(attempt, field="position")
    assert (tried, added.position) == ([1, 2], 2)
    assert list(form.indicators.values_list("position", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_retries_are_bounded() -> None:
    form = _draft_form()
    target_indicator_add(form=form, level="level1", name="产出指标")
    calls: list[int] = []

    def always_taken(number: int) -> TargetIndicator:
        calls.append(number)
        return TargetIndicator.objects.create(
            form=form, level="level1", name="重复", position=1
        )

    with pytest.raises(IntegrityError):
        allocate(always_taken, field="position", attempts=3)
    assert calls == [0, 1, 2]
    assert form.indicators.count() == 1


@pytest.mark.django_db
def test_moving_keeps_positions_unique() -> None:
    form = _draft_form()
    output = target_indicator_add(form=form, level="level1", name="产出指标")
    benefit = target_indicator_add(form=form, level="level1", name="效益指标")
    target_indicator_move(indicator=benefit, offset=-1)
    assert list(
        form.indicators.order_by("position").values_list("name", "position")
    ) == [("效益指标", 1), ("产出指标", 2)]
    output.refresh_from_db()
    assert output.position == 2


@pytest.mark.django_db
def test_merging_an_imported_tree_renumbers_without_a_collision() -> None:
    form = _draft_form()
    output = target_indicator_add(form=form, level="level1", name="产出指标")
    quality = target_indicator_add(
        form=form, level="level2", name="质量指标", parent=output
    )
    tree = [
        ImportedNode(
            "level1",
            "产出指标",
            children=[
                ImportedNode(
                    "level2",
                    "数量指标",
                    children=[ImportedNode("level3", "受理量", "750 万件")],
                ),
                ImportedNode(
                    "level2",
                    "质量指标",
                    children=[ImportedNode("level3", "接通率", "≥90%")],
                ),
            ],
        )
    ]
    assert target_form_merge_indicators(form=form, roots=tree) == 5
    assert list(
        form.indicators.order_by("position").values_list("name", "position")
    ) == [
        ("产出指标", 1),
        ("数量指标", 2),
        ("受理量", 3),
        ("质量指标", 4),
        ("接通率", 5),
    ]
    # the kept rows are the same rows; the one whose place did not change has no new
    # history row for the renumbering
    assert set(form.indicators.values_list("pk", flat=True)) >= {output.pk, quality.pk}
    assert output.history.count() == 1


@pytest.mark.django_db
def test_findings_and_recommendations_take_the_next_position() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    before = list(evaluation.findings.values_list("position", flat=True))
    finding = finding_add(evaluation=evaluation, title="新问题", text="说明")
    assert finding.position == max(before) + 1
    recommendation = recommendation_add(evaluation=evaluation, title="新建议", text="x")
    assert (
        recommendation.position
        == max(
            evaluation.recommendations.exclude(pk=recommendation.pk).values_list(
                "position", flat=True
            )
        )
        + 1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(
            evaluation=evaluation, position=finding.position, title="重复", text="x"
        )


@pytest.mark.django_db
def test_self_evaluation_codes_count_up() -> None:
    first, second = _self_evaluation(), _self_evaluation()
    assert (first.code, second.code) == (
        f"panjin-2023-{YEAR}-self-1",
        f"panjin-2023-{YEAR}-self-2",
    )


# ----------------------------------------------------------------------- at the same time


def _waiting_on_a_lock(seconds: float = 10) -> None:
    """Until another connection waits on a lock (the second insert on the unique index)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second request never waited on the first")


def _race(
    hold: Callable[[], Any], then: Callable[[], Any]
) -> tuple[Any, Any | BaseException]:
    """``hold`` in a thread whose transaction stays open until ``then`` (in another
    thread, with its own connection) waits on it; both results (or ``then``'s error)."""
    held, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = hold()
                held.set()
                release.wait(15)
        finally:
            held.set()
            connections.close_all()

    def second() -> None:
        try:
            results["second"] = then()
        except BaseException as error:  # reported to the test
            results["second"] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert held.wait(15)
    two = threading.Thread(target=second)
    two.start()
    try:
        _waiting_on_a_lock()
    finally:
        release.set()
        one.join(20)
        two.join(20)
    return results["first"], results["second"]


def _in_thread[T](work: Callable[[], T]) -> T:
    """``work`` committed by a connection of its own (outside the test's transaction)."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return result["value"]


@pytest.fixture
def committed() -> Iterator[list[Callable[[], None]]]:
    """Clean-ups run after the test, committed like the rows they remove."""
    cleanups: list[Callable[[], None]] = []
    yield cleanups
    for cleanup in reversed(cleanups):
        _in_thread(cleanup)


postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="two connections at once: PostgreSQL (SQLite: above)"
)


@postgresql_only
@pytest.mark.django_db
def test_two_simultaneous_additions_take_two_positions(
    committed: list[Callable[[], None]],
) -> None:
    form = _in_thread(lambda: _draft_form("pj-2036-race"))

    def remove() -> None:
        TargetIndicator.history.filter(form_id=form.pk).delete()
        TargetForm.objects.filter(pk=form.pk).delete()
        TargetForm.history.filter(id=form.pk).delete()

    committed.append(remove)
    first, second = _race(
        lambda: target_indicator_add(form=form, level="level1", name="产出指标"),
        lambda: target_indicator_add(form=form, level="level1", name="效益指标"),
    )
    assert not isinstance(second, BaseException), second
    assert (first.position, second.position) == (1, 2)


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "add"),
    [(Finding, finding_add), (Recommendation, recommendation_add)],
    ids=["findings", "recommendations"],
)
def test_two_simultaneous_findings_or_recommendations_take_two_positions(
    model: type[Finding] | type[Recommendation],
    add: Callable[..., Finding | Recommendation],
    committed: list[Callable[[], None]],
) -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    rows = model.objects.filter(evaluation=evaluation)
    last = max(rows.values_list("position", flat=True))
    committed.append(lambda: rows.filter(title__in=["甲", "乙"]).delete())
    first, second = _race(
        lambda: add(evaluation=evaluation, title="甲", text="x"),
        lambda: add(evaluation=evaluation, title="乙", text="x"),
    )
    assert not isinstance(second, BaseException), second
    assert (first.position, second.position) == (last + 1, last + 2)


@postgresql_only
@pytest.mark.django_db
def test_two_simultaneous_self_evaluations_take_two_codes(
    committed: list[Callable[[], None]],
) -> None:
    def remove() -> None:
        created = Evaluation.objects.filter(code__startswith=f"panjin-2023-{YEAR}-self")
        EvaluationIndicator.history.filter(
            evaluation_id__in=list(created.values_list("pk", flat=True))
        ).delete()
        created.delete()

    committed.append(remove)
    first, second = _race(_self_evaluation, _self_evaluation)
    assert not isinstance(second, BaseException), second
    assert (first.code, second.code) == (
        f"panjin-2023-{YEAR}-self-1",
        f"panjin-2023-{YEAR}-self-2",
    )
