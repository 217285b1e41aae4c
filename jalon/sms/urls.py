from django.urls import path

from jalon.sms import editor, views

urlpatterns = [
    path("sms/echecs/", views.failed_queue, name="sms_failed_queue"),
    path("sms/<int:message_id>/renvoyer/", views.resend, name="sms_resend"),
    path("sms/accuses/", views.receipt_webhook, name="sms_receipt_webhook"),
    path("sms/entrants/", views.inbound_webhook, name="sms_inbound_webhook"),
    path("dev/sms/", views.dev_outbox, name="sms_dev_outbox"),
    path("stop/<str:token>", views.stop_link, name="sms_stop_link"),
    path("sms/modeles/", editor.template_list, name="sms_template_list"),
    path("sms/modeles/apercu/", editor.template_preview, name="sms_template_preview"),
    path(
        "sms/modeles/<str:where>/<str:kind>/<str:which>/",
        editor.template_edit,
        name="sms_template_edit",
    ),
    path(
        "sms/modeles/<str:where>/<str:kind>/<str:which>/revenir/",
        editor.template_reset,
        name="sms_template_reset",
    ),
]
