from django.contrib import admin
from django.urls import include, path

from jalon import views
from jalon.api.urls import api_urls
from jalon.backoffice import operators

# /admin/ is the operators' technical console; national administrators use /administration/.
admin.site.site_header = "Jalon — console des opérateurs"
admin.site.site_title = "Jalon"
admin.site.index_title = "Tables de la plateforme"
admin.site.login = operators.admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("accessibilite/", views.accessibility_statement, name="accessibility_statement"),
    path("", include("jalon.access.urls")),
    path("", include("jalon.people.urls")),
    path("", include("jalon.appointments.urls")),
    path("", include("jalon.territory.urls")),
    path("", include("jalon.cases.urls")),
    path("", include("jalon.cases.urls_judgments")),
    path("", include("jalon.sms.urls")),
    path("situations/", include("jalon.situations.urls")),
    path("transferts/", include("jalon.transfers.urls")),
    path("api/v1/", api_urls),
    path("", include("jalon.api.urls")),
    path("statistiques/", include("jalon.stats.urls")),
    path("", include("jalon.public.urls")),
    path("", include("jalon.imports.urls")),
    path("", include("jalon.space.urls")),
    path("", include("jalon.backoffice.urls")),
    path("aide/", include("jalon.help.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "jalon.views.server_error"
