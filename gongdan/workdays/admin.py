"""The calendar in the admin: every change recomputes open due times."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.urls import path

from gongdan.orders.actions import recompute_open_due_times

from .models import CalendarDay, CalendarYear
from .queries import add_year


def recompute(request, reason: str) -> None:  # type: ignore[no-untyped-def]
    changed = recompute_open_due_times(request.user, reason)
    messages.info(
        request, f"已按新日历重新计算，{changed} 张未办结工单的办理时限发生变化。"
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name", "changed_at"]
    list_filter = ["kind"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        recompute(request, f"日历修改：{obj}")

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        recompute(request, f"日历删除：{obj}")

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        super().delete_queryset(request, queryset)
        recompute(request, "日历批量删除")


class YearUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV 文件",
        help_text="每行：日期,类型,名称；类型为 holiday（放假）或 makeup（调休上班）。",
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "added_at"]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="workdays_calendaryear_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):  # type: ignore[no-untyped-def]
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = YearUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                source = f"上传：{request.user.get_username()}"
                year, count = add_year(raw.decode("utf-8-sig"), source)
            except (ValueError, UnicodeDecodeError) as error:
                form.add_error("file", str(error))
            else:
                added = CalendarYear.objects.get(year=year)
                LogEntry.objects.log_action(
                    user_id=request.user.pk,
                    content_type_id=ContentType.objects.get_for_model(added).pk,
                    object_id=added.pk,
                    object_repr=str(added),
                    action_flag=ADDITION,
                    change_message=f"上传 {year} 年日历，{count} 天",
                )
                messages.success(
                    request, f"已添加 {year} 年日历（{count} 个特殊日期）。"
                )
                recompute(request, f"添加 {year} 年日历")
                return redirect("admin:workdays_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "上传年度日历",
        }
        return render(request, "admin/workdays/calendaryear/upload.html", context)
