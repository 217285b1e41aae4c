"""The tribunal copies made mandatory, kept by triggers and indexed with the day (a
migration of its own: PostgreSQL alters no table with the backfill's checks pending)."""

from django.db import migrations, models

from jalon.cases import copies
from jalon.cases.migrations._tribunal_field import tribunal_field


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_tribunal_copy")]

    operations = [
        migrations.AlterField("orientation", "tribunal", tribunal_field(null=False)),
        migrations.AlterField("judgment", "tribunal", tribunal_field(null=False)),
        migrations.RunSQL(copies.TRIBUNAL_INSTALL, copies.TRIBUNAL_UNINSTALL),
        migrations.AddIndex(
            "orientation",
            models.Index(fields=["tribunal", "decided_on"], name="orientation_tj_decided"),
        ),
        migrations.AddIndex(
            "judgment",
            models.Index(fields=["tribunal", "delivered_on"], name="judgment_tj_delivered"),
        ),
    ]
