"""What ``render_report`` and ``render_target_form`` share: write one document of a kind to
a file whose suffix chooses the format (HTML, the preview twin, for every kind), and with
``--pages DIR`` a PNG of each PDF page for a reviewer."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_html, document_render


def _listed(items: list[str], *, comma: str, last: str) -> str:
    return comma.join(items[:-1]) + last + items[-1]


class RenderCommand(BaseCommand):
    """A command that renders one object of ``kind`` by its code."""

    kind: DocumentKind
    # The output suffixes other than .html, and the format each writes.
    suffixes: Mapping[str, DocumentFormat]
    # What the object is called in the refusal "没有代码为 … 的…。" and in the code's help.
    noun: str
    code_help: str

    def kind_of(self, code: str) -> DocumentKind:
        """The kind object ``code`` prints as (one kind per command, unless it says)."""
        return self.kind

    def _all_suffixes(self) -> list[str]:
        return [*self.suffixes, ".html"]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=self.code_help)
        listed = _listed(self._all_suffixes(), comma=", ", last=" or ")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help=f"output file; its suffix ({listed}) chooses the format",
        )
        parser.add_argument(
            "--pages",
            type=Path,
            metavar="DIR",
            help="with a .pdf output, also write a PNG of each page into DIR (pdftoppm)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["code"]
        output: Path = options["output"]
        suffix = output.suffix.lower()
        if suffix not in self._all_suffixes():
            listed = _listed(self._all_suffixes(), comma="、", last=" 或 ")
            raise CommandError(f"输出文件须以 {listed} 结尾。")
        if options["pages"] is not None and suffix != ".pdf":
            raise CommandError("--pages 只适用于 PDF 输出。")
        doctype = document_type(self.kind_of(code))
        assert doctype is not None
        try:
            document = doctype.build(code)
        except ObjectDoesNotExist:
            raise CommandError(f"没有代码为 {code} 的{self.noun}。") from None
        if suffix == ".html":
            content = document_html(document).encode()
        else:
            content = document_render(doctype, document, self.suffixes[suffix])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        self.stdout.write(f"{output}（{len(content):,} 字节）")
        if options["pages"] is not None:
            self._write_pages(output, options["pages"])

    def _write_pages(self, pdf: Path, directory: Path) -> None:
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise CommandError("找不到 pdftoppm（Debian 软件包 poppler-utils）。")
        directory.mkdir(parents=True, exist_ok=True)
        prefix = directory / pdf.stem
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", str(pdf), str(prefix)], check=True
        )
        for page in sorted(directory.glob(f"{pdf.stem}-*.png")):
            self.stdout.write(str(page))
