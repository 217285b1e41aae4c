from django.urls import path, re_path

from jalon.appointments.views import (
    appointments,
    calendars,
    ddse,
    exports,
    hearing,
    places,
    registration,
    slots,
)

urlpatterns = [
    # Under /personnes/ but above people: registering with a first convocation, and booking.
    path("personnes/nouvelle/", registration.person_create, name="person_create"),
    path("personnes/<int:person_id>/convoquer/", appointments.person_book, name="person_book"),
    path(
        "convocations/statut-inconnu/",
        appointments.unknown_status_queue,
        name="unknown_status_queue",
    ),
    path(
        "convocations/statut-inconnu/statut/",
        appointments.unknown_status_bulk,
        name="unknown_status_bulk",
    ),
    path(
        "convocations/statut-inconnu/export.csv",
        exports.unknown_status_csv,
        name="unknown_status_csv",
    ),
    path(
        "convocations/<int:appointment_id>/",
        appointments.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "convocations/<int:appointment_id>/replanifier/",
        appointments.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "convocations/<int:appointment_id>/reconvoquer/",
        appointments.appointment_reconvene,
        name="appointment_reconvene",
    ),
    path(
        "convocations/<int:appointment_id>/convocation.pdf",
        appointments.appointment_letter,
        name="appointment_letter",
    ),
    path(
        "convocations/<int:appointment_id>/convocation.ics",
        appointments.appointment_ics,
        name="appointment_ics",
    ),
    path(
        "convocations/<int:appointment_id>/annulation/",
        appointments.appointment_cancel,
        name="appointment_cancel",
    ),
    re_path(
        r"^convocations/(?P<appointment_id>\d+)/(?P<operation>honoree|non-honoree|excusee|retablir|annuler)/$",
        appointments.appointment_operation,
        name="appointment_operation",
    ),
    path("agendas/", appointments.agenda_list, name="agenda_list"),
    path("sortie-audience/", hearing.hearing_exit, name="hearing_exit"),
    path("sortie-audience/confirmation/", hearing.hearing_done, name="hearing_done"),
    path("agendas/mon-service/jour/", calendars.service_day, name="service_day"),
    path(
        "agendas/<int:agenda_id>/calendrier/",
        calendars.agenda_calendar,
        name="agenda_calendar",
    ),
    path(
        "agendas/<int:agenda_id>/calendrier/jour.pdf",
        calendars.agenda_calendar_pdf,
        name="agenda_calendar_pdf",
    ),
    path("agendas/<int:agenda_id>/jour.pdf", appointments.agenda_day, name="agenda_day"),
    path("agendas/<int:agenda_id>/jour.csv", exports.agenda_day_csv, name="agenda_day_csv"),
    path("agendas/<int:agenda_id>/creneaux/", slots.slot_list, name="slot_list"),
    path("agendas/<int:agenda_id>/creneaux/nouveau/", slots.slot_create, name="slot_create"),
    path(
        "agendas/<int:agenda_id>/creneaux/<int:slot_id>/modifier/",
        slots.slot_edit,
        name="slot_edit",
    ),
    path("agendas/<int:agenda_id>/modeles/", slots.pattern_list, name="pattern_list"),
    path(
        "agendas/<int:agenda_id>/modeles/nouveau/",
        slots.pattern_create,
        name="pattern_create",
    ),
    path(
        "agendas/<int:agenda_id>/modeles/<int:pattern_id>/modifier/",
        slots.pattern_edit,
        name="pattern_edit",
    ),
    path(
        "agendas/<int:agenda_id>/modeles/<int:pattern_id>/supprimer/",
        slots.pattern_delete,
        name="pattern_delete",
    ),
    path("personnes/<int:person_id>/creneau/", slots.person_slot_book, name="person_slot_book"),
    path(
        "personnes/<int:person_id>/pose-bracelet/",
        ddse.person_ddse_book,
        name="person_ddse_book",
    ),
    path("administration/lieux/", places.place_list, name="place_list"),
    path("administration/lieux/nouveau/", places.place_create, name="place_create"),
    path("administration/lieux/<int:place_id>/", places.place_edit, name="place_edit"),
    path(
        "administration/lieux/<int:place_id>/agendas/nouveau/",
        places.agenda_create,
        name="agenda_create",
    ),
    path(
        "administration/lieux/<int:place_id>/agendas/<int:agenda_id>/",
        places.agenda_edit,
        name="agenda_edit",
    ),
]
