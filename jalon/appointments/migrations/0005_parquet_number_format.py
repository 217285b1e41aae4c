"""The numéro de parquet gets one format (jalon/core/parquet.py) and an index for the search.

Existing rows: values that parse (``27/123/42``, ``27 123 000042``…) are rewritten to the
canonical 11 digits; the others are left exactly as typed, so nothing is lost (the field still
holds them; only new input must be valid). Going back keeps the canonical values, which were
already acceptable free text.
"""

from django.db import migrations, models

from jalon.core.parquet import normalize_legacy


def normalise_parquet_numbers(apps, schema_editor):  # type: ignore[no-untyped-def]
    Appointment = apps.get_model("appointments", "Appointment")
    # One UPDATE per distinct typed value: far fewer than the rows on a national database.
    values = (
        Appointment.objects.exclude(prosecution_number="")
        .values_list("prosecution_number", flat=True)
        .distinct()
        .order_by()
    )
    for value in values.iterator(chunk_size=5000):
        canonical = normalize_legacy(value)
        if canonical != value:
            Appointment.objects.filter(prosecution_number=value).update(
                prosecution_number=canonical
            )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0004_capability_choices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointment",
            name="prosecution_number",
            field=models.CharField(
                blank=True,
                help_text="11 chiffres : année, jour de l’année, numéro d’ordre (format Cassiopée).",
                max_length=30,
                verbose_name="numéro de parquet",
            ),
        ),
        migrations.RunPython(normalise_parquet_numbers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(
                condition=models.Q(("prosecution_number", ""), _negated=True),
                fields=["prosecution_number"],
                name="appointment_parquet",
            ),
        ),
    ]
