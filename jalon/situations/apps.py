from django.apps import AppConfig


class SituationsConfig(AppConfig):
    name = "jalon.situations"
    label = "situations"
    verbose_name = "Situations (politiques pénales prioritaires)"

    def ready(self) -> None:
        from jalon.access.demo import register_demo_part
        from jalon.history.registry import register
        from jalon.situations.demo import load_situation_demo

        register_demo_part(load_situation_demo)

        register(
            {
                "situation.created": "Situation créée",
                "situation.updated": "Situation modifiée",
                "situation.viewed": "Situation consultée",
                "situation.appeal_changed": "Case « appel » modifiée",
                "situation.victim_added": "Victime ajoutée",
                "situation.procedure_added": "Procédure ajoutée",
                "situation.measure_added": "Mesure ajoutée",
                "situation.event_added": "Évènement ajouté",
                "situation.jaf_updated": "Partie JAF modifiée",
                "situation.review_recorded": "Revue enregistrée",
                "situation.followed": "Situation suivie",
                "situation.unfollowed": "Situation plus suivie",
                "situation_list.entry_added": "Entrée de liste ajustable ajoutée",
                "situation_list.entry_changed": "Entrée de liste ajustable (dés)activée",
                "meeting.planned": "Réunion d’instance planifiée",
                "meeting.item_added": "Situation inscrite à l’ordre du jour",
                "meeting.notes_saved": "Notes de réunion enregistrées",
                "meeting.agenda_printed": "Ordre du jour imprimé",
                "situations.exported": "Tableau de suivi exporté (CSV)",
                "situation.document_added": "Document déposé",
                "situation.document_downloaded": "Document téléchargé",
            }
        )
