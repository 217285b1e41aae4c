from django.urls import path

from jalon.space.views import agents, auth, pages

urlpatterns = [
    # The person's space: without the agents' login, behind its own session (docs/space.md).
    path("espace/", pages.home, name="space_home"),
    path("espace/connexion/", auth.login, name="space_login"),
    path("espace/deconnexion/", auth.logout, name="space_logout"),
    path("espace/invitation/<str:token>", auth.accept_invitation, name="space_invitation"),
    path("espace/mot-de-passe-oublie/", auth.forgotten_password, name="space_forgotten"),
    path("espace/mot-de-passe-oublie/code/", auth.reset_password, name="space_reset"),
    path("espace/convocations/<int:appointment_id>/", pages.convocation, name="space_convocation"),
    path(
        "espace/convocations/<int:appointment_id>/convocation.ics",
        pages.convocation_ics,
        name="space_convocation_ics",
    ),
    path(
        "espace/convocations/<int:appointment_id>/confirmer/",
        pages.confirm,
        name="space_convocation_confirm",
    ),
    path(
        "espace/convocations/<int:appointment_id>/reporter/",
        pages.move,
        name="space_convocation_move",
    ),
    # Agents.
    path(
        "personnes/<int:person_id>/espace-personnel/inviter/",
        agents.invite,
        name="space_invite",
    ),
]
