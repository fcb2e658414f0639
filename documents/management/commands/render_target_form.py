from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.services import document_html, document_render
from targets.models import TargetForm

SUFFIXES = {".pdf": DocumentFormat.PDF, ".xlsx": DocumentFormat.XLSX}


class Command(BaseCommand):
    help = (
        "把绩效目标表按官方表式输出为 PDF、Excel（xlsx）或预览用的 HTML："
        "render_target_form <表代码> -o 输出文件.pdf|.xlsx|.html"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="target form code, e.g. tianjin-2020")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            help="output file; its suffix (.pdf, .xlsx or .html) chooses the format",
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
        if suffix not in (*SUFFIXES, ".html"):
            raise CommandError("输出文件须以 .pdf、.xlsx 或 .html 结尾。")
        if options["pages"] is not None and suffix != ".pdf":
            raise CommandError("--pages 只适用于 PDF 输出。")
        doctype = document_type(DocumentKind.TARGET_FORM)
        assert doctype is not None
        try:
            document = doctype.build(code)
        except TargetForm.DoesNotExist:
            raise CommandError(f"没有代码为 {code} 的绩效目标表。") from None
        if suffix == ".html":
            content = document_html(document).encode()
        else:
            content = document_render(doctype, document, SUFFIXES[suffix])
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
