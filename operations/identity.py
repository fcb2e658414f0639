"""Which catalogue metric a target indicator's name is: its identity, not a resemblance.

A reasonableness flag compares a target with a past actual only when both measure the same
thing. The indicator library links 全年受理(咨询)量 to 受理量 by an alias, a resemblance of
names; the catalogue (``operations.catalogue``) keeps 受理量 (every channel and type) and
咨询类受理量 (written 受理量（咨询）) as two metrics. A name is the catalogue metric whose
name or alias it is, once written the same way:

- whitespace dropped, full-width brackets as half-width;
- a leading period word that says over which period, not what is counted (全年, 年度,
  全年度) dropped: 全年受理量 is 受理量;
- a bracketed qualifier is part of the identity wherever it stands: 全年受理(咨询)量 and
  受理量（咨询） are both (受理量, {咨询}), and neither is 受理量.

Targets sits below operations and reads this through ``targets.actuals`` (handed in by
``OperationsConfig.ready``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from budgets.models import Organisation
from operations.selectors import catalogue_specs

PERIOD_PREFIXES: Final = ("全年度", "全年", "年度")
_QUALIFIER: Final = re.compile(r"\(([^()]*)\)")
_HALF_WIDTH: Final = str.maketrans({"（": "(", "）": ")"})

Identity = tuple[str, frozenset[str]]


def identity(name: str) -> Identity:
    """The name's base and its bracketed qualifiers, written one way."""
    text = "".join(name.translate(_HALF_WIDTH).split())
    qualifiers = frozenset(q for q in _QUALIFIER.findall(text) if q)
    base = _QUALIFIER.sub("", text)
    for prefix in PERIOD_PREFIXES:
        if base.startswith(prefix) and len(base) > len(prefix):
            base = base[len(prefix) :]
            break
    return base, qualifiers


def metric_codes_for_names(
    *, organisation: Organisation | None, names: Iterable[str]
) -> Mapping[str, str]:
    """The catalogue metric code of each of ``names`` that is one (two queries): the
    standard catalogue and the organisation's own metrics, by name and alias."""
    wanted = {name: identity(name) for name in names if name.strip()}
    if not wanted:
        return {}
    known: dict[Identity, str] = {}
    for spec in catalogue_specs(organisation=organisation):
        for written in (spec.name, *spec.aliases):
            known.setdefault(identity(written), spec.code)
    return {name: known[key] for name, key in wanted.items() if key in known}
