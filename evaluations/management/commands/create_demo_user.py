from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import ExpertAssignment, Membership
from budgets.models import Organisation
from core.access import Role
from evaluations.models import Evaluation

DEMO_PASSWORD = "hotline-demo-2026"
DEMO_ADMIN = "demo"

# username, organisation code, role: one account per kind of user, on the seed organisations
DEMO_ACCOUNTS = (
    ("tj-finance", "tj-czj", Role.FINANCE),
    ("tj-centre", "tj-8890", Role.UNIT),
    ("tj-evaluator", "tj-evaluator", Role.EVALUATOR),
    ("pj-evaluator", "pj-yshj", Role.EVALUATOR),
    ("sz-centre", "sz-bmfw", Role.UNIT),
    ("tj-department", "tj-zwfw", Role.DEPARTMENT),
    ("pj-finance", "pj-czj", Role.FINANCE),
    ("tj-expert", "tj-czj", Role.EXPERT),
    ("tj-admin", "tj-czj", Role.ADMINISTRATOR),
)
# The expert reviews these evaluations (accounts.models.ExpertAssignment).
EXPERT_EVALUATIONS = {"tj-expert": ("tianjin-2020",)}
# Every account this command makes: production refuses to start while one is active
# (core/checks.py), since their password is public.
DEMO_USERNAMES = (DEMO_ADMIN, *(username for username, _org, _role in DEMO_ACCOUNTS))


class Command(BaseCommand):
    help = (
        "创建本地演示账号：管理员 demo 和每种角色各一个，并打印登录信息。"
        "已有账号的密码不变，除非给出 --reset-passwords。生产环境拒绝运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("HOTLINE_PERF_DEMO_PASSWORD", DEMO_PASSWORD),
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="把已有演示账号的密码也重设为 --password。",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "HOTLINE_PERF_PRODUCTION", False):
            raise CommandError(
                "生产环境不能创建演示账号：它们的密码是公开的。"
                "请在管理后台为真实用户建账号。"
            )
        password: str = options["password"]
        reset: bool = options["reset_passwords"]
        admin, password_set = _account(DEMO_ADMIN, password, reset=reset)
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        lines = [f"  demo（系统管理员）  {_shown(password, password_set)}"]
        for username, org_code, role in DEMO_ACCOUNTS:
            organisation = Organisation.objects.filter(code=org_code).first()
            if organisation is None:
                continue
            user, password_set = _account(username, password, reset=reset)
            Membership.objects.update_or_create(
                user=user, defaults={"organisation": organisation, "role": role}
            )
            for code in EXPERT_EVALUATIONS.get(username, ()):
                evaluation = Evaluation.objects.filter(code=code).first()
                if evaluation is not None:
                    ExpertAssignment.objects.get_or_create(
                        user=user, evaluation=evaluation
                    )
            lines.append(
                f"  {username}（{role.label}，{organisation.name}）  "
                f"{_shown(password, password_set)}"
            )
        self.stdout.write(self.style.SUCCESS("演示账号 → http://127.0.0.1:8000/"))
        for line in lines:
            self.stdout.write(line)


def _account(username: str, password: str, *, reset: bool) -> tuple[User, bool]:
    """The account and whether its password was set now: a new account gets ``password``,
    an existing one only with ``reset``; Django's password validators check it first."""
    user = User.objects.filter(username=username).first()
    if user is not None and not reset:
        return user, False
    candidate = user or User(username=username)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise CommandError(
            f"密码不可用（账号 {username}）：{' '.join(error.messages)}"
        ) from None
    candidate.set_password(password)
    candidate.save()
    return candidate, True


def _shown(password: str, password_set: bool) -> str:
    return f"密码 {password}" if password_set else "已有账号，密码未改"
