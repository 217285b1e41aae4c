from django.db import migrations

from jalon.stats import maintained


class Migration(migrations.Migration):
    dependencies = [("stats", "0005_day_counts")]

    operations = [migrations.RunSQL(maintained.TRUNCATE_INSTALL, maintained.TRUNCATE_UNINSTALL)]
