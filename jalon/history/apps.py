from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "jalon.history"
    label = "history"
    verbose_name = "Historique"
