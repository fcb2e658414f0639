from __future__ import annotations

from documents.management.render import RenderCommand
from documents.models import DocumentFormat, DocumentKind


class Command(RenderCommand):
    help = (
        "把绩效评价输出为评价报告 PDF 或预览用的 HTML："
        "render_report <评价代码> -o 输出文件.pdf|.html [--pages 目录]"
    )
    kind = DocumentKind.EVALUATION_REPORT
    suffixes = {".pdf": DocumentFormat.PDF}
    noun = "绩效评价"
    code_help = "evaluation code, e.g. tianjin-2020"
