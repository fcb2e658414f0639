"""Integers in URLs beyond what a database column holds are a 404, never a 500 (issue 10,
Low 9: ``/operations/tj-8890/9223372036854775808/`` was an ``OverflowError``).

Walks every URL pattern of the project: none uses Django's unbounded ``<int:…>``, and every
pattern with an integer answers 404 to 2**63 in each of them, to a user who could otherwise
read the object (the slugs are real codes, so the view would be reached)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from accounts.models import Membership, Role
from budgets.models import Organisation
from core.converters import INT64_MAX, Int64Converter

TOO_LARGE = str(INT64_MAX + 1)  # 9223372036854775808
# Real values for the other parameters, so that only the integer is out of range.
SLUGS = {
    "code": "tianjin-2020",
    "project_code": "tianjin-2020",
    "organisation_code": "tj-8890",
    "kind": "target_form",
    "format": "xlsx",
}


def _patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _converters(entry: URLPattern) -> dict[str, object]:
    return dict(getattr(entry.pattern, "converters", {}))


def _integer_routes() -> list[str]:
    return sorted(
        route
        for route, entry in _patterns(get_resolver().url_patterns)
        if any(isinstance(c, Int64Converter) for c in _converters(entry).values())
    )


def test_no_url_uses_the_unbounded_int_converter() -> None:
    unbounded = [
        route
        for route, entry in _patterns(get_resolver().url_patterns)
        if any(isinstance(c, IntConverter) for c in _converters(entry).values())
    ]
    assert unbounded == []
    # the penetration test's URL is among those walked below
    assert "operations/<slug:code>/<int64:year>/" in _integer_routes()


def _url(route: str) -> str:
    """The route with every integer 2**63 and every other parameter a real value."""
    url = route
    for name, converter in _converters(_route_entry(route)).items():
        value = TOO_LARGE if isinstance(converter, Int64Converter) else SLUGS[name]
        kind = "int64" if isinstance(converter, Int64Converter) else "slug"
        url = url.replace(f"<{kind}:{name}>", value)
    return "/" + url


def _route_entry(route: str) -> URLPattern:
    return next(e for r, e in _patterns(get_resolver().url_patterns) if r == route)


@pytest.mark.django_db
@pytest.mark.parametrize("route", _integer_routes())
def test_an_integer_beyond_64_bits_is_a_404(route: str) -> None:
    url = _url(route)
    if route.startswith("operations/<slug:code>"):  # an organisation's code
        url = url.replace("tianjin-2020", "tj-8890")
    for organisation, role in (("tj-czj", Role.ADMINISTRATOR), ("tj-8890", Role.UNIT)):
        user = User.objects.create_user(f"overflow-{role}", password="x" * 12)
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code=organisation),
            role=role,
        )
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_the_largest_64_bit_integer_still_matches() -> None:
    converter = Int64Converter()
    assert converter.to_python(str(INT64_MAX)) == INT64_MAX
    with pytest.raises(ValueError):
        converter.to_python(TOO_LARGE)
