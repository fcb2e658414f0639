"""Before positions become unique per form: a form whose indicators share a position
(imported data, or two simultaneous additions) is numbered 1, 2, … in its current order
(position, then creation). Forms without a shared position are left as they are."""

from django.db import migrations
from django.db.models import Count


def renumber(apps, schema_editor):
    TargetIndicator = apps.get_model("targets", "TargetIndicator")
    shared = (
        TargetIndicator.objects.values("form_id", "position")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("form_id", flat=True)
    )
    for form_id in sorted(set(shared)):
        rows = list(
            TargetIndicator.objects.filter(form_id=form_id).order_by("position", "id")
        )
        for number, row in enumerate(rows, start=1):
            row.position = number
        TargetIndicator.objects.bulk_update(rows, ["position"])


class Migration(migrations.Migration):
    dependencies = [("targets", "0005_target_form_snapshot")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
