from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jalon.cases"
    label = "cases"
    verbose_name = "Procédures pénales et infractions (NATINF)"

    def ready(self) -> None:
        from jalon.access.demo import register_demo_part
        from jalon.cases.demo import load_natinf_demo, load_penal_demo
        from jalon.cases.history_details import SUMMARIES
        from jalon.history.registry import register, register_summaries

        register_demo_part(load_natinf_demo)
        register_demo_part(load_penal_demo)  # after the referential it reads
        register(
            {
                "natinf.imported": "Import d’une édition de la liste NATINF",
                "procedure.registered": "Enregistrement de la procédure",
                "procedure.updated": "Modification de la procédure",
                "procedure.party_added": "Ajout d’une personne à la procédure",
                "procedure.charge_added": "Ajout d’une infraction poursuivie",
                "procedure.party_role_changed": "Correction de la qualité d’une personne",
                "procedure.party_removed": "Retrait d’une personne de la procédure",
                "procedure.charge_updated": "Correction des faits d’une infraction poursuivie",
                "procedure.charge_removed": "Suppression d’une infraction poursuivie",
                "procedure.oriented": "Orientation de la procédure",
                "procedure.warning_acknowledged": "Avertissement pris en compte",
                "procedure.hearing_scheduled": "Audiencement",
                "procedure.hearing_letter_printed": "Impression de la convocation à l’audience",
                "procedure.hearing_held": "Enregistrement d’une audience qui s’est tenue",
                "procedure.judgment_recorded": "Enregistrement du jugement",
                "procedure.judgment_served": "Signification du jugement",
                "procedure.appeal_recorded": "Enregistrement d’un appel",
                "procedure.judgment_final": "Jugement devenu définitif",
                "procedure.judgment_executable": "Décision exécutoire transmise pour exécution",
                "procedure.execution_taken": "Prise en charge par le BEX",
                "procedure.measure_ended": "Fin d’une mesure",
            }
        )
        register_summaries(SUMMARIES)
