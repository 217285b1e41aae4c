# Daily grain (and the reminder flag) for the anonymous counts: indicators are cut by day and
# week, and by "with or without a delivered reminder". Existing rows keep their month's
# first day as their day (their finer grain was never recorded).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="appointmentcount", name="appointment_count_unique"),
        migrations.RemoveConstraint(model_name="messagecount", name="message_count_unique"),
        migrations.RenameField(model_name="appointmentcount", old_name="month", new_name="day"),
        migrations.RenameField(model_name="messagecount", old_name="month", new_name="day"),
        migrations.AlterField(
            model_name="appointmentcount",
            name="day",
            field=models.DateField(
                help_text="Jour de la convocation, heure locale du service.", verbose_name="jour"
            ),
        ),
        migrations.AlterField(
            model_name="messagecount",
            name="day",
            field=models.DateField(
                help_text="Jour d’envoi prévu, heure locale du service.", verbose_name="jour"
            ),
        ),
        migrations.AddField(
            model_name="appointmentcount",
            name="reminder_delivered",
            field=models.BooleanField(default=False, verbose_name="rappel reçu"),
        ),
        migrations.AddConstraint(
            model_name="appointmentcount",
            constraint=models.UniqueConstraint(
                fields=("day", "service", "appointment_type", "status", "reminder_delivered"),
                name="appointment_count_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="messagecount",
            constraint=models.UniqueConstraint(
                fields=("day", "service", "kind", "status"), name="message_count_unique"
            ),
        ),
    ]
