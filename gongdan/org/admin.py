from django.contrib import admin

from .models import Membership, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A unit's code names it in every order's history: it never changes.
        return ["code"] if obj is not None else []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["unit", "role"]
