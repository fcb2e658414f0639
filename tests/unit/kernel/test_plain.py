"""``kernel.plain``: the engine's frozen results as JSON and back, exactly (the snapshots
of submitted evaluations store them so)."""

from __future__ import annotations

import json
from decimal import Decimal

from evaluations.scoring import (
    LeafInput,
    NodeInput,
    Rule,
    TreeResult,
    score_tree,
)
from evaluations.scoring.flags import Flag, FlagCode, FlagKind
from kernel.metrics import CostTable, YearCounts, cost_table
from kernel.plain import from_plain, to_plain

D = Decimal


def _leaf(key: str, weight: str, score: str | None, reason: str = "") -> LeafInput:
    return LeafInput(
        key=key,
        name=f"指标{key}",
        weight=D(weight),
        rule=Rule.judgment(),
        evaluator_score=None if score is None else D(score),
        reason=reason,
    )


def test_a_tree_result_with_flags_and_nested_nodes_comes_back_equal() -> None:
    result = score_tree(
        [
            NodeInput("1", "决策", D(17), (_leaf("11", "17", "15", "依据评分细则"),)),
            NodeInput(
                "2",
                "过程",
                D(23),
                (
                    NodeInput("21", "资金管理", D(13), (_leaf("211", "13", "13"),)),
                    _leaf("22", "10", None),  # unscored: a blocking flag
                ),
            ),
        ],
        total_weight=D(40),
        published_total=D("30.5"),
    )
    assert result.flags  # the round trip carries them too
    stored = json.loads(json.dumps(to_plain(result)))
    assert stored["total"] == str(result.total)  # amounts as exact strings
    assert stored["nodes"][1]["children"][0]["type"] == "NodeResult"
    assert stored["nodes"][1]["children"][1]["type"] == "LeafResult"
    back = from_plain(TreeResult, stored)
    assert back == result
    # a flag's code and params (not part of its equality) come back too, so a submitted
    # evaluation's snapshot says its flags in the reader's language
    assert [(f.code, dict(f.params)) for f in back.flags] == [
        (f.code, dict(f.params)) for f in result.flags
    ]
    assert any(f.params for f in back.flags)


def test_the_tianjin_cost_table_comes_back_equal() -> None:
    table = cost_table(
        {
            2018: YearCounts(D("509.28"), D("5251.07"), D(637), D("19.33")),
            2019: YearCounts(D("597.54"), D("6459.36"), D(761), D("18.42")),
            2020: YearCounts(D("1012.36"), D("9098.24"), D(909), D(10)),
        }
    )
    stored = json.loads(json.dumps(to_plain(table)))
    assert stored["columns"][-1]["years"] == [2018, 2019]
    assert from_plain(CostTable, stored) == table
    assert from_plain(CostTable, stored).mean.labour_cost == D("5855.22")


def test_a_flags_params_come_back_as_written_strings_and_tuples() -> None:
    flag = Flag(
        indicator="11",
        kind=next(iter(FlagKind)),
        message="提示",
        code=next(iter(FlagCode)),
        params={"name": "接通率", "tiers": ("优", "良")},
    )
    back = from_plain(Flag, json.loads(json.dumps(to_plain(flag))))
    assert (back.code, dict(back.params)) == (flag.code, dict(flag.params))
