from django.urls import path

from jalon.sms import views

urlpatterns = [
    path("sms/echecs/", views.failed_queue, name="sms_failed_queue"),
    path("sms/<int:message_id>/renvoyer/", views.resend, name="sms_resend"),
    path("sms/accuses/", views.receipt_webhook, name="sms_receipt_webhook"),
    path("sms/entrants/", views.inbound_webhook, name="sms_inbound_webhook"),
    path("dev/sms/", views.dev_outbox, name="sms_dev_outbox"),
]
