from django.db import migrations


def create_pages(apps, schema_editor):
    from jalon.public.seed import create_initial_pages

    create_initial_pages(apps.get_model("public", "InfoPage"))


class Migration(migrations.Migration):
    dependencies = [("public", "0001_service_and_info_pages_links")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
