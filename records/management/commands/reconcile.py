"""``manage.py reconcile <org> <year> [--json] [--engine duckdb|spark]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from budgets.models import Organisation
from records.selectors import reconciliation


class Command(BaseCommand):
    help = (
        "Every reported operating figure of a year next to the one recomputed from the"
        " stored records, the difference and the verdict (一致/差异/无法核验)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's code or name")
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="one JSON array")
        parser.add_argument("--engine", choices=["duckdb", "spark"])

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["organisation"]
        organisation = Organisation.objects.filter(Q(code=name) | Q(name=name)).first()
        if organisation is None:
            raise CommandError(f"找不到单位“{name}”（按代码或名称）")
        lines = reconciliation(
            organisation=organisation,
            year=options["year"],
            engine=options.get("engine"),
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [line.as_json() for line in lines], ensure_ascii=False, indent=1
                )
            )
            return
        if not lines:
            self.stdout.write(
                f"{organisation.name} {options['year']} 年没有可核验的记录"
            )
            return
        for line in lines:
            data = line.as_json()
            self.stdout.write(
                f"{data['period']:8} {data['metric']:12} 上报 {data['reported']} "
                f"重算 {data['recomputed'] if data['recomputed'] is not None else '—'} "
                f"差 {data['difference'] if data['difference'] is not None else '—'} "
                f"{data['unit']} {data['verdict']} {data['missing']}"
            )
