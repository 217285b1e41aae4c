from django.urls import path

from jalon.territory import views

urlpatterns = [
    path("administration/communes/", views.commune_import, name="commune_import"),
]
