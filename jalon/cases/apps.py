from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jalon.cases"
    label = "cases"
    verbose_name = "Procédures pénales et infractions (NATINF)"

    def ready(self) -> None:
        from jalon.access.demo import register_demo_part
        from jalon.cases.demo import load_natinf_demo
        from jalon.history.registry import register

        register_demo_part(load_natinf_demo)
        register(
            {
                "natinf.imported": "Import d’une édition de la liste NATINF",
                "procedure.registered": "Enregistrement de la procédure",
                "procedure.updated": "Modification de la procédure",
                "procedure.party_added": "Ajout d’une personne à la procédure",
                "procedure.charge_added": "Ajout d’une infraction poursuivie",
                "procedure.oriented": "Orientation de la procédure",
                "procedure.warning_acknowledged": "Avertissement pris en compte",
            }
        )
