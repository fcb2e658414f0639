"""Line-breaking rules a typesetter applies that CSS alone cannot say, applied to a
document's HTML before it is laid out (``documents.rendering.document_html``), so the PDF and
its HTML twin break lines the same way.

- A number keeps its unit: ``得4分``, ``10.58万元``, ``98.01%``, ``7×24小时`` are never broken
  between the figure and the unit (``<span class="nobr">``); a score keeps its 得 (and a
  count its 约 or 共), so a line never ends in 得 before ``4分``.
- Titles, headings and table cells break only between words: each word
  of ``WORDS`` found in them becomes an unbreakable ``<span class="word">``, so the report's
  title breaks before 绩效评价报告, never inside 绩效/评价, and a narrow cell prints 营商/环境,
  never 营商环/境. Text between known words still breaks where Chinese text may.

Only text nodes change: tags, attributes, ``<style>`` and inline SVG pass through untouched,
and the text stays HTML-escaped as the template wrote it. WeasyPrint supports neither
``word-break: keep-all`` nor a dictionary of its own for Chinese (Pango breaks between any two
hanzi), hence the spans.

For WeasyPrint, ``joined`` writes each span's group with a WORD JOINER (U+2060) between each
two of its characters instead: Unicode's line-breaking rules (UAX #14, LB11), which Pango
follows, allow no break on either side of one, and being default-ignorable it is neither
drawn nor read back out of the PDF. The lines break the same; what differs is the cost — a
span is an inline box WeasyPrint lays out and draws apart, and the Tianjin report's 260
spans were a tenth of its render time. The HTML twin keeps the spans, so that a reader who
copies its text or searches it finds the figures as written.
"""

from __future__ import annotations

import re
from functools import cache

# The words of titles, headings and form labels in this domain (budget performance of
# government service hotlines), longest first when matched. A word here is never broken
# across lines where it stands in a title, a heading or a label cell.
WORDS = (  # noqa: SIM905 (a word list reads best as words)
    # document kinds and their parts
    "绩效评价报告 绩效评价 绩效目标 绩效指标 绩效自评 自评 评价报告 申报表 目标表 明细表 情况表 统计表 "
    "得分情况 基本情况 项目概况 评价结论 评价依据 评价方法 评价原则 评价目的 评价对象 评价范围 "
    "指标体系 等级划分 工作过程 主要问题 相关建议 意见建议 改进建议 存在问题 经验做法 "
    "一级指标 二级指标 三级指标 指标值 指标目标值 半年指标值 全年指标值 重点工作 分解目标 "
    "产出指标 效益指标 满意度指标 数量指标 质量指标 时效指标 成本指标 经济效益 社会效益 生态效益 "
    "可持续影响 服务对象 满意度 满意率 "
    # money and organisation
    "财政支出 财政拨款 部门整体 整体预算 预算执行 预算金额 到位金额 支出金额 执行率 到位率 "
    "项目支出 基本支出 工资福利 商品和服务 资本性支出 资金总额 资金投入 资金管理 "
    "年初预算 调整后预算 运行经费 人员外包 平台运营 市级部门 市级 部门 项目 预算 经费 资金 "
    "主管预算部门 项目实施单位 实施单位 申报单位 单位名称 主要职能 机构设置 人员配置 "
    "中长期目标 年度目标 总体目标 年度绩效目标 项目总目标 起止时间 "
    "人民政府 政务服务 营商环境 建设局 办公室 财政局 服务中心 便民专线 便民热线 专线 热线 "
    "天津市 上海市 苏州市 盘锦市 "
    # hotline work
    "话务接通率 接通率 接听率 接听量 呼入量 受理量 办结率 回访率 好评率 办复率 流失率 "
    "坐席 人工成本 中继线 合同制 员工 培训 服务 质量 成本 效益 产出 决策 过程 管理 履职 "
    "合理性 规范性 充分性 明确性 科学性 健全性 有效性 合规性 及时性 可持续性 "
    "组织实施 制度执行 管理制度 项目立项 立项依据 立项程序 产出数量 产出质量 产出时效 产出成本"
).split()

