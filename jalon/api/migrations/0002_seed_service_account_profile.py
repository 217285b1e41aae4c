"""The profile of the API clients' service account agents (decision 0006)."""

from django.db import migrations

KINDS = [
    "spip",
    "spip_antenna",
    "sap",
    "bex",
    "greffe_correctionnel",
    "parquet",
    "parquet_general",
    "siege",
]


def seed(apps, schema_editor):
    Profile = apps.get_model("access", "Profile")
    Profile.objects.update_or_create(
        code="api_client",
        defaults={
            "label": "Client API (partenaire)",
            "family": "msj",
            "allowed_service_kinds": KINDS,
            "jurisdiction_level": "any",
            "capabilities": [],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_clients"), ("access", "0008_penal_bench_profile")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
