from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "jalon.sms"
    label = "sms"
    verbose_name = "SMS"
