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
                "webhook.subscribed": "Abonnement à des webhooks",
                "webhook.secret_rotated": "Nouveau secret d’un abonnement webhook",
                "webhook.ended": "Abonnement webhook résilié",
                "webhook.replayed": "Webhook renvoyé",
            }
        )
        # Webhooks follow what is recorded (api/webhooks.py, decision 0007).
        from django.db.models.signals import post_save

        from jalon.api import webhooks
        from jalon.history.models import Event
        from jalon.sms.models import MessageEvent

        post_save.connect(webhooks.on_history_event, sender=Event, dispatch_uid="webhooks-history")
        post_save.connect(webhooks.on_sms_event, sender=MessageEvent, dispatch_uid="webhooks-sms")
