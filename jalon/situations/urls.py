from django.urls import path

from jalon.situations import meeting_views, record_views, views

urlpatterns = [
    path("", views.situation_list, name="situation_list"),
    path("pilotage/", views.steering, name="situation_steering"),
    path("notifications/", views.notification_list, name="situation_notifications"),
    path("nouvelle/", views.situation_create, name="situation_create"),
    path("listes/", views.list_entries, name="situation_lists"),
    path("reunions/", meeting_views.meeting_list, name="meeting_list"),
    path("reunions/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting_detail"),
    path(
        "reunions/<int:meeting_id>/ordre-du-jour.pdf",
        meeting_views.meeting_agenda_pdf,
        name="meeting_agenda_pdf",
    ),
    path("listes/<slug:kind>/", views.list_entries, name="situation_list_edit"),
    path("<int:situation_id>/", views.situation_detail, name="situation_detail"),
    path("<int:situation_id>/modifier/", views.situation_edit, name="situation_edit"),
    path("<int:situation_id>/suivre/", views.situation_follow, name="situation_follow"),
    path(
        "<int:situation_id>/victimes/<int:victim_id>/",
        views.victim_edit,
        name="situation_victim_edit",
    ),
    path("<int:situation_id>/cloturer/", record_views.situation_close, name="situation_close"),
    path("<int:situation_id>/rouvrir/", record_views.situation_reopen, name="situation_reopen"),
    path(
        "<int:situation_id>/procedures/<int:part_id>/",
        record_views.part_edit,
        {"tab": "procedures"},
        name="situation_procedure_edit",
    ),
    path(
        "<int:situation_id>/procedures/<int:part_id>/supprimer/",
        record_views.part_delete,
        {"tab": "procedures"},
        name="situation_procedure_delete",
    ),
    path(
        "<int:situation_id>/mesures/<int:part_id>/",
        record_views.part_edit,
        {"tab": "mesures"},
        name="situation_measure_edit",
    ),
    path(
        "<int:situation_id>/mesures/<int:part_id>/supprimer/",
        record_views.part_delete,
        {"tab": "mesures"},
        name="situation_measure_delete",
    ),
    path(
        "<int:situation_id>/documents/<int:document_id>/",
        views.document_download,
        name="situation_document_download",
    ),
    path("<int:situation_id>/<slug:tab>/", views.situation_detail, name="situation_tab"),
]
