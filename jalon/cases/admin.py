"""Back office of the penal chain: the legal rules, editable with their dates of validity."""

from __future__ import annotations

from django.contrib import admin

from jalon.cases.models import LegalRule


@admin.register(LegalRule)
class LegalRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "value", "valid_from", "valid_until", "source"]
    list_filter = ["valid_until"]
    search_fields = ["key", "label", "source"]
    ordering = ["key", "valid_from"]
