from django.contrib import admin

from .models import Attachment, Category, Event, Order, Reply, TimeLimit


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "dispute", "hazard", "default_urgency"]


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "kind", "category", "urgency", "position"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Orders change only through their actions; the admin only reads."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "source", "state", "unit", "received_at", "due_at"]
    list_filter = ["state", "source", "unit"]
    search_fields = ["external_no"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["order", "seq", "action", "actor", "at"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["order", "unit", "kind", "verdict", "submitted_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["order", "original_name", "media_kind", "size", "uploaded_at"]
