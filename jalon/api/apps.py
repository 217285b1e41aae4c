from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jalon.api"
    label = "api"
    verbose_name = "API des partenaires"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "api_client.created": "Création d’un client API",
                "api_client.updated": "Modification d’un client API",
                "api_client.key_rotated": "Nouvelle clé d’un client API",
                "api_client.revoked": "Révocation d’un client API",
            }
        )
