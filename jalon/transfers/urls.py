from django.urls import path

from jalon.transfers import views

urlpatterns = [
    path("", views.transfer_incoming, name="transfer_incoming"),
    path("envoyees/", views.transfer_outgoing, name="transfer_outgoing"),
    path("compteur/", views.transfer_badge, name="transfer_badge"),
    path("demander/", views.transfer_create, name="transfer_create"),
    path("<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path("<int:transfer_id>/repondre/", views.transfer_answer, name="transfer_answer"),
    path("<int:transfer_id>/annuler/", views.transfer_cancel, name="transfer_cancel"),
]
