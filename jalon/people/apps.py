from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig
from django.core.exceptions import FieldDoesNotExist


def _updated_fields(details: Mapping[str, Any]) -> str:
    """Which fields changed (never their values: history keeps no personal details)."""
    from jalon.people.models import Person

    labels = []
    for name in details["fields"]:
        try:
            field = Person._meta.get_field(name)
            labels.append(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:  # a field removed since the event was written
            labels.append(name)
    return "Modifié : " + ", ".join(labels) if labels else ""


class PeopleConfig(AppConfig):
    name = "jalon.people"
    label = "people"
    verbose_name = "Personnes suivies"

    def ready(self) -> None:
        from jalon.history.registry import register, register_summaries

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
        register_summaries({"person.updated": _updated_fields})
