from django.urls import path

from jalon.cases import views

urlpatterns = [
    path("infractions/", views.offence_picker, name="offence_picker"),
    path("administration/natinf/", views.natinf_import, name="natinf_import"),
]
