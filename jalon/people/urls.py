from django.urls import path, re_path

from jalon.people import views

urlpatterns = [
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/<int:person_id>/", views.person_detail, name="person_detail"),
    path("personnes/<int:person_id>/modifier/", views.person_edit, name="person_edit"),
    re_path(
        r"^personnes/(?P<person_id>\d+)/(?P<operation>archiver|desarchiver)/$",
        views.person_archive,
        name="person_archive",
    ),
]
