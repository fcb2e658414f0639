"""An indicator's link to the indicator library when its name changes.

The grid sends an edited row back with the library link it had (a hidden field), so a row
renamed from 接通率 to 15秒接通率 would keep measuring 接通率 — its flags, its monitoring
figures and its evaluation link all follow the library entry — without anyone seeing it.
A rename away from the entry (the new name is neither the entry's name nor one of its
aliases) takes the link the new name has in the library, or none, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from targets.models import IndicatorLevel, LibraryIndicator, TargetIndicator
from targets.selectors import library_index


@dataclass(frozen=True)
class Relink:
    library_indicator: LibraryIndicator | None
    notice: str  # "" when the link stays as it was


def _names(entry: LibraryIndicator) -> set[str]:
    return {"".join(name.split()) for name in (entry.name, *entry.aliases)}


def library_link_after_rename(
    *,
    indicator: TargetIndicator,
    name: str,
    chosen: LibraryIndicator | None,
    level2: str,
) -> Relink:
    """The library link ``indicator`` keeps when saved as ``name`` with ``chosen``."""
    current = indicator.library_indicator
    renamed = "".join(name.split()) != "".join(indicator.name.split())
    if (
        current is None
        or chosen is None
        or chosen.pk != current.pk
        or not renamed
        or "".join(name.split()) in _names(current)
    ):
        return Relink(chosen, "")
    found = library_index().match(name, level2)
    if found is not None and found.pk == current.pk:
        return Relink(current, "")
    if found is None:
        return Relink(
            None,
            _(
                "“%(old)s” was renamed “%(new)s”, which is not the library indicator "
                "“%(entry)s”: the link to the library has been removed."
            )
            % {"old": indicator.name, "new": name, "entry": current.name},
        )
    return Relink(
        found,
        _(
            "“%(old)s” was renamed “%(new)s”: it is now linked to the library "
            "indicator “%(found)s” instead of “%(entry)s”."
        )
        % {
            "old": indicator.name,
            "new": name,
            "found": found.name,
            "entry": current.name,
        },
    )


def library_match(
    chosen: LibraryIndicator | None,
    level: str,
    name: str,
    parent: TargetIndicator | None,
) -> LibraryIndicator | None:
    """The library indicator picked, or else the one a typed 三级 name means (by name and
    alias within its 二级, as the seed loader matches printed forms): the target entry
    page's rule, and the API's."""
    if chosen is not None or level != IndicatorLevel.LEVEL3:
        return chosen
    level2 = (
        parent.name
        if parent is not None and parent.level == IndicatorLevel.LEVEL2
        else ""
    )
    return library_index().match(name, level2)
