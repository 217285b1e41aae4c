from django.urls import path

from jalon.situations.views import meetings, record, situations

urlpatterns = [
    path("", situations.situation_list, name="situation_list"),
    path("pilotage/", situations.steering, name="situation_steering"),
    path("notifications/", situations.notification_list, name="situation_notifications"),
    path("nouvelle/", situations.situation_create, name="situation_create"),
    path("listes/", situations.list_entries, name="situation_lists"),
    path("reunions/", meetings.meeting_list, name="meeting_list"),
    path("reunions/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path(
        "reunions/<int:meeting_id>/ordre-du-jour.pdf",
        meetings.meeting_agenda_pdf,
        name="meeting_agenda_pdf",
    ),
    path("listes/<slug:kind>/", situations.list_entries, name="situation_list_edit"),
    path("<int:situation_id>/", situations.situation_detail, name="situation_detail"),
    path("<int:situation_id>/modifier/", situations.situation_edit, name="situation_edit"),
    path("<int:situation_id>/suivre/", situations.situation_follow, name="situation_follow"),
    path(
        "<int:situation_id>/victimes/<int:victim_id>/",
        situations.victim_edit,
        name="situation_victim_edit",
    ),
    path("<int:situation_id>/cloturer/", record.situation_close, name="situation_close"),
    path("<int:situation_id>/rouvrir/", record.situation_reopen, name="situation_reopen"),
    path(
        "<int:situation_id>/procedures/<int:part_id>/",
        record.part_edit,
        {"tab": "procedures"},
        name="situation_procedure_edit",
    ),
    path(
        "<int:situation_id>/procedures/<int:part_id>/supprimer/",
        record.part_delete,
        {"tab": "procedures"},
        name="situation_procedure_delete",
    ),
    path(
        "<int:situation_id>/mesures/<int:part_id>/",
        record.part_edit,
        {"tab": "mesures"},
        name="situation_measure_edit",
    ),
    path(
        "<int:situation_id>/mesures/<int:part_id>/supprimer/",
        record.part_delete,
        {"tab": "mesures"},
        name="situation_measure_delete",
    ),
    path(
        "<int:situation_id>/documents/<int:document_id>/",
        situations.document_download,
        name="situation_document_download",
    ),
    path("<int:situation_id>/<slug:tab>/", situations.situation_detail, name="situation_tab"),
]
