from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", False)),
                fields=["archived_at"],
                name="person_archived_at",
            ),
        ),
    ]
