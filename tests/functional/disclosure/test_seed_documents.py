"""The redaction lists of the seeds' documents (issue 17 §2): the only personal data the
five seed documents print is seed 000's project manager and telephone number; none of their
budget figures, dates, indicator values (12345 热线, 8890, 379.8万个, 2020年1月-2020年12月) is
taken for one."""

from __future__ import annotations

import pytest

from disclosure.services import redaction_review

pytestmark = pytest.mark.django_db

SEED_DOCUMENTS = [
    ("target_form", "tianjin-2020"),
    ("target_form", "shanghai-2019"),
    ("target_form", "suzhou-2023"),
    ("target_form", "panjin-2023"),
    ("evaluation_report", "tianjin-2020"),
    ("evaluation_report", "panjin-2023"),
    ("project_info", "tianjin-2020"),
    ("project_info", "shanghai-2019"),
    ("project_info", "panjin-2023"),
]


@pytest.mark.parametrize(("kind", "code"), SEED_DOCUMENTS)
def test_the_seed_documents_list_only_seed_000s_contact(kind: str, code: str) -> None:
    review = redaction_review(kind=kind, code=code)
    listed = [
        (item.text, item.category, item.origin, item.field_label, item.occurrences)
        for item in review.items
    ]
    if code == "tianjin-2020":
        # the contact fields of the project: printed on its information sheet only
        printed = 1 if kind == "project_info" else 0
        assert listed == [
            ("许春梅", "name", "field", "项目负责人", printed),
            ("022-24538025", "landline", "field", "联系电话", printed),
        ]
    else:
        assert listed == []
    # the numbers these documents are made of are in them, and left alone
    text = "".join(review.texts)
    expected = {
        ("evaluation_report", "tianjin-2020"): ("8890", "1012.36"),
        ("target_form", "suzhou-2023"): ("12345",),
        ("target_form", "tianjin-2020"): ("8890",),
    }
    for figure in expected.get((kind, code), ()):
        assert figure in text
