from django.urls import path

from jalon.cases import judgment_views, views

urlpatterns = [
    path("infractions/", views.offence_picker, name="offence_picker"),
    path("administration/natinf/", views.natinf_import, name="natinf_import"),
    path("penal/jugements/<int:judgment_id>/", judgment_views.judgment_page, name="judgment"),
    path("penal/a-executer/", judgment_views.bex_queue, name="bex_queue"),
    path(
        "penal/a-executer/<int:execution_id>/prendre/",
        judgment_views.bex_take,
        name="bex_take",
    ),
    path("penal/mesures/", judgment_views.measure_list, name="measure_list"),
    path("penal/mesures/<int:measure_id>/", judgment_views.measure_page, name="measure"),
]
