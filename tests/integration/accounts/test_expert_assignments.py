"""Expert assignments: who may be chosen (``experts_for``), who may assign
(``can_assign_experts``), and the service's own checks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from accounts.models import ExpertAssignment, Role
from accounts.scoping import experts_for
from evaluations.models import Evaluation
from evaluations.reviews.services import (
    expert_assignment_create,
    expert_assignment_delete,
)
from evaluations.scoping import can_assign_experts
from tests.personas import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts() -> None:
    member("tj-expert-a", "tj-czj", Role.EXPERT)
    member("tj-expert-b", "tj-8890", Role.EXPERT)
    member("pj-expert", "pj-czj", Role.EXPERT)
    member("tj-clerk", "tj-8890", Role.UNIT)


@pytest.mark.usefixtures("experts")
@pytest.mark.parametrize(
    ("organisation", "role", "expected"),
    [
        ("tj-czj", Role.FINANCE, ["tj-expert-a", "tj-expert-b"]),
        ("pj-czj", Role.FINANCE, ["pj-expert"]),
        ("tj-8890", Role.UNIT, ["tj-expert-b"]),
        ("tj-evaluator", Role.EVALUATOR, []),
        ("tj-czj", Role.EXPERT, []),
        ("tj-czj", Role.ADMINISTRATOR, ["pj-expert", "tj-expert-a", "tj-expert-b"]),
    ],
)
def test_experts_for_are_the_experts_of_visible_organisations(
    organisation: str, role: str, expected: list[str]
) -> None:
    user = member("asker", organisation, role)
    found = experts_for(user).order_by("username").values_list("username", flat=True)
    assert list(found) == expected


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.FINANCE, True),
        (Role.ADMINISTRATOR, True),
        (Role.DEPARTMENT, False),
        (Role.UNIT, False),
        (Role.EVALUATOR, False),
        (Role.EXPERT, False),
    ],
)
def test_only_finance_and_administrators_assign_experts(
    role: str, allowed: bool
) -> None:
    user = member("asker", "tj-czj", role)
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    assert can_assign_experts(user, evaluation) is allowed


def test_the_service_assigns_once_and_unassigns() -> None:
    expert = member("tj-expert-a", "tj-czj", Role.EXPERT)
    evaluation = Evaluation.objects.get(code="tianjin-2020")

    first, created = expert_assignment_create(evaluation=evaluation, expert=expert)
    again, created_again = expert_assignment_create(
        evaluation=evaluation, expert=expert
    )

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert ExpertAssignment.objects.filter(evaluation=evaluation).count() == 1
    expert_assignment_delete(assignment=first)
    assert ExpertAssignment.objects.filter(evaluation=evaluation).count() == 0


@pytest.mark.parametrize("make_user", ["unit", "no membership", "inactive expert"])
def test_the_service_refuses_anyone_but_an_active_expert(make_user: str) -> None:
    if make_user == "unit":
        user = member("tj-clerk", "tj-8890", Role.UNIT)
    elif make_user == "no membership":
        user = User.objects.create_user("stranger")
    else:
        user = member("tj-expert-a", "tj-czj", Role.EXPERT)
        user.is_active = False
        user.save()
    evaluation = Evaluation.objects.get(code="tianjin-2020")

    with pytest.raises(ValidationError) as refused:
        expert_assignment_create(evaluation=evaluation, expert=user)

    assert refused.value.messages == [gettext("Only expert reviewers can be assigned.")]
    assert ExpertAssignment.objects.count() == 0
