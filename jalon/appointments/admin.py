"""Back office: the national list of convocation types (MSJ-43), places and agendas.

Persons and convocations are not in the back office on purpose: every opening of a person's
file must go through the application, which records it in history.
"""

from __future__ import annotations

from django.contrib import admin

from jalon.appointments.models import Agenda, AppointmentType, Place


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "code",
        "uses_slots",
        "allows_weekends",
        "reminder_delay_hours",
        "default_duration_minutes",
        "position",
        "is_active",
    ]
    list_filter = ["uses_slots", "allows_weekends", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


class AgendaInline(admin.TabularInline):
    model = Agenda
    extra = 1


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "phone", "email", "is_active"]
    list_filter = ["is_active", "service__kind"]
    search_fields = ["name", "service__name"]
    autocomplete_fields = ["service"]
    inlines = [AgendaInline]
