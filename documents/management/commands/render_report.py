from __future__ import annotations

from documents.management.render import RenderCommand
from documents.models import DocumentFormat, DocumentKind
from evaluations.models import Evaluation, EvaluationKind


class Command(RenderCommand):
    help = (
        "把绩效评价输出为评价报告 PDF 或预览用的 HTML（单位自评输出项目支出绩效自评表）："
        "render_report <评价代码> -o 输出文件.pdf|.html [--pages 目录]"
    )
    kind = DocumentKind.EVALUATION_REPORT
    suffixes = {".pdf": DocumentFormat.PDF}
    noun = "绩效评价"
    code_help = (
        "evaluation code, e.g. tianjin-2020 (a self-evaluation prints its 自评表)"
    )

    def kind_of(self, code: str) -> DocumentKind:
        """A self-evaluation of a project prints as its 项目支出绩效自评表."""
        if Evaluation.objects.filter(
            code=code, kind=EvaluationKind.SELF, project__isnull=False
        ).exists():
            return DocumentKind.SELF_EVALUATION_TABLE
        return self.kind
