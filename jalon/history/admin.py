from django.contrib import admin

from jalon.core.admin import ReadOnlyAdmin
from jalon.history.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """Read-only: history is never edited through the interface."""

    list_display = ["created_at", "actor_label", "action", "target_label", "client_ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "action"]
    date_hierarchy = "created_at"
