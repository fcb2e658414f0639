"""The library search's order (targets.selectors.library_search) and a rename away from the
library entry (targets/library_links.py), on the seed library."""

from __future__ import annotations

import pytest

from targets.library_links import library_link_after_rename
from targets.models import LibraryIndicator, TargetForm
from targets.selectors import library_search

pytestmark = pytest.mark.django_db


def _names(query: str) -> list[str]:
    return [item.name for item in library_search(query)]


def test_the_name_itself_comes_first_then_prefixes() -> None:
    assert _names("接通率")[:2] == ["接通率", "15秒接通率"]
    names = _names("满意")
    assert names[0] == "满意率"
    assert names.index("满意率") < names.index("热线公众知晓度")


def test_an_alias_itself_comes_before_names_that_contain_the_query() -> None:
    # 接听率 is an alias of 接通率 and of nothing else's name
    assert _names("接听率")[0] == "接通率"


def test_nothing_for_blank_and_at_most_twenty() -> None:
    assert library_search("  ") == []
    assert len(library_search("率")) == 20


def test_a_rename_away_from_the_entry_unlinks_and_says_so() -> None:
    answer = TargetForm.objects.get(code="tianjin-2020").indicators.get(name="接通率")
    entry = answer.library_indicator
    assert entry is not None
    relink = library_link_after_rename(
        indicator=answer, name="坐席应答及时性", chosen=entry, level2="质量指标"
    )
    assert relink.library_indicator is None
    assert relink.notice == (
        "“接通率”已改名为“坐席应答及时性”，不再是指标库指标“接通率”：已取消与指标库的关联。"
    )


def test_a_rename_to_another_entrys_name_links_to_it_and_says_so() -> None:
    answer = TargetForm.objects.get(code="tianjin-2020").indicators.get(name="接通率")
    relink = library_link_after_rename(
        indicator=answer,
        name="15秒接通率",
        chosen=answer.library_indicator,
        level2="质量指标",
    )
    assert relink.library_indicator == LibraryIndicator.objects.get(name="15秒接通率")
    assert relink.notice == (
        "“接通率”已改名为“15秒接通率”：改为关联指标库指标“15秒接通率”，不再关联“接通率”。"
    )


def test_a_rename_to_an_alias_or_a_changed_value_keeps_the_link() -> None:
    answer = TargetForm.objects.get(code="tianjin-2020").indicators.get(name="接通率")
    entry = answer.library_indicator
    for name in ("接通率", "话务接通率", " 接通率 "):
        relink = library_link_after_rename(
            indicator=answer, name=name, chosen=entry, level2="质量指标"
        )
        assert (relink.library_indicator, relink.notice) == (entry, "")
