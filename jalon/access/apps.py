from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "jalon.access"
    label = "access"
    verbose_name = "Organisation et accès"

    def ready(self) -> None:
        from jalon.access import signals
        from jalon.history.registry import register, register_summaries

        register(signals.HISTORY_LABELS)
        register_summaries({"auth.login": signals.login_summary})
        signals.connect()
