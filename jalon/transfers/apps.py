from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "jalon.transfers"
    label = "transfers"
    verbose_name = "Transferts de suivi (dessaisissements)"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "transfer.requested": "Transfert du suivi demandé",
                "transfer.accepted": "Transfert du suivi accepté par un service",
                "transfer.refused": "Transfert du suivi refusé",
                "transfer.auto_accepted": "Transfert du suivi accepté automatiquement",
                "transfer.cancelled": "Demande de transfert annulée",
                "transfer.reminded": "Relance envoyée aux services sans réponse",
                "transfer.completed": "Suivi transféré",
            }
        )