UNITS = (
    "万元",
    "万件",
    "万个",
    "万次",
    "万人",
    "万",
    "元",
    "分",
    "%",
    "％",
    "‰",
    "个百分点",
    "个",
    "人次",
    "人",
    "件",
    "次",
    "条",
    "项",
    "家",
    "名",
    "秒",
    "分钟",
    "小时",
    "天",
    "日",
    "月",
    "年",
    "倍",
    "平方米",
    "平米",
    "页",
)

_NUMBER_UNIT = re.compile(
    r"(?<![0-9A-Za-z.])((?:得|约|共)?[＜＞≤≥=＝]?\d[\d,]*(?:\.\d+)?(?:[×x]\d+)?\s?(?:"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")[※]?)"
)
_TAG = re.compile(r"(<[^>]*>)")
_OPAQUE = {"style", "script", "svg", "title"}
# elements whose text breaks only between words (not the 绩效指标 label running down the
# narrow first column of a project form, one or two hanzi wide: it breaks where it must)
_WORD_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}
_WORD_CLASSES = {
    "form-title",
    "table-caption",
    "figure-caption",
    "level1",
    "level2",
    "key-task",
    "indicator",
    "label",
    "value",
}


@cache
def _word_pattern() -> re.Pattern[str]:
    words = sorted(set(WORDS), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def keep_units(text: str) -> str:
    """``text`` (HTML-escaped) with each number and its unit in one unbreakable span."""
    return _NUMBER_UNIT.sub(r'<span class="nobr">\1</span>', text)


def keep_words(text: str) -> str:
    """``text`` (HTML-escaped) with each known word in one unbreakable span."""
    return _word_pattern().sub(
        lambda m: f'<span class="word">{m.group(0)}</span>', text
    )


WORD_JOINER = "\u2060"
_KEPT = re.compile(r'<span class="(?:nobr|word)">([^<&]*)</span>')


def joined(html: str) -> str:
    """Typeset ``html`` for WeasyPrint: each group that ``typeset`` put in a span kept
    whole by word joiners between its characters instead (a group holding an entity,
    which no number, unit or word of ours does, keeps its span)."""
    return _KEPT.sub(lambda m: WORD_JOINER.join(m.group(1)), html)


def _words_and_units(text: str) -> str:
    # numbers first, then words in the text between them (a word never spans a number)
    parts = _NUMBER_UNIT.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f'<span class="nobr">{part}</span>')
        else:
            out.append(keep_words(part))
    return "".join(out)


def _tag_name(tag: str) -> tuple[str, bool, bool]:
    """(name, is closing, is self-closing) of ``<tag …>``."""
    match = re.match(r"<\s*(/)?\s*([a-zA-Z][\w-]*)", tag)
    if match is None:  # a comment, a doctype
        return "", False, True
    name = match.group(2).lower()
    void = tag.endswith("/>") or name in {"meta", "link", "br", "col", "img", "wbr"}
    return name, bool(match.group(1)), void


def typeset(html: str) -> str:
    """``html`` with the line-breaking rules of this module applied to its text nodes."""
    # open elements: (name, whether its text breaks only between words)
    stack: list[tuple[str, bool]] = []
    opaque = 0
    out: list[str] = []
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            name, closing, void = _tag_name(piece)
            if name in _OPAQUE:
                opaque += -1 if closing else (0 if void else 1)
            elif name and not void:
                if closing:
                    while stack:
                        if stack.pop()[0] == name:
                            break
                else:
                    classes = re.search(r'class="([^"]*)"', piece)
                    names = set(classes[1].split()) if classes else set()
                    words = "lead" not in names and (
                        name in _WORD_TAGS
                        or bool(_WORD_CLASSES & names)
                        or (bool(stack) and stack[-1][1])
                    )
                    stack.append((name, words))
            out.append(piece)
        elif opaque or not piece.strip():
            out.append(piece)
        elif stack and stack[-1][1]:
            out.append(_words_and_units(piece))
        else:
            out.append(keep_units(piece))
    return "".join(out)
