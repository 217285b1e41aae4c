from django.urls import path

from jalon.imports import views

urlpatterns = [
    path("importer/", views.import_list, name="import_list"),
    path("importer/modele.csv", views.import_template, name="import_template"),
    path("importer/<int:pk>/", views.import_detail, name="import_detail"),
    path("importer/<int:pk>/colonnes/", views.import_columns, name="import_columns"),
    path("importer/<int:pk>/decisions/", views.import_decide, name="import_decide"),
    path("importer/<int:pk>/lancer/", views.import_start, name="import_start"),
    path("importer/<int:pk>/reprendre/", views.import_resume, name="import_resume"),
    path("importer/<int:pk>/abandonner/", views.import_abandon, name="import_abandon"),
    path("importer/<int:pk>/rapport.csv", views.import_report, name="import_report"),
]
