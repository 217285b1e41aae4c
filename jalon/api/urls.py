"""``/api/v1/`` (outside the login: keys authenticate) and the administration of API clients."""

from django.urls import path

from jalon.api import views
from jalon.api.main import api

api_urls = api.urls
for pattern in api_urls[0]:
    # The API authenticates each call with its key, and its documentation is public: no
    # session login (LoginRequiredMiddleware) in front of them.
    pattern.callback.login_required = False  # type: ignore[union-attr]

urlpatterns = [
    path("administration/clients-api/", views.client_list, name="api_client_list"),
    path("administration/clients-api/nouveau/", views.client_create, name="api_client_create"),
    path(
        "administration/clients-api/<int:client_id>/", views.client_detail, name="api_client_detail"
    ),
    path(
        "administration/clients-api/<int:client_id>/modifier/",
        views.client_edit,
        name="api_client_edit",
    ),
    path(
        "administration/clients-api/<int:client_id>/nouvelle-cle/",
        views.client_rotate,
        name="api_client_rotate",
    ),
    path(
        "administration/clients-api/<int:client_id>/revoquer/",
        views.client_revoke,
        name="api_client_revoke",
    ),
    path(
        "administration/clients-api/<int:client_id>/webhooks/<int:delivery_id>/renvoyer/",
        views.client_replay_delivery,
        name="api_client_replay_delivery",
    ),
]
