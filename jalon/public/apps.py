from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jalon.public"
    label = "public"
    verbose_name = "Pages publiques et lien personnel des SMS"

    def ready(self) -> None:
        from jalon.history.registry import register
        from jalon.public import checks  # noqa: F401  (registers the deployment check)

        register(
            {
                "public.service_page_edited": "Page publique du service modifiée",
                "public.info_page_edited": "Page d’information publique modifiée",
                "public.link_refused": "Lien personnel de convocation : accès refusé",
                "public.link_opened": "Lien personnel de convocation ouvert par la personne",
                "public.link_locked": "Lien personnel de convocation verrouillé",
                "public.presence_confirmed": "Présence confirmée par la personne",
                "public.move_requested": "Report demandé par la personne",
                "public.move_refused_input": "Demande de report refusée (saisie invalide)",
                "public.move_accepted": "Demande de report acceptée",
                "public.move_declined": "Demande de report refusée par le service",
            }
        )
