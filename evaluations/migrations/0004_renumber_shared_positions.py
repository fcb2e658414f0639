"""Before positions become unique per evaluation: findings or recommendations of an
evaluation that share a position (taken as "count + 1") are numbered 1, 2, … in their
current order. Evaluations without a shared position are left as they are."""

from django.db import migrations
from django.db.models import Count


def renumber(apps, schema_editor):
    for name in ("Finding", "Recommendation"):
        model = apps.get_model("evaluations", name)
        shared = (
            model.objects.values("evaluation_id", "position")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list("evaluation_id", flat=True)
        )
        for evaluation_id in sorted(set(shared)):
            rows = list(
                model.objects.filter(evaluation_id=evaluation_id).order_by(
                    "position", "id"
                )
            )
            for number, row in enumerate(rows, start=1):
                row.position = number
            model.objects.bulk_update(rows, ["position"])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_evaluation_snapshot")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
