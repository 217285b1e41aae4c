"""The national back office: jurisdictions, services, profiles (national admins only)."""

from __future__ import annotations

from django.contrib import admin

from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.core.admin import ReadOnlyAdmin


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "court_of_appeal", "code", "active_since"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "jurisdiction",
        "time_zone",
        "holiday_subdivision",
        "uses_platform",
        "is_active",
    ]
    list_filter = ["kind", "time_zone", "holiday_subdivision", "uses_platform", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["jurisdiction", "parent"]
    filter_horizontal = ["served_jurisdictions"]
    list_select_related = ["jurisdiction"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "family", "jurisdiction_level", "requires_2fa", "is_active"]
    list_filter = ["family", "requires_2fa", "is_active"]
    search_fields = ["label", "code"]


@admin.register(Agent)
class AgentAdmin(ReadOnlyAdmin):
    """Read-only here: agents are managed through the administration screens, which write history."""

    list_display = ["email", "last_name", "first_name", "service", "profile", "is_active"]
    list_filter = ["is_active", "profile"]
    search_fields = ["email", "last_name", "first_name"]
    list_select_related = ["service", "profile"]
    exclude = ["password"]
