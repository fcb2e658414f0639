"""``manage.py render_target_form <code> -o out.pdf|out.xlsx|out.html [--pages DIR]``."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("render_target_form", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("suffix", "magic"),
    [(".pdf", b"%PDF-"), (".xlsx", b"PK\x03\x04"), (".html", b"<!doctype html>")],
)
def test_the_suffix_chooses_the_format(
    tmp_path: Path, suffix: str, magic: bytes
) -> None:
    output = tmp_path / "out" / f"tianjin{suffix}"
    printed = _run("tianjin-2020", "-o", str(output))
    content = output.read_bytes()
    assert content.lstrip().startswith(magic)
    assert printed == f"{output}（{len(content):,} 字节）\n"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_page_images_for_a_reviewer(tmp_path: Path) -> None:
    printed = _run(
        "shanghai-2019",
        "-o",
        str(tmp_path / "sh.pdf"),
        "--pages",
        str(tmp_path / "png"),
    )
    pages = sorted((tmp_path / "png").glob("*.png"))
    assert [p.name for p in pages] == ["sh-1.png", "sh-2.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert printed.splitlines()[1:] == [str(p) for p in pages]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-form", "-o", "x.pdf"], "没有代码为 no-such-form 的绩效目标表。"),
        (["tianjin-2020", "-o", "x.docx"], "输出文件须以 .pdf、.xlsx 或 .html 结尾。"),
        (
            ["tianjin-2020", "-o", "{tmp}/x.xlsx", "--pages", "{tmp}"],
            "--pages 只适用于 PDF 输出。",
        ),
    ],
)
def test_mistakes_are_reported(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*(a.format(tmp=tmp_path) for a in args))
