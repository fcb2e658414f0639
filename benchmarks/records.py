"""A synthetic hotline year as a hotline system exports it: 话单 and 工单 (records/synthetic.py).

    .venv/bin/python benchmarks/records.py --calls 10532000 --orders 10363900 \
        --organisation tj-8890 --year 2020 -o /tmp/tianjin-2020
    .venv/bin/python benchmarks/records.py ... --plant-discrepancy   # 1 % of abandoned calls
                                                                     # counted as answered
    .venv/bin/python benchmarks/records.py ... --drop-month 12       # no December

The answered calls follow Tianjin 2020's published ratio (1012.36 of 1053.2 万次), the work
orders its split (求助 691.51 / 派单 344.88 of 1036.39 万件; 营商环境类 10.42 万件), each
rounded half-up: at the counts above the files reproduce the published totals exactly,
and ``import_records`` + ``reconcile tj-8890 2020`` show 一致. ``manifest.json`` in the
folder says what was written (and the planted discrepancy's size).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records.synthetic import (
    TIANJIN_ACCEPTED,
    TIANJIN_OFFERED,
    Totals,
    generate,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=TIANJIN_OFFERED)
    parser.add_argument("--orders", type=int, default=TIANJIN_ACCEPTED)
    parser.add_argument("--answered", type=int, help="default: Tianjin 2020's ratio")
    parser.add_argument(
        "--organisation", default="tj-8890", help="热线中心 column value"
    )
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--plant-discrepancy", action="store_true")
    parser.add_argument("--drop-month", type=int, choices=range(1, 13))
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--encoding", choices=["utf-8", "gbk"], default="utf-8")
    parser.add_argument("--headers", choices=["zh", "key"], default="zh")
    options = parser.parse_args(argv)
    totals = Totals.scaled(options.calls, options.orders)
    if options.answered is not None:
        totals = Totals(
            options.calls,
            options.answered,
            totals.orders,
            totals.help,
            totals.business_environment,
        )
    started = time.perf_counter()
    manifest = generate(
        directory=options.output,
        organisation=options.organisation,
        year=options.year,
        totals=totals,
        plant_discrepancy=options.plant_discrepancy,
        drop_month=options.drop_month,
        file_format=options.format,
        encoding=options.encoding,
        headers=options.headers,
    )
    print(json.dumps(asdict(manifest), ensure_ascii=False, indent=1))
    print(f"written in {time.perf_counter() - started:.1f} s to {options.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
