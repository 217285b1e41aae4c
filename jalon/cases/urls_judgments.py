"""URLs from the hearing to the execution (kept apart from the registration and orientation
URLs of ``urls.py``; included from ``jalon/urls.py``)."""

from django.urls import path

from jalon.cases import hearing_views as screens
from jalon.cases import judgment_views

urlpatterns = [
    path(
        "penal/procedures/<int:procedure_id>/audience/",
        screens.procedure_hearing,
        name="procedure_hearing",
    ),
    path(
        "penal/procedures/<int:procedure_id>/audiencer/",
        screens.schedule_hearing,
        name="hearing_schedule",
    ),
    path(
        "penal/procedures/<int:procedure_id>/prevenus/<int:party_id>/jugement/",
        screens.record_judgment,
        name="judgment_record",
    ),
    path(
        "penal/procedures/<int:procedure_id>/audiences/<int:hearing_id>/convocation/<int:party_id>/",
        screens.hearing_letter,
        name="hearing_letter",
    ),
    path("penal/jugements/<int:judgment_id>/", judgment_views.judgment_page, name="judgment"),
    path(
        "penal/jugements/<int:judgment_id>/signification/",
        screens.record_service,
        name="judgment_service",
    ),
    path(
        "penal/jugements/<int:judgment_id>/appel/",
        screens.record_appeal,
        name="judgment_appeal",
    ),
    path("penal/a-executer/", judgment_views.bex_queue, name="bex_queue"),
    path(
        "penal/a-executer/<int:execution_id>/prendre/",
        judgment_views.bex_take,
        name="bex_take",
    ),
    path("penal/mesures/", judgment_views.measure_list, name="measure_list"),
    path("penal/mesures/<int:measure_id>/", judgment_views.measure_page, name="measure"),
]
