from django.urls import path

from jalon.stats import views

urlpatterns = [
    path("", views.home, name="stats_home"),
    path("service/<int:service_id>/", views.service, name="stats_service"),
    path(
        "service/<int:service_id>/export/<slug:table>.<str:fmt>",
        views.service_export,
        name="stats_service_export",
    ),
]
