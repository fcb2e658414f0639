"""The lists' search box: a name contains what was typed, whatever its case."""

from __future__ import annotations

from django.db.models import Q


def name_contains(field: str, query: str) -> Q:
    """``field`` contains ``query``, ignoring case. A query without letters that have case
    (Chinese, digits, most of what is typed here) is matched as it is: the rows are the
    same — upper-casing leaves such characters alone — and the database does not
    upper-case every name it reads (a fifth of a 10,000-row search on PostgreSQL)."""
    lookup = "icontains" if query.lower() != query.upper() else "contains"
    return Q(**{f"{field}__{lookup}": query})
