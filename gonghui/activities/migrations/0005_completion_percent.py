from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0004_counselling_lecture_model_worker_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="completion_percent",
            field=models.PositiveSmallIntegerField(default=100, verbose_name="sessions attended for a certificate (%)"),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("completion_percent__gte", 1), ("completion_percent__lte", 100)),
                name="activity_completion_percent_1_to_100"),
        ),
    ]
