from django.db import migrations


def seed(apps, schema_editor):
    from jalon.situations.seed import sync_seed_policies

    sync_seed_policies(apps.get_model("situations", "Policy"))


class Migration(migrations.Migration):
    dependencies = [
        ("situations", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
