"""Issue 13 defect 7 (flags that mislead), in Chromium on the seed Tianjin 2020 form:

- the flags compare the 2020 targets only with what was known when they were set (2018 and
  2019), never with 2020's own actuals;
- 全年受理(咨询)量 is the catalogue's 咨询类受理量, not the total 受理量 (1036.39 万件);
- 录用合同制员工人数 "1030 人" is read from its text (a number to reach), so 运行监控 counts
  865 as 未达成, not 达成 under a "不高于" taken from the library;
- the library search ranks 接通率 before 15秒接通率 and 满意率 before 热线公众知晓度;
- renaming 接通率 away from its library entry removes the link, and says so.

Each of these failed on the code before (7c71de3's parent, 7f719fb): a flag citing
"2020 年…实际", one on 全年受理(咨询)量 against 受理量, 录用合同制员工人数 达成, 15秒接通率 and
热线公众知晓度 listed first, and the rename keeping the 接通率 tag without a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.models import Role
from targets.models import TargetForm
from tests.browser.test_target_review_flow import log_in, member, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _library_picks(page: Any, query: str) -> list[str]:
    page.fill("#library-q", "")
    page.fill("#library-q", query)
    page.wait_for_function(
        "q => document.querySelector('#library-results button.pick') &&"
        " document.getElementById('library-q').value === q",
        arg=query,
    )
    page.wait_for_timeout(300)  # the last keystroke's answer
    picks: list[str] = page.eval_on_selector_all(
        "#library-results button.pick", "els => els.map(e => e.textContent)"
    )
    return picks


def test_flags_and_monitoring_read_what_the_target_says(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    member("tj-centre", "tj-8890", Role.UNIT)
    base = live_server.url
    form = TargetForm.objects.get(code="tianjin-2020")
    unit = log_in(browser, base, "tj-centre")
    unit.goto(f"{base}/targets/tianjin-2020/")

    flags = unit.inner_text("#flags")
    unit.screenshot(path=str(artifacts / "flags-tianjin-2020.png"), full_page=True)
    # only 2018 and 2019 are cited for a 2020 target
    assert "2020 年" not in flags.replace("2020 年底", "")
    assert "“录用合同制员工人数”目标 1030 人 高于最近一年实际 777 人 32.56%" in flags
    assert "（历年月均人数：2018 年 621 人、2019 年 777 人）" in flags
    # 全年受理(咨询)量 is not held against the total 受理量
    assert "全年受理(咨询)量" not in flags
    assert "1036.39" not in flags and "751.92" not in flags

    # the library search: exact and prefix matches first
    picks = _library_picks(unit, "接通率")
    assert picks[:2] == ["接通率", "15秒接通率"]
    picks = _library_picks(unit, "满意")
    assert picks[0] == "满意率"
    assert picks.index("满意率") < picks.index("热线公众知晓度")

    # renaming 接通率 to something else unlinks it, and the page says so
    answer = form.indicators.get(name="接通率")
    assert unit.inner_text(f"#row-{answer.pk} .library-tag") == "接通率"
    unit.fill(f"#row-{answer.pk} input[name=name]", "坐席应答及时性")
    before = unit.get_attribute("#editor", "data-updates") or "0"
    with unit.expect_response(lambda r: r.url.endswith(f"/indicators/{answer.pk}/")):
        unit.click(f"#f-{answer.pk} button[type=submit]")
    settled(unit, before)
    assert unit.inner_text("#editor-messages") == (
        "“接通率”已改名为“坐席应答及时性”，不再是指标库指标“接通率”："
        "已取消与指标库的关联。"
    )
    assert unit.locator(f"#row-{answer.pk} .library-tag").count() == 0
    answer.refresh_from_db()
    assert (answer.name, answer.library_indicator) == ("坐席应答及时性", None)
    unit.screenshot(path=str(artifacts / "flags-renamed.png"), full_page=True)

    # 运行监控: "1030 人" to hire is not met by 865
    unit.goto(f"{base}/targets/tianjin-2020/monitoring/")
    staff = form.indicators.get(name="录用合同制员工人数")
    row = unit.inner_text(f"#monitor-{staff.pk}")
    assert "865 人" in row
    assert "未达成" in row
    assert "实际值 ≥ 1030 人（目标未写比较符，按“达到”读作“不低于”）" in row
    consultation = form.indicators.get(name="全年受理(咨询)量")
    assert "1036.39" not in unit.inner_text(f"#monitor-{consultation.pk}")
    unit.screenshot(path=str(artifacts / "flags-monitoring.png"), full_page=True)
