"""Issue 14, item 1: the two seed reports print the evaluator's own document — seed 001's
and seed 004's headings and every paragraph — compared section by section with the seed
text as the project received it (``fixtures/seeds/source``).

The PDF is read with poppler (``pdftotext -bbox-layout``): the words outside the tables
(whose cells ``test_evaluation_report_pdfs`` checks one by one), the running header, the
page numbers and the table of contents. The seed text is split at its headings (一、
（一） 1. （1） as printed) and its table rows (tab-separated lines) are left out. Both
sides are normalised: whitespace removed (OCR line and page breaks, the spaces around
figures) and half-width punctuation read as full-width (the OCR's ``(`` ``,`` ``:``).
Each section must then be equal; the only differences allowed are listed in ``MOVED``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from io import BytesIO

import pdfplumber
import pytest

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

SEEDS = {"tianjin-2020": "001", "panjin-2023": "004"}

_HEADING = [
    re.compile(r"^[一二三四五六七八九十]+、\S"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]\S"),
    re.compile(r"^\d+\s*[.、]\s*\S"),
    re.compile(r"^[（(]\d+[)）]\S"),
]

# Lines of the seed extracts that look like headings but are list items of 评价依据 (004).
NOT_HEADINGS = (
    "2、《项目支出绩效评价管理办法》（财预〔2020〕10号） ；",
    "4、《中华人民共和国政府采购法》 ；",
)

# A table row of 表3 wrapped onto a line of its own in the extract (its cell “…降低程度²”).
TABLE_FRAGMENTS = ("程度 ²",)

# Text the extract places elsewhere than the printed page: 表3's notes 注²–注⁴ interrupt
# a paragraph of 1.社会效益 at a page break in seed 001; the report prints them with 表3,
# after 注¹. (heading of the section the extract has them in, the one printed, the notes)
MOVED = {
    "tianjin-2020": [("1.社会效益", "3.产出成本", ("注²", "注³", "注⁴"))],
    "panjin-2023": [],
}

_PUNCTUATION = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
)


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_PUNCTUATION)


def _is_heading(line: str) -> bool:
    if line in NOT_HEADINGS or len(line) > 40 or line.endswith("。"):
        return False
    return any(pattern.match(line) for pattern in _HEADING)


@dataclass
class Section:
    heading: str
    lines: list[str]

    @property
    def text(self) -> str:
        return normalised("".join(self.lines))


def seed_sections(text: str, code: str) -> tuple[str, list[Section]]:
    """The title, then the sections of a seed extract, table rows left out."""
    sections = [Section("", [])]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or "\t" in raw or line in TABLE_FRAGMENTS:
            continue
        if _is_heading(line):
            sections.append(Section(line, []))
        else:
            sections[-1].lines.append(line)
    front = sections[0].lines
    title_lines = 1 if code == "tianjin-2020" else 2  # 004 prints its title on two
    title = "".join(front[:title_lines])
    sections[0].lines = front[title_lines:]
    for source, target, notes in MOVED[code]:
        (moving,) = [s for s in sections if s.heading == source]
        (receiving,) = [s for s in sections if s.heading == target]
        moved = [line for line in moving.lines if line.startswith(notes)]
        moving.lines = [line for line in moving.lines if line not in moved]
        at = next(n for n, line in enumerate(receiving.lines) if line.startswith("注¹"))
        receiving.lines[at + 1 : at + 1] = moved
    return title, sections


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def printed_text(pdf: bytes, header: str) -> str:
    """The words of the PDF outside its tables, page furniture and contents, in reading
    order (pdftotext)."""
    layout = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pages = layout.split("<page ")[1:]
    with pdfplumber.open(BytesIO(pdf)) as reader:
        boxes = [[t.bbox for t in page.find_tables()] for page in reader.pages]
        heights = [page.height for page in reader.pages]
    words = []
    for number, page in enumerate(pages):
        for match in _WORD.finditer(page):
            x0, top, x1, bottom = (float(match.group(n)) for n in range(1, 5))
            x, y = (x0 + x1) / 2, (top + bottom) / 2
            if y < 60 or y > heights[number] - 55:  # running header, page number
                continue
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes[number]):
                continue
            words.append(html.unescape(match.group(5)))
    text = normalised("".join(words))
    # the table of contents: its title and each entry with its dot leader and page
    text = re.sub(r"目录", "", text, count=1)
    text = re.sub(
        r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。.]{1,40}?\.{4,}\d+",
        "",
        text,
    )
    return text.replace(normalised(header), "")


@dataclass(frozen=True)
class Difference:
    heading: str
    seed: str
    printed: str


def compare(seed: list[Section], printed: str, title: str) -> list[Difference]:
    """Split the printed text at the seed's headings, in order, and compare each
    section; a heading not printed is itself a difference."""
    differences = []
    assert printed.startswith(normalised(title)), printed[:80]
    at = len(normalised(title))
    bounds: list[tuple[Section, int, int]] = []
    for section in seed:
        if not section.heading:
            bounds.append((section, at, at))
            continue
        found = printed.find(normalised(section.heading), at)
        if found < 0:
            differences.append(Difference(section.heading, section.heading, ""))
            continue
        bounds.append((section, found, found + len(normalised(section.heading))))
        at = found + len(normalised(section.heading))
    for (section, _start, body), following in zip(
        bounds, [*[b[1] for b in bounds[1:]], len(printed)], strict=True
    ):
        text = printed[body:following]
        if text != section.text:
            differences.append(Difference(section.heading, *_diff(section.text, text)))
    return differences


def _diff(seed: str, printed: str) -> tuple[str, str]:
    """What differs, with a few characters of context on each side."""
    parts_seed, parts_printed = [], []
    for tag, a0, a1, b0, b1 in SequenceMatcher(None, seed, printed).get_opcodes():
        if tag != "equal":
            parts_seed.append(seed[max(0, a0 - 8) : a1 + 8])
            parts_printed.append(printed[max(0, b0 - 8) : b1 + 8])
    return " … ".join(parts_seed), " … ".join(parts_printed)


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    header: str


@pytest.fixture(scope="module")
def printed(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, Printed]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        doctype = document_type(DocumentKind.EVALUATION_REPORT)
        assert doctype is not None
        found = {}
        for code in SEEDS:
            document = doctype.build(code)
            found[code] = Printed(
                document_render(doctype, document, DocumentFormat.PDF),
                str(document.context["running_header"]),
            )
        return found


@pytest.mark.parametrize("code", SEEDS)
def test_the_report_prints_the_seeds_headings_and_every_paragraph(
    printed: dict[str, Printed], code: str, seed_text: Callable[[str], str]
) -> None:
    title, sections = seed_sections(seed_text(SEEDS[code]), code)
    assert len(sections) == {"tianjin-2020": 31, "panjin-2023": 54}[code]
    text = printed_text(printed[code].pdf, printed[code].header)
    assert compare(sections, text, title) == []


def test_a_changed_paragraph_is_found_and_listed(
    printed: dict[str, Printed], seed_text: Callable[[str], str]
) -> None:
    """The comparison itself: a paragraph altered or left out is reported with its
    section."""
    title, sections = seed_sections(seed_text("001"), "tianjin-2020")
    text = printed_text(printed["tianjin-2020"].pdf, printed["tianjin-2020"].header)
    altered = text.replace("提高了37.83%", "提高了37.38%")
    assert compare(sections, altered, title) == [
        Difference(
            "1.产出数量",
            "理量提高了37.83%。（4）开展培",
            "理量提高了37.38%。（4）开展培",
        ),
    ]
    dropped = text.replace(normalised(sections[4].text), "")
    assert [d.heading for d in compare(sections, dropped, title)] == ["2.主要内容"]
