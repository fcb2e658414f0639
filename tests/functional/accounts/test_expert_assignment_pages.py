"""Assigning expert reviewers (专家) from the evaluation's page: the finance bureau that sees
the evaluation (or an administrator) assigns the experts of organisations it sees; the
expert reads the evaluation from then on, and no longer once unassigned."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.utils.translation import gettext

from accounts.models import ExpertAssignment, Role
from evaluations.models import Evaluation
from tests.personas import member

pytestmark = pytest.mark.django_db

DETAIL = "/evaluations/tianjin-2020/"
ASSIGN = "/reviews/evaluations/tianjin-2020/experts/"
REVIEW = "/reviews/evaluations/tianjin-2020/"
# The English msgid; the page shows its Chinese translation (the active language).
NOT_ASSIGNABLE = "That user is not an expert reviewer you can assign."


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unassign_url(assignment: ExpertAssignment) -> str:
    return (
        f"/reviews/evaluations/{assignment.evaluation.code}/experts/{assignment.pk}"
        "/remove/"
    )


def assignments() -> list[tuple[str, str]]:
    """The whole table, as (expert, evaluation)."""
    return list(
        ExpertAssignment.objects.order_by("pk").values_list(
            "user__username", "evaluation__code"
        )
    )


def shown_messages(response: HttpResponse) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def panel_rows(html: str) -> list[list[str]]:
    """The cells of the experts table, tags stripped."""
    table = re.search(r'<table[^>]*id="expert-assignments".*?</table>', html, re.S)
    assert table is not None
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S)
    assert body is not None
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
        )
    ]


def expert_options(html: str) -> list[str]:
    select = re.search(r'<select name="expert".*?</select>', html, re.S)
    return [] if select is None else re.findall(r">([^<]+)</option>", select.group(0))


@pytest.fixture
def finance() -> Client:
    return login(member("tj-finance-staff", "tj-czj", Role.FINANCE))


@pytest.fixture
def expert() -> User:
    return member("tj-reviewer", "tj-czj", Role.EXPERT)


def test_finance_assigns_an_expert_who_reviews_until_unassigned(
    finance: Client, expert: User
) -> None:
    reviewer = login(expert)
    assert reviewer.get(REVIEW).status_code == 404
    assert expert_options(finance.get(DETAIL).content.decode()) == [
        "tj-reviewer（天津市财政局）"
    ]

    response = finance.post(ASSIGN, {"expert": expert.pk}, follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert assignments() == [("tj-reviewer", "tianjin-2020")]
    assert shown_messages(response) == [
        gettext("%(name)s can now review this evaluation.") % {"name": "tj-reviewer"}
    ]
    html = response.content.decode()
    [(name, organisation, assigned_at, button)] = panel_rows(html)
    assert (name, organisation) == ("tj-reviewer", "天津市财政局")
    assert button == gettext("Unassign")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", assigned_at)
    assert expert_options(html) == []  # nobody else to choose
    assert reviewer.get(REVIEW).status_code == 200
    listed = reviewer.get("/evaluations/").content.decode()
    assert re.findall(r'href="/evaluations/([a-z0-9-]+)/"', listed) == ["tianjin-2020"]

    assignment = ExpertAssignment.objects.get(user=expert)
    response = finance.post(unassign_url(assignment), follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert assignments() == []
    assert shown_messages(response) == [
        gettext("%(name)s no longer reviews this evaluation.") % {"name": "tj-reviewer"}
    ]
    assert reviewer.get(REVIEW).status_code == 404
    assert reviewer.get(DETAIL).status_code == 404


def test_assigning_an_expert_twice_changes_nothing_and_says_so(
    finance: Client, expert: User
) -> None:
    finance.post(ASSIGN, {"expert": expert.pk}, follow=True)  # reads its message
    first = ExpertAssignment.objects.get(user=expert)

    response = finance.post(ASSIGN, {"expert": expert.pk}, follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert list(ExpertAssignment.objects.values_list("pk", "assigned_at")) == [
        (first.pk, first.assigned_at)
    ]
    assert shown_messages(response) == [
        gettext("%(name)s is already assigned to this evaluation.")
        % {"name": "tj-reviewer"}
    ]


@pytest.mark.parametrize(
    ("make_choice", "message"),
    [
        pytest.param(
            lambda: member("tj-clerk", "tj-8890", Role.UNIT).pk,
            NOT_ASSIGNABLE,
            id="not-an-expert",
        ),
        pytest.param(
            lambda: member("pj-reviewer", "pj-czj", Role.EXPERT).pk,
            NOT_ASSIGNABLE,
            id="expert-of-an-invisible-organisation",
        ),
        pytest.param(lambda: 987654, NOT_ASSIGNABLE, id="nonexistent-id"),
        pytest.param(lambda: "abc", NOT_ASSIGNABLE, id="not-an-id"),
        pytest.param(lambda: "", "Choose an expert reviewer.", id="nobody"),
    ],
)
def test_a_user_who_cannot_be_assigned_is_refused_with_a_message(
    finance: Client,
    expert: User,
    make_choice: Callable[[], object],
    message: str,
) -> None:
    ExpertAssignment.objects.create(
        user=expert, evaluation=Evaluation.objects.get(code="panjin-2023")
    )
    before = assignments()

    response = finance.post(ASSIGN, {"expert": make_choice()}, follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert shown_messages(response) == [gettext(message)]
    assert assignments() == before == [("tj-reviewer", "panjin-2023")]


def test_an_inactive_expert_cannot_be_assigned(finance: Client, expert: User) -> None:
    expert.is_active = False
    expert.save()

    response = finance.post(ASSIGN, {"expert": expert.pk}, follow=True)

    assert shown_messages(response) == [gettext(NOT_ASSIGNABLE)]
    assert assignments() == []


def test_tianjin_finance_cannot_reach_the_panjin_evaluation(
    finance: Client, expert: User
) -> None:
    panjin = ExpertAssignment.objects.create(
        user=member("pj-reviewer", "pj-czj", Role.EXPERT),
        evaluation=Evaluation.objects.get(code="panjin-2023"),
    )
    assign = finance.post(
        "/reviews/evaluations/panjin-2023/experts/", {"expert": expert.pk}
    )
    unassign = finance.post(unassign_url(panjin))
    assert (assign.status_code, unassign.status_code) == (404, 404)
    assert assignments() == [("pj-reviewer", "panjin-2023")]


@pytest.mark.parametrize(
    ("organisation", "role"),
    [
        ("tj-8890", Role.UNIT),
        ("tj-zwfw", Role.DEPARTMENT),
        ("tj-evaluator", Role.EVALUATOR),
        ("tj-czj", Role.EXPERT),
    ],
)
def test_readers_who_are_not_finance_are_refused_and_see_the_list_only(
    expert: User, organisation: str, role: str
) -> None:
    assignment = ExpertAssignment.objects.create(
        user=expert, evaluation=Evaluation.objects.get(code="tianjin-2020")
    )
    reader = member("reader", organisation, role)
    if role == Role.EXPERT:
        ExpertAssignment.objects.create(user=reader, evaluation=assignment.evaluation)
    client = login(reader)
    before = assignments()

    assert client.post(ASSIGN, {"expert": expert.pk}).status_code == 403
    assert client.post(unassign_url(assignment)).status_code == 403
    assert assignments() == before

    html = client.get(DETAIL).content.decode()
    # name, organisation, assigned at: no button column
    assert [(row[0], row[1], len(row)) for row in panel_rows(html)] == [
        (expert, "天津市财政局", 3) for expert, _code in before
    ]
    assert "expert-assign-form" not in html and "/remove/" not in html


def test_anonymous_users_are_sent_to_the_login_page(expert: User) -> None:
    assignment = ExpertAssignment.objects.create(
        user=expert, evaluation=Evaluation.objects.get(code="tianjin-2020")
    )
    for url in (ASSIGN, unassign_url(assignment)):
        response = Client().post(url, {"expert": expert.pk})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert assignments() == [("tj-reviewer", "tianjin-2020")]


def test_an_administrator_assigns_an_expert_of_any_organisation() -> None:
    admin = login(member("root", "tj-czj", Role.ADMINISTRATOR))
    panjin_expert = member("pj-reviewer", "pj-czj", Role.EXPERT)

    response = admin.post(ASSIGN, {"expert": panjin_expert.pk}, follow=True)

    assert response.redirect_chain == [(DETAIL, 302)]
    assert assignments() == [("pj-reviewer", "tianjin-2020")]
    assert panel_rows(response.content.decode())[0][:2] == [
        "pj-reviewer",
        "盘锦市财政局",
    ]


def test_the_panel_says_when_no_expert_is_assigned(finance: Client) -> None:
    html = finance.get(DETAIL).content.decode()
    assert panel_rows(html) == [
        [gettext("No expert reviewers are assigned to this evaluation.")]
    ]
    assert expert_options(html) == []
    assert gettext("There are no other expert reviewers you can assign.") in html
