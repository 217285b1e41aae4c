from django.urls import path

from jalon.public.views import admin, link, pages

urlpatterns = [
    # Public, without login (tests/test_urls.py allow-list).
    path("s/<str:token>", pages.service_page, name="public_service_page"),
    path("informations/", pages.info_index, name="public_info_index"),
    path("informations/<slug:slug>/", pages.info_page, name="public_info_page"),
    path("c/<str:token>", link.convocation, name="public_convocation"),
    path("c/<str:token>/convocation.ics", link.convocation_ics, name="public_convocation_ics"),
    path("c/<str:token>/confirmer", link.confirm, name="public_convocation_confirm"),
    path("c/<str:token>/reporter", link.move, name="public_convocation_move"),
    # Agents.
    path("administration/pages-publiques/", admin.public_pages, name="public_pages_admin"),
    path(
        "administration/pages-publiques/services/<int:service_id>/",
        admin.service_page_edit,
        name="public_service_page_edit",
    ),
    path(
        "administration/pages-publiques/informations/<int:page_id>/",
        admin.info_page_edit,
        name="public_info_page_edit",
    ),
    path("convocations/demandes-de-report/", admin.move_requests, name="move_requests"),
    path(
        "convocations/demandes-de-report/<int:request_id>/reponse/",
        admin.move_request_answer,
        name="move_request_answer",
    ),
]
