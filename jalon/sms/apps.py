from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "jalon.sms"
    label = "sms"
    verbose_name = "SMS"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "sms.template_changed": "Modèle de SMS modifié",
                "sms.template_reset": "Personnalisation d’un modèle de SMS supprimée",
            }
        )
