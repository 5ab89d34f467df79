from django.contrib import admin

from gongdan.orders.admin import ReadOnlyAdmin

from .models import Fact


@admin.register(Fact)
class FactAdmin(ReadOnlyAdmin):
    """The assessment's facts, read-only: the actions write them."""

    list_display = ["order", "kind", "unit", "at", "value", "note"]
    list_filter = ["kind", "unit"]
    date_hierarchy = "at"
