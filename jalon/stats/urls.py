from django.urls import path

from jalon.stats import infocentre_views, views

urlpatterns = [
    path("", views.home, name="stats_home"),
    path("infocentre/", infocentre_views.infocentre_page, name="stats_infocentre"),
    path(
        "infocentre/demander/", infocentre_views.infocentre_request, name="stats_infocentre_request"
    ),
    path(
        "infocentre/<str:month>.zip",
        infocentre_views.infocentre_download,
        name="stats_infocentre_download",
    ),
    path("service/<int:service_id>/", views.service, name="stats_service"),
    path(
        "service/<int:service_id>/export/<slug:table>.<str:fmt>",
        views.service_export,
        name="stats_service_export",
    ),
    path("juridiction/<int:jurisdiction_id>/", views.jurisdiction, name="stats_jurisdiction"),
    path(
        "juridiction/<int:jurisdiction_id>/export/<slug:table>.<str:fmt>",
        views.jurisdiction_export,
        name="stats_jurisdiction_export",
    ),
    path("national/", views.national, name="stats_national"),
    path(
        "national/export/<slug:table>.<str:fmt>",
        views.national_export,
        name="stats_national_export",
    ),
]
