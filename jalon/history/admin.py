from django.contrib import admin
from django.http import HttpRequest

from jalon.history.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: history is never edited through the interface."""

    list_display = ["created_at", "actor_label", "action", "target_label", "client_ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "action"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
