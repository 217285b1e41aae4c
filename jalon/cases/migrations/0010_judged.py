"""Orientations carry the day of their party's first judgment and until when they await one
(``cases.copies``)."""

import django.db.models.functions.comparison
from django.db import migrations, models

from jalon.cases import copies


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_tribunal_copy_kept")]

    operations = [
        migrations.AddField(
            model_name="orientation",
            name="judged_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="jugé en premier ressort le"
            ),
        ),
        migrations.RunSQL(copies.JUDGED_REBUILD, migrations.RunSQL.noop),
        migrations.AddField(
            model_name="orientation",
            name="awaiting_until",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Least(
                    models.F("superseded_on"), models.F("judged_on")
                ),
                output_field=models.DateField(),
            ),
        ),
        migrations.RunSQL(copies.JUDGED_INSTALL, copies.JUDGED_UNINSTALL),
        migrations.AddIndex(
            model_name="orientation",
            index=models.Index(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "copj",
                            "cppv",
                            "crpc",
                            "direct_summons",
                            "immediate",
                            "penal_order",
                            "police_summons",
                        ],
                    ),
                    ("party__isnull", False),
                ),
                fields=["awaiting_until", "tribunal"],
                name="orientation_awaiting",
            ),
        ),
    ]
