from django.contrib.auth.views import PasswordResetCompleteView, PasswordResetDoneView
from django.urls import path

from jalon.access.views import account, agents, auth, proconnect

urlpatterns = [
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path("deconnexion/", auth.logout_view, name="logout"),
    path("proconnect/connexion/", proconnect.start, name="proconnect_start"),
    path("proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("proconnect/deconnecte/", proconnect.logged_out, name="proconnect_logged_out"),
    path("mot-de-passe-oublie/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        auth.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("charte/", auth.charter, name="charter"),
    path("double-authentification/", auth.two_factor, name="two_factor"),
    path("session/maintenir/", auth.session_keepalive, name="session_keepalive"),
    path("session/etat/", auth.session_status, name="session_status"),
    path("mon-compte/", account.account, name="account"),
    path("mon-compte/mot-de-passe/", account.account_password, name="account_password"),
    path(
        "mon-compte/double-authentification/",
        account.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path(
        "mon-compte/sessions/<int:session_id>/fermer/",
        account.account_session_end,
        name="account_session_end",
    ),
    path(
        "mon-compte/sessions/fermer-les-autres/",
        account.account_sessions_end_others,
        name="account_sessions_end_others",
    ),
    path("mon-compte/partage/", account.account_sharing, name="account_sharing"),
    path("administration/agents/", agents.agent_list, name="agent_list"),
    path("administration/agents/export.csv", agents.agent_list_csv, name="agent_list_csv"),
    path("administration/agents/nouveau/", agents.agent_create, name="agent_create"),
    path("administration/agents/<int:agent_id>/", agents.agent_detail, name="agent_detail"),
    path("administration/agents/<int:agent_id>/modifier/", agents.agent_edit, name="agent_edit"),
    path(
        "administration/agents/<int:agent_id>/<slug:operation>/",
        agents.agent_operation,
        name="agent_operation",
    ),
]
