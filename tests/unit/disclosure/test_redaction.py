"""Removing items from a document's own text before rendering (disclosure/redaction.py):
every string of the context, through dataclasses, mappings and sequences; numbers never;
text marked safe stays safe."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeData, mark_safe

from disclosure.redaction import PLACEHOLDER, document_texts, redacted_document
from documents.kinds import Document
from documents.models import DocumentKind


@dataclass(frozen=True)
class Cell:
    text: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]


def document() -> Document:
    return Document(
        kind=DocumentKind.PROJECT_INFO,
        code="x",
        title="运行经费 许春梅",
        template_name="reports/project_info.html",
        context={
            "rows": (
                Row((Cell("项目负责人"), Cell("许春梅"), Cell("联系电话"))),
                Row((Cell("022-24538025"), Cell("预算", Decimal("10200.59")))),
            ),
            "paragraphs": ["请联系许春梅（022-24538025）。", "接通率96.12%"],
            "chart": mark_safe("<svg><text>许春梅</text></svg>"),
            "year": 2020,
        },
    )


def test_every_occurrence_is_replaced_and_nothing_else() -> None:
    public = redacted_document(document(), ["022-24538025", "许春梅"])
    assert public.title == f"运行经费 {PLACEHOLDER}"
    rows = public.context["rows"]
    assert rows == (
        Row((Cell("项目负责人"), Cell(PLACEHOLDER), Cell("联系电话"))),
        Row((Cell(PLACEHOLDER), Cell("预算", Decimal("10200.59")))),
    )
    assert public.context["paragraphs"] == [
        f"请联系{PLACEHOLDER}（{PLACEHOLDER}）。",
        "接通率96.12%",
    ]
    chart = public.context["chart"]
    assert chart == f"<svg><text>{PLACEHOLDER}</text></svg>"
    assert isinstance(chart, SafeData)
    assert public.context["year"] == 2020
    # the document it came from is unchanged
    assert "许春梅" in "".join(document_texts(document()))
    assert not any("许春梅" in text for text in document_texts(public))


def test_a_longer_item_is_replaced_before_a_shorter_one_inside_it() -> None:
    public = redacted_document(document(), ["24538025", "022-24538025"])
    assert public.context["rows"][1].cells[0].text == PLACEHOLDER  # type: ignore[index]
