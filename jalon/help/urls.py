from django.urls import path

from jalon.help import views

urlpatterns = [
    path("", views.help_index, name="help_index"),
    path("signaler-un-probleme/", views.report_problem, name="report_problem"),
    path("signalements/", views.problem_reports, name="problem_reports"),
    path(
        "signalements/<int:report_id>/traite/",
        views.problem_report_handled,
        name="problem_report_handled",
    ),
    path("<slug:slug>/", views.help_page, name="help_page"),
]
