"""Issue 14 item 6: reconstructed operating counts carry their 重构 mark on every page that
shows them — here the 运行监控 page (and the review page, through the same cells), which
cites each indicator's actual with its numerator ÷ denominator (Panjin's 294030 ÷ 300000 are counts read back
from the published 98.01%, not the centre's)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from budgets.models import Organisation
from operations.selectors import actual_values
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

MARK = '<span class="reconstructed"'


def _cited(html: str, counts: str) -> list[str]:
    """The achieved-value notes that cite ``counts``, each up to its cell's end."""
    return [part.split("</td>")[0] for part in html.split(counts)[1:]]


def test_a_published_rate_keeps_its_value_and_its_counts_carry_the_mark() -> None:
    values = actual_values(
        organisation=Organisation.objects.get(code="pj-yshj"), year=2023
    )
    answer_rate, visit_rate = values["answer-rate"], values["callback-rate"]
    assert (answer_rate.display, answer_rate.reconstructed) == ("98.01%", False)
    assert answer_rate.counts_reconstructed is True
    assert (visit_rate.display, visit_rate.reconstructed) == ("30.90%", True)
    assert values["calls-answered"].reconstructed is True


def test_panjins_counts_are_marked_where_the_targets_cite_them() -> None:
    client = log_in_as("pj-fin", "pj-czj", Role.FINANCE, client=Client())
    html = client.get("/targets/panjin-2023/monitoring/").content.decode()
    cited = _cited(html, "294030 次 ÷ 300000 次")
    assert cited, "the answer rate's counts are cited"
    assert all(MARK in note and "重构" in note for note in cited)


def test_tianjins_reported_counts_carry_no_mark() -> None:
    client = log_in_as("tj-fin", "tj-czj", Role.FINANCE, client=Client())
    html = client.get("/targets/tianjin-2020/monitoring/").content.decode()
    assert "1012.36 万次 ÷ 1053.2 万次" in html
    assert MARK not in html
