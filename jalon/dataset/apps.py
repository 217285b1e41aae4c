from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "jalon.dataset"
    verbose_name = "Jeu de données synthétique"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jalon.dataset import procedure_shapes, procedures, situations
        from jalon.dataset.generate import register_phase

        register_phase(
            "situations",
            situations.run,
            tables=situations.OWN_MODELS,
            reset=situations.reset_policies,
        )
        register_phase(
            "procedures",
            procedures.run,
            tables=procedure_shapes.OWN_MODELS,
            reset=procedure_shapes.reset_referential,
        )
