from django.urls import path

from jalon.cases import correction_views, procedure_views, views

urlpatterns = [
    path("infractions/", views.offence_picker, name="offence_picker"),
    path("administration/natinf/", views.natinf_import, name="natinf_import"),
    path("procedures/", procedure_views.procedure_list, name="procedure_list"),
    path("procedures/nouvelle/", procedure_views.procedure_create, name="procedure_create"),
    path(
        "procedures/<int:procedure_id>/", procedure_views.procedure_detail, name="procedure_detail"
    ),
    path(
        "procedures/<int:procedure_id>/modifier/",
        procedure_views.procedure_edit,
        name="procedure_edit",
    ),
    path(
        "procedures/<int:procedure_id>/personnes/ajouter/",
        procedure_views.party_add,
        name="procedure_party_add",
    ),
    path(
        "procedures/<int:procedure_id>/infractions/ajouter/",
        procedure_views.charge_add,
        name="procedure_charge_add",
    ),
    path(
        "procedures/<int:procedure_id>/personnes/<int:party_id>/qualite/",
        correction_views.party_role,
        name="procedure_party_role",
    ),
    path(
        "procedures/<int:procedure_id>/personnes/<int:party_id>/retirer/",
        correction_views.party_remove,
        name="procedure_party_remove",
    ),
    path(
        "procedures/<int:procedure_id>/infractions/<int:charge_id>/modifier/",
        correction_views.charge_edit,
        name="procedure_charge_edit",
    ),
    path(
        "procedures/<int:procedure_id>/infractions/<int:charge_id>/supprimer/",
        correction_views.charge_remove,
        name="procedure_charge_remove",
    ),
    path(
        "procedures/<int:procedure_id>/orientation/",
        procedure_views.orientation_add,
        name="procedure_orient",
    ),
    path(
        "procedures/<int:procedure_id>/orientation/<int:party_id>/",
        procedure_views.orientation_add,
        name="procedure_orient_party",
    ),
]
