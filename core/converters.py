"""Path converters: integers in URLs that the database can hold.

Django's ``<int:…>`` accepts any run of digits, so ``/operations/tj-8890/9223372036854775808/``
reached the view and the lookup failed with ``OverflowError`` (a 500 on SQLite) or a
``DataError`` (PostgreSQL). ``<int64:…>`` matches only what fits in a signed 64-bit column;
a larger number does not match the pattern, so the answer is a plain 404 before any view
runs. Every integer in the project's URLs uses it (``tests/functional/test_integer_urls.py``
walks them).
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

INT64_MAX = 2**63 - 1


class Int64Converter:
    # at most 19 digits, so the regex stays linear and int() cheap
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT64_MAX:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    """Make ``<int64:…>`` known; called when the project starts
    (``HotlinePerfConfig.ready``), before any URLconf is imported. A second call does
    nothing."""
    if "int64" not in get_converters():
        register_converter(Int64Converter, "int64")
