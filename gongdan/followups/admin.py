from django.contrib import admin

from gongdan.orders.admin import ReadOnlyAdmin

from .models import FollowUp, Notice


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Follow-ups are recorded only through the follow-up action (R6.1)."""

    list_display = ["order", "unit", "at", "reached", "process", "result", "redo"]
    list_filter = ["reached", "unit"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Notices are decided on the order's page (R5.6)."""

    list_display = ["order", "unit", "raised_at", "state", "decided_at"]
    list_filter = ["state", "unit"]
