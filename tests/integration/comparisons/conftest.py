from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership
from budgets.models import Organisation
from operations.services import operating_data_commit, operating_data_upload

Row = tuple[str, str, object, str]


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def centre(code: str, name: str, *, region: str, city: str) -> Organisation:
    return Organisation.objects.create(
        code=code, name=name, kind=Organisation.Kind.UNIT, region=region, city=city
    )


def upload(organisation: Organisation, rows: Sequence[Row]) -> None:
    """Upload and confirm operating values (指标, 期间, 数值, 单位) as the centre's own
    user does in the browser (a CSV through the same import)."""
    user = User.objects.create_user(f"{organisation.code}-uploader")
    Membership.objects.create(user=user, organisation=organisation, role="unit")
    lines = ["填报单位,指标,期间,数值,单位,备注"]
    lines += [f"{organisation.name},{m},{p},{v},{u}," for m, p, v, u in rows]
    outcome = operating_data_upload(
        organisation=organisation,
        name=f"{organisation.code}.csv",
        content=("\r\n".join(lines) + "\r\n").encode("utf-8"),
        uploaded_by=user,
    )
    assert outcome.ok, outcome.problems
    assert outcome.upload is not None
    committed = operating_data_commit(upload=outcome.upload)
    assert committed.committed, committed.problems


# Three more Liaoning centres in 2023, uploaded by their own users: 接通率 98.01 % (a tie
# with Panjin's published figure), 96.00 % and 94.50 % (below GB/T 33358's 95 %).
LIAONING_2023: dict[str, tuple[str, str, list[Row]]] = {
    "sy-12345": (
        "沈阳市12345热线服务中心",
        "沈阳市",
        [("呼入量", "2023", 100000, "次"), ("接听量", "2023", 98010, "次")],
    ),
    "as-12345": (
        "鞍山市12345热线服务中心",
        "鞍山市",
        [
            ("呼入量", "2023", 50000, "次"),
            ("接听量", "2023", 48000, "次"),
            ("月均人数", "2023", 50, "人"),
            ("流失人数", "2023", 12, "人"),
        ],
    ),
    "dl-12345": (
        "大连市12345热线服务中心",
        "大连市",
        [
            ("呼入量", "2023", 200000, "次"),
            ("接听量", "2023", 189000, "次"),
            ("月均人数", "2023", 100, "人"),
            ("流失人数", "2023", 60, "人"),
            ("人工费用", "2023", 500, "万元"),
        ],
    ),
}


@pytest.fixture
def liaoning() -> dict[str, Organisation]:
    """The three centres above, created and uploaded, and a province-level finance
    bureau (辽宁省财政厅: region 辽宁省, no city)."""
    found = {}
    for code, (name, city, rows) in LIAONING_2023.items():
        found[code] = centre(code, name, region="辽宁省", city=city)
        upload(found[code], rows)
    found["ln-czt"] = Organisation.objects.create(
        code="ln-czt",
        name="辽宁省财政厅",
        kind=Organisation.Kind.FINANCE_BUREAU,
        region="辽宁省",
        city="",
    )
    return found
