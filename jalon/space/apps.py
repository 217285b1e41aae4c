from django.apps import AppConfig


class SpaceConfig(AppConfig):
    name = "jalon.space"
    label = "space"
    verbose_name = "Espace personnel des personnes suivies"

    def ready(self) -> None:
        from jalon.history.registry import register
        from jalon.sms import content
        from jalon.space import actions

        content.register_account_text(actions.account_text)
        register(
            {
                "space.invited": "Invitation à l’espace personnel envoyée",
                "space.invitation_resent": "Invitation à l’espace personnel renvoyée",
                "space.account_created": "Espace personnel : compte créé par la personne",
                "space.logged_in": "Espace personnel : connexion",
                "space.locked_out": "Espace personnel : connexion bloquée",
                "space.reset_code_sent": "Espace personnel : code de mot de passe envoyé",
                "space.password_reset": "Espace personnel : mot de passe changé",
                "space.refused": "Espace personnel : demande refusée",
                "space.viewed": "Espace personnel : convocation consultée par la personne",
            }
        )
