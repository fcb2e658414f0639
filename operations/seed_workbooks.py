"""Make the seed operating-data workbooks in fixtures/operating_data/ from the seed reports.

    .venv/bin/python -m operations.seed_workbooks

The workbooks are committed; ``load_seeds`` uploads them through the import service (as
“种子数据”). Each row's 备注 says where in the report its figure is printed.

- Tianjin (seed 001, 天津市便民专线服务中心): 表 3 for 2018–2020 (接听量 万次, 人工费用 万元,
  月均人数, and 流失人数 = the printed 月均流失人数 × 12, the report's own definition (注¹)
  read backwards), and the text for 2020 (呼入 1053.2 万次, 受理 by 求助/派单 also for 2019,
  培训, 坐席, 营商环境, 线路, 舆情专报, 整合热线, 年末人数).
- Panjin (seed 004, 盘锦市营商环境建设局): the report prints only rates (接通率 98.01%, 好评率
  98.33%, 直接办复率 75.53%, 办结率 99.88%, 满意率 91.43%), 受理 32.4 万件 and 52 人. The
  counts behind the rates are *reconstructed*: round denominators chosen here and the
  numerators that give exactly the printed rate at two decimals. They reproduce the printed
  rates; they are not the centre's data.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

TIANJIN = "天津市便民专线服务中心"
PANJIN = "盘锦市营商环境建设局"
T3 = "报告 表 3"

TIANJIN_ROWS: list[tuple[str, str, str, str, str]] = [
    # metric, period, value, unit, 备注 (where the report prints it)
    ("接听量", "2018", "544.77", "万次", T3),
    ("人工费用", "2018", "4884.18", "万元", T3),
    ("月均人数", "2018", "621", "人", T3),
    (
        "流失人数",
        "2018",
        "180",
        "人",
        "表 3 月均流失人数 15 × 12（注¹：月均流失数 = 全年累计流失人数 ÷ 12）",
    ),
    ("接听量", "2019", "562.05", "万次", T3),
    ("人工费用", "2019", "6826.25", "万元", T3),
    ("月均人数", "2019", "777", "人", T3),
    ("流失人数", "2019", "276", "人", "表 3 月均流失人数 23 × 12（注¹）"),
    ("受理量", "2019", "751.92", "万件", "报告 三、（一）1.（3）"),
    ("求助类受理量", "2019", "524.48", "万件", "报告 三、（一）1.（3）"),
    ("派单类受理量", "2019", "227.44", "万件", "报告 三、（一）1.（3）"),
    ("呼入量", "2020", "1053.2", "万次", "报告 三、（一）2.（1）"),
    ("接听量", "2020", "1012.36", "万次", "报告 三、（一）2.（1）；表 3"),
    ("人工费用", "2020", "9098.24", "万元", T3),
    ("月均人数", "2020", "909", "人", "表 3；表 1-2"),
    ("流失人数", "2020", "120", "人", "表 3 月均流失人数 10 × 12（注¹）"),
    ("年末人数", "2020", "865", "人", "报告 三、（一）1.（2）；表 1-2"),
    ("受理量", "2020", "1036.39", "万件", "报告 三、（一）1.（3）"),
    ("求助类受理量", "2020", "691.51", "万件", "报告 三、（一）1.（3）"),
    ("派单类受理量", "2020", "344.88", "万件", "报告 三、（一）1.（3）"),
    ("营商环境类受理量", "2020", "10.42", "万件", "报告 三、（二）1.（1）"),
    ("坐席数", "2020", "560", "个", "报告 三、（一）1.（1）"),
    ("营商环境专席数", "2020", "17", "个", "报告 三、（二）1.（1）"),
    ("线上培训人次", "2020", "30948", "人次", "报告 三、（一）1.（4）"),
    ("现场培训人次", "2020", "2530", "人次", "报告 三、（一）1.（4）"),
    ("中继线租赁数", "2020", "20", "条", "报告 三、（一）1.（5）"),
    ("专线租赁数", "2020", "10", "条", "报告 三、（一）1.（5）"),
    (
        "中继线开通数",
        "2020",
        "20",
        "条",
        "报告 三、（一）2.（2）：验收并开通中继线（含专线）30 条",
    ),
    ("专线开通数", "2020", "10", "条", "报告 三、（一）2.（2）"),
    ("舆情专报期数", "2020", "57", "期", "报告 三、（二）1.（5）"),
    ("整合热线数", "2020", "76", "条", "报告 一、（一）1.；三、（二）2."),
]

TIANJIN_NOTES = [
    "来源：种子文件 001《2020年天津市便民专线服务中心运行经费项目绩效评价报告》。",
    "2018–2020 年的接听量（万次）、人工费用（万元）、月均人数取自表 3；流失人数 = 表 3 的月均流失人数 × 12"
    "（报告注¹：月均人员流失数为全年累计流失人数 ÷ 12），报告未印全年流失人数。",
    "单位照报告填写：接听量、呼入量为“万次”，受理量为“万件”，人工费用为“万元”。",
    "报告中全市工单按时办结率 94.73%、工单满意率 92.76%、坐席满意度 99.47% 没有对应的计数，未填入。",
]

PANJIN_RECONSTRUCTED = "由报告比率反推的计数（非原始数据）"
PANJIN_ROWS: list[tuple[str, str, str, str, str]] = [
    (
        "年末人数",
        "2023",
        "52",
        "人",
        "报告 三、（三）1.（1）：在职工作人员数量达到52人",
    ),
    (
        "受理量",
        "2023",
        "32.4",
        "万件",
        "报告 三、（四）1.（1）：共受理企业群众诉求32.4万件",
    ),
    ("呼入量", "2023", "300000", "次", f"{PANJIN_RECONSTRUCTED}：取整的分母"),
    (
        "接听量",
        "2023",
        "294030",
        "次",
        f"{PANJIN_RECONSTRUCTED}：接通率 98.01% × 300000",
    ),
    ("参评量", "2023", "60000", "件", f"{PANJIN_RECONSTRUCTED}：取整的分母"),
    ("好评量", "2023", "58998", "件", f"{PANJIN_RECONSTRUCTED}：好评率 98.33% × 60000"),
    (
        "直接办复量",
        "2023",
        "244717",
        "件",
        f"{PANJIN_RECONSTRUCTED}：直接办复率 75.53% × 324000 = 244717.2，取整",
    ),
    (
        "办结量",
        "2023",
        "323611",
        "件",
        f"{PANJIN_RECONSTRUCTED}：办结率 99.88% × 324000 = 323611.2，取整",
    ),
    ("回访量", "2023", "100000", "件", f"{PANJIN_RECONSTRUCTED}：取整的分母"),
    (
        "回访满意量",
        "2023",
        "91430",
        "件",
        f"{PANJIN_RECONSTRUCTED}：满意率 91.43% × 100000",
    ),
]

PANJIN_NOTES = [
    "来源：种子文件 004《2023年度12345热线平台运营及人员外包经费项目（政策）重点绩效评价报告》。",
    "重要：报告只印了比率（接通率 98.01%、好评率 98.33%、直接办复率 75.53%、办结率 99.88%、满意率 91.43%）"
    "和受理 32.4 万件、在职 52 人，没有印计数。",
    "本文件中的呼入量、接听量、参评量、好评量、直接办复量、办结量、回访量、回访满意量是由这些比率反推的计数："
    "分母取整（呼入 300000 次、参评 60000 件、回访 100000 件；受理量按报告填 32.4 万件 = 324000 件），"
    "分子取使比率四舍五入到两位小数恰为报告数值的整数。它们能重现报告的比率，但不是热线的原始数据。",
]


def build() -> dict[str, bytes]:
    from operations.catalogue import STANDARD_METRICS
    from operations.workbooks import entry_of, template_workbook

    catalogue = [entry_of(spec) for spec in STANDARD_METRICS]

    def rows(
        org: str, data: list[tuple[str, str, str, str, str]]
    ) -> list[list[object]]:
        return [[org, m, p, Decimal(v), u, note] for m, p, v, u, note in data]

    return {
        "tianjin-8890-2018-2020.xlsx": template_workbook(
            rows=rows(TIANJIN, TIANJIN_ROWS), catalogue=catalogue, notes=TIANJIN_NOTES
        ),
        "panjin-12345-2023.xlsx": template_workbook(
            rows=rows(PANJIN, PANJIN_ROWS), catalogue=catalogue, notes=PANJIN_NOTES
        ),
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.dev")
    django.setup()
    from django.conf import settings

    directory = Path(settings.BASE_DIR) / "fixtures" / "operating_data"
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in build().items():
        (directory / name).write_bytes(content)
        print(f"{directory / name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
