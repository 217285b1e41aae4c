from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "jalon.help"
    label = "help"
    verbose_name = "Aide"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "help.problem_reported": "Problème signalé à l’assistance",
                "help.problem_handled": "Signalement marqué comme traité",
            }
        )
