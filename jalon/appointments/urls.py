from django.urls import path, re_path

from jalon.appointments import views

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
]
