from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0007_evaluation_indicator_actual_typed"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="published_total_reason",
            field=models.TextField(
                blank=True,
                verbose_name="why the published total differs from the source report's",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="source_grade",
            field=models.CharField(
                blank=True, max_length=4, verbose_name="grade in the source report"
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="source_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=6,
                null=True,
                verbose_name="total in the source report",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source_total__gte", 0), ("source_total__lte", 100)),
                    ("source_total__isnull", True),
                    _connector="OR",
                ),
                name="evaluation_source_total_in_range",
                violation_error_message="A total score lies between 0 and 100.",
            ),
        ),
    ]
