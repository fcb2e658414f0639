"""People are named family name first, without a space, as Chinese names are written."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.template import Context, Template

from core.people import person_name


def test_family_name_then_given_name() -> None:
    user = User(username="wjg", first_name="建国", last_name="王")
    assert user.get_full_name() == "建国 王"  # Django's order, which we do not show
    assert person_name(user) == "王建国"


def test_the_login_name_when_there_is_no_name() -> None:
    assert person_name(User(username="tj-finance")) == "tj-finance"
    assert person_name(User(username="clerk", first_name="王")) == "王"


def test_nobody_is_named_as_nothing() -> None:
    assert person_name(None) == ""
    assert person_name(AnonymousUser()) == ""


def test_the_template_filter() -> None:
    template = Template('{% load people %}{{ user|person|default:"系统导入" }}')
    named = User(username="x", first_name="建国", last_name="王")
    assert template.render(Context({"user": named})) == "王建国"
    assert template.render(Context({"user": None})) == "系统导入"
