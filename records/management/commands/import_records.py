"""``manage.py import_records <file> --organisation <org> --kind calls|orders``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from budgets.models import Organisation
from records.columns import RecordKind
from records.services import RecordsRefused, records_import


class Command(BaseCommand):
    help = (
        "Import a centre's raw records (话单 calls or 工单 orders; CSV in UTF-8 or GBK,"
        " Parquet, or a zip of one): every row checked, nothing stored unless all are"
        " clean; each month in the file replaces that month's stored records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--organisation", required=True, help="the organisation's code or name"
        )
        parser.add_argument(
            "--kind", required=True, choices=[k.value for k in RecordKind]
        )
        parser.add_argument(
            "--year",
            type=int,
            help="refuse records outside this year (default: the file's one year)",
        )
        parser.add_argument(
            "--threads", type=int, help="DuckDB threads (default: all cores)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        name = options["organisation"]
        organisation = Organisation.objects.filter(Q(code=name) | Q(name=name)).first()
        if organisation is None:
            raise CommandError(f"找不到单位“{name}”（按代码或名称）")
        kind = RecordKind(options["kind"])
        try:
            record_import = records_import(
                organisation=organisation,
                kind=kind,
                path=path,
                original_name=path.name,
                year=options.get("year"),
                source="命令行",
                threads=options.get("threads"),
            )
        except RecordsRefused as refused:
            raise CommandError(
                "未导入（没有任何改动）：\n"
                + "\n".join(f"- {p}" for p in refused.problems)
            ) from None
        months = "、".join(f"{m}月" for m in record_import.months)
        self.stdout.write(
            f"已导入 {organisation.name} {record_import.year} 年{kind.label} "
            f"{record_import.rows:,} 条（{months}），用时 {record_import.seconds} 秒"
        )
