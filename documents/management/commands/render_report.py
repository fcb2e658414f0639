from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.services import document_html, document_render
from evaluations.models import Evaluation


class Command(BaseCommand):
    help = (
        "把绩效评价输出为评价报告 PDF 或预览用的 HTML："
        "render_report <评价代码> -o 输出文件.pdf|.html [--pages 目录]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="evaluation code, e.g. tianjin-2020")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help="output file; its suffix (.pdf or .html) chooses the format",
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
        if suffix not in (".pdf", ".html"):
            raise CommandError("输出文件须以 .pdf 或 .html 结尾。")
        if options["pages"] is not None and suffix != ".pdf":
            raise CommandError("--pages 只适用于 PDF 输出。")
        doctype = document_type(DocumentKind.EVALUATION_REPORT)
        assert doctype is not None
        try:
            document = doctype.build(code)
        except Evaluation.DoesNotExist:
            raise CommandError(f"没有代码为 {code} 的绩效评价。") from None
        if suffix == ".html":
            content = document_html(document).encode()
        else:
            content = document_render(doctype, document, DocumentFormat.PDF)
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
