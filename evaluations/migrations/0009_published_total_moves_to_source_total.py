"""The totals stored so far were printed by the source reports (the seeds): they become
``source_total``; a draft has published nothing yet, so its ``published_total`` empties.
A submitted evaluation keeps its published total (it was published)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    for evaluation in Evaluation.objects.exclude(
        published_total=None, published_grade=""
    ):
        evaluation.source_total = evaluation.published_total
        evaluation.source_grade = evaluation.published_grade
        if evaluation.status != "submitted":
            evaluation.published_total = None
            evaluation.published_grade = ""
        evaluation.save(
            update_fields=[
                "source_total",
                "source_grade",
                "published_total",
                "published_grade",
            ]
        )


def backwards(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    for evaluation in Evaluation.objects.exclude(source_total=None, source_grade=""):
        if evaluation.published_total is None:
            evaluation.published_total = evaluation.source_total
            evaluation.published_grade = evaluation.source_grade
            evaluation.save(update_fields=["published_total", "published_grade"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_published_total_set_on_submission"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
