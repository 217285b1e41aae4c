from django.db import migrations


def seed(apps, schema_editor):
    from jalon.access.seed import sync_seed_profiles

    sync_seed_profiles(apps.get_model("access", "Profile"))


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
