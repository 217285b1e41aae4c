from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "jalon.territory"
    label = "territory"
    verbose_name = "Communes et ressorts"

    def ready(self) -> None:
        from jalon.history.registry import register

        register({"communes.imported": "Import de la table des communes"})
