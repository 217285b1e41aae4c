from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jalon.core"
    label = "core"
    verbose_name = "Socle"
