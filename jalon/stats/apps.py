from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "jalon.stats"
    label = "stats"
    verbose_name = "Statistiques"

    def ready(self) -> None:
        from jalon.history.registry import register
        from jalon.stats import chain_indicators, flows

        chain_indicators.register()  # penal-chain indicators join INDICATORS
        flows.register()  # the transfer, sortie d'audience and situation indicators

        # The retention job (people/retention.py) writes this summary when it turns the
        # deleted persons' convocations and SMS into the anonymous counts below.
        register(
            {
                "persons.deleted": "Suppression automatique des fiches archivées",
                "stats.exported": "Export d’un tableau de statistiques",
                "stats.infocentre_requested": "Demande de l’export statistique mensuel",
                "stats.infocentre_generated": "Export statistique mensuel généré",
                "stats.infocentre_downloaded": "Téléchargement de l’export statistique mensuel",
            }
        )
