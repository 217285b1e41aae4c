import django.contrib.postgres.fields
from django.db import migrations, models


def seed(apps, schema_editor):
    from jalon.access.seed import sync_seed_profiles

    sync_seed_profiles(apps.get_model("access", "Profile"))


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0005_service_inter_ressort"),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="capabilities",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("administer_platform", "Administrer la plateforme (national)"),
                        ("manage_service_agents", "Gérer les agents de son service"),
                        ("grant_local_admin", "Attribuer le profil d’administrateur local"),
                        ("unarchive_persons", "Désarchiver les personnes suivies (MSJ-30)"),
                        ("book_tag_fitting", "Convoquer pour une pose de bracelet (SAP DDSE)"),
                        ("manage_slots", "Gérer les créneaux de son service"),
                        (
                            "manage_tag_fitting_slots",
                            "Gérer les créneaux de pose de bracelet (SAP DDSE) de son service",
                        ),
                        ("manage_slot_patterns", "Gérer les créneaux récurrents de son service"),
                        (
                            "manage_situations",
                            "Lire et modifier toutes les situations de sa juridiction (SISPoPP)",
                        ),
                        (
                            "jaf_situations",
                            "Lire les situations VIF « Procédure JAF » ou « OP » et écrire la partie JAF",
                        ),
                        ("edit_cabinet_lists", "Modifier les listes de cabinets JE, JAP et JI"),
                        (
                            "edit_instance_list",
                            "Modifier la liste des instances de concertation",
                        ),
                    ],
                    max_length=50,
                ),
                blank=True,
                default=list,
                size=None,
                verbose_name="capacités",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
