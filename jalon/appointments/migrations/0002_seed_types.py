from django.db import migrations


def seed(apps, schema_editor):
    from jalon.appointments.seed import sync_seed_types

    sync_seed_types(apps.get_model("appointments", "AppointmentType"))


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
