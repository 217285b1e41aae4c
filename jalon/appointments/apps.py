from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "jalon.appointments"
    label = "appointments"
    verbose_name = "Convocations"

    def ready(self) -> None:
        from jalon.access.demo import register_demo_part
        from jalon.appointments import sms_content
        from jalon.appointments.demo import load_convocation_demo, load_penal_convocation_demo
        from jalon.history.registry import register
        from jalon.sms import checks, content

        content.register_values(sms_content.values_for)
        content.register_types(sms_content.types_for_templates)
        checks.register_appointment_check(sms_content.send_time_objection)
        register_demo_part(load_convocation_demo)
        # After the hearing slots above and the penal chain (cases registers its part first).
        register_demo_part(load_penal_convocation_demo)

        register(
            {
                "appointment.booked": "Convocation prise",
                "appointment.honoured": "Convocation honorée",
                "appointment.missed": "Convocation non honorée",
                "appointment.excused": "Convocation excusée",
                "appointment.cancelled": "Convocation annulée",
                "appointment.reverted": "Statut de convocation annulé",
                "appointment.rescheduled": "Convocation replanifiée",
                "appointment.rescheduled_booking": "Nouvelle date après replanification",
                "appointment.reconvened": "Reconvocation",
                "appointment.letter_printed": "Convocation papier éditée",
                "slot.created": "Créneau créé",
                "slot.changed": "Créneau modifié",
                "slots.closed": "Créneaux fermés",
                "slots.generated": "Créneaux récurrents générés",
                "slot_pattern.created": "Modèle de créneaux récurrents créé",
                "slot_pattern.changed": "Modèle de créneaux récurrents modifié",
                "slot_pattern.deleted": "Modèle de créneaux récurrents supprimé",
                "sms.resent": "SMS renvoyé",
            }
        )
