from django.urls import path, re_path

from jalon.appointments import (
    admin_views,
    calendar_views,
    ddse_views,
    hearing_views,
    registration_views,
    slot_views,
    views,
)

urlpatterns = [
    # Under /personnes/ but above people: registering with a first convocation, and booking.
    path("personnes/nouvelle/", registration_views.person_create, name="person_create"),
    path("personnes/<int:person_id>/convoquer/", views.person_book, name="person_book"),
    path("convocations/statut-inconnu/", views.unknown_status_queue, name="unknown_status_queue"),
    path("convocations/<int:appointment_id>/", views.appointment_detail, name="appointment_detail"),
    path(
        "convocations/<int:appointment_id>/replanifier/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "convocations/<int:appointment_id>/reconvoquer/",
        views.appointment_reconvene,
        name="appointment_reconvene",
    ),
    path(
        "convocations/<int:appointment_id>/convocation.pdf",
        views.appointment_letter,
        name="appointment_letter",
    ),
    path(
        "convocations/<int:appointment_id>/convocation.ics",
        views.appointment_ics,
        name="appointment_ics",
    ),
    re_path(
        r"^convocations/(?P<appointment_id>\d+)/(?P<operation>honoree|non-honoree|excusee|retablir|annuler)/$",
        views.appointment_operation,
        name="appointment_operation",
    ),
    path("agendas/", views.agenda_list, name="agenda_list"),
    path("sortie-audience/", hearing_views.hearing_exit, name="hearing_exit"),
    path("sortie-audience/confirmation/", hearing_views.hearing_done, name="hearing_done"),
    path("agendas/mon-service/jour/", calendar_views.service_day, name="service_day"),
    path(
        "agendas/<int:agenda_id>/calendrier/",
        calendar_views.agenda_calendar,
        name="agenda_calendar",
    ),
    path(
        "agendas/<int:agenda_id>/calendrier/jour.pdf",
        calendar_views.agenda_calendar_pdf,
        name="agenda_calendar_pdf",
    ),
    path("agendas/<int:agenda_id>/jour.pdf", views.agenda_day, name="agenda_day"),
    path("agendas/<int:agenda_id>/creneaux/", slot_views.slot_list, name="slot_list"),
    path("agendas/<int:agenda_id>/creneaux/nouveau/", slot_views.slot_create, name="slot_create"),
    path(
        "agendas/<int:agenda_id>/creneaux/<int:slot_id>/modifier/",
        slot_views.slot_edit,
        name="slot_edit",
    ),
    path("agendas/<int:agenda_id>/modeles/", slot_views.pattern_list, name="pattern_list"),
    path(
        "agendas/<int:agenda_id>/modeles/nouveau/",
        slot_views.pattern_create,
        name="pattern_create",
    ),
    path(
        "agendas/<int:agenda_id>/modeles/<int:pattern_id>/modifier/",
        slot_views.pattern_edit,
        name="pattern_edit",
    ),
    path(
        "agendas/<int:agenda_id>/modeles/<int:pattern_id>/supprimer/",
        slot_views.pattern_delete,
        name="pattern_delete",
    ),
    path(
        "personnes/<int:person_id>/creneau/", slot_views.person_slot_book, name="person_slot_book"
    ),
    path(
        "personnes/<int:person_id>/pose-bracelet/",
        ddse_views.person_ddse_book,
        name="person_ddse_book",
    ),
    path("administration/lieux/", admin_views.place_list, name="place_list"),
    path("administration/lieux/nouveau/", admin_views.place_create, name="place_create"),
    path("administration/lieux/<int:place_id>/", admin_views.place_edit, name="place_edit"),
    path(
        "administration/lieux/<int:place_id>/agendas/nouveau/",
        admin_views.agenda_create,
        name="agenda_create",
    ),
    path(
        "administration/lieux/<int:place_id>/agendas/<int:agenda_id>/",
        admin_views.agenda_edit,
        name="agenda_edit",
    ),
]
