from django.urls import path

from jalon.backoffice import views

urlpatterns = [
    path("administration/", views.home, name="backoffice_home"),
    path("administration/referentiels/<slug:slug>/", views.entry_list, name="backoffice_list"),
    path(
        "administration/referentiels/<slug:slug>/nouveau/",
        views.entry_create,
        name="backoffice_create",
    ),
    path(
        "administration/referentiels/<slug:slug>/<int:entry_id>/",
        views.entry_edit,
        name="backoffice_edit",
    ),
    path(
        "administration/referentiels/<slug:slug>/<int:entry_id>/activation/",
        views.entry_toggle,
        name="backoffice_toggle",
    ),
]
