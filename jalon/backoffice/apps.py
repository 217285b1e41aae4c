from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "jalon.backoffice"
    label = "backoffice"
    verbose_name = "Administration nationale"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "referential.created": "Ajout à un référentiel national",
                "referential.updated": "Modification d’un référentiel national",
                "referential.deactivated": "Désactivation dans un référentiel national",
                "referential.reactivated": "Réactivation dans un référentiel national",
            }
        )
