"""The contact fields of the objects behind a document (disclosure/subjects.py): each
value as printed, a user by their name."""

from __future__ import annotations

from django.contrib.auth.models import User

from budgets.models import Organisation, Project
from disclosure.patterns import Category
from disclosure.subjects import FieldValue, Subject
from rectifications.models import RectificationItem


def test_the_contact_fields_give_each_value_as_printed() -> None:
    project = Project(manager=" 许春梅 ", manager_phone="022-24538025")
    verifier = User(username="tj-finance", last_name="赵", first_name="敏")
    verified = RectificationItem(verified_by=verifier)
    open_item = RectificationItem()
    subject = Subject(Organisation(), 2020, (project, verified, open_item))
    assert subject.field_values() == [
        FieldValue(Category.NAME, "项目负责人", "许春梅"),
        FieldValue(Category.LANDLINE, "联系电话", "022-24538025"),
        FieldValue(Category.NAME, "销号人", "赵敏"),
    ]


def test_an_empty_contact_field_lists_nothing() -> None:
    assert Subject(Organisation(), None, (Project(),)).field_values() == []
