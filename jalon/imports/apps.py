from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jalon.imports"
    label = "imports"
    verbose_name = "Imports de personnes et de convocations"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "import.uploaded": "Dépôt d’un fichier à importer",
                "import.started": "Lancement d’un import de fichier",
                "import.finished": "Fin d’un import de fichier",
            }
        )
