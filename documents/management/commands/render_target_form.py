from __future__ import annotations

from documents.management.render import RenderCommand
from documents.models import DocumentFormat, DocumentKind


class Command(RenderCommand):
    help = (
        "把绩效目标表按官方表式输出为 PDF、Excel（xlsx）或预览用的 HTML："
        "render_target_form <表代码> -o 输出文件.pdf|.xlsx|.html"
    )
    kind = DocumentKind.TARGET_FORM
    suffixes = {".pdf": DocumentFormat.PDF, ".xlsx": DocumentFormat.XLSX}
    noun = "绩效目标表"
    code_help = "target form code, e.g. tianjin-2020"
