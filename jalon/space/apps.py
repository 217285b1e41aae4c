from django.apps import AppConfig


class SpaceConfig(AppConfig):
    name = "jalon.space"
    label = "space"
    verbose_name = "Espace personnel des personnes suivies"

    def ready(self) -> None:
        from jalon.access.demo import register_demo_part
        from jalon.history.registry import register
        from jalon.sms import content
        from jalon.space import actions

        content.register_account_text(actions.account_text)
        from jalon.space.demo import load_space_demo

        register_demo_part(load_space_demo)
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
            }
        )
