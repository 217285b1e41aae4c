"""Orientations and judgments carry their procedure's tribunal (``cases.copies``)."""

from django.db import migrations

from jalon.cases import copies
from jalon.cases.migrations._tribunal_field import tribunal_field


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0014_jurisdiction_national_statistics"),
        ("cases", "0007_measure_end"),
    ]

    operations = [
        migrations.AddField("orientation", "tribunal", tribunal_field(null=True)),
        migrations.AddField("judgment", "tribunal", tribunal_field(null=True)),
        migrations.RunSQL(copies.TRIBUNAL_BACKFILL, migrations.RunSQL.noop),
    ]
