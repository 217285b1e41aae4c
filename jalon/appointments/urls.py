from django.urls import path, re_path

from jalon.appointments import slot_views, views

urlpatterns = [
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
]
