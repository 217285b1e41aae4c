from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jalon.people"
    label = "people"
    verbose_name = "Personnes suivies"

    def ready(self) -> None:
        from jalon.history.registry import register

        register(
            {
                "person.created": "Fiche créée",
                "person.updated": "Fiche modifiée",
                "person.viewed": "Fiche consultée",
                "person.archived": "Fiche archivée",
                "person.unarchived": "Fiche désarchivée",
                "person.sms_refused": "Refus des SMS enregistré",
                "person.sms_accepted": "SMS de nouveau acceptés",
                "situations.deleted": "Situations clôturées depuis 6 ans supprimées",
            }
        )
