from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "jalon.dataset"
    verbose_name = "Jeu de données synthétique"
    default_auto_field = "django.db.models.BigAutoField"
