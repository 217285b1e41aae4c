"""Back office: national SMS templates and services' reminder delays (national admins)."""

from __future__ import annotations

from django.contrib import admin

from jalon.sms.models import ReminderDelay


@admin.register(ReminderDelay)
class ReminderDelayAdmin(admin.ModelAdmin):
    list_display = ["service", "appointment_type", "delay_hours"]
    list_filter = ["delay_hours", "appointment_type"]
    autocomplete_fields = ["service"]
