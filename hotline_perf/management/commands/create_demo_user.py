from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import ExpertAssignment, Membership, Role
from budgets.models import Organisation
from evaluations.models import Evaluation

DEMO_PASSWORD = "hotline-demo-2026"

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


class Command(BaseCommand):
    help = "创建（或重置）本地演示账号：管理员 demo 和每种角色各一个，并打印登录信息。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("HOTLINE_PERF_DEMO_PASSWORD", DEMO_PASSWORD),
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        password = options["password"]
        admin, _created = user_model.objects.get_or_create(username="demo")
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        lines = [f"  demo（系统管理员）  密码 {password}"]
        for username, org_code, role in DEMO_ACCOUNTS:
            organisation = Organisation.objects.filter(code=org_code).first()
            if organisation is None:
                continue
            user, _created = user_model.objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
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
                f"  {username}（{role.label}，{organisation.name}）  密码 {password}"
            )
        self.stdout.write(self.style.SUCCESS("演示账号 → http://127.0.0.1:8000/"))
        for line in lines:
            self.stdout.write(line)
