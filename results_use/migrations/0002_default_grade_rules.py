"""The default rule (no bureau): 优 may increase, 良 keep, 中 reduce by 10 %, 差 reduce or
stop — the common practice of 预算绩效管理 (a bureau sets its own in the admin)."""

from decimal import Decimal

from django.db import migrations

DEFAULT_RULES = [
    ("优", "increase", None, "可适当增加预算安排"),
    ("良", "keep", None, "原则上维持预算规模"),
    ("中", "reduce", Decimal("10"), "按10%比例压减预算"),
    ("差", "reduce_or_stop", None, "压减预算或取消项目"),
]


def add_rules(apps, schema_editor):
    GradeRule = apps.get_model("results_use", "GradeRule")
    for grade, action, share, text in DEFAULT_RULES:
        GradeRule.objects.get_or_create(
            bureau=None,
            grade=grade,
            defaults={"action": action, "share": share, "text": text},
        )


def remove_rules(apps, schema_editor):
    GradeRule = apps.get_model("results_use", "GradeRule")
    GradeRule.objects.filter(bureau=None).delete()


class Migration(migrations.Migration):
    dependencies = [("results_use", "0001_grade_rules_and_decisions")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
