"""Warn administrators and the operations dept of a missing calendar year."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from .queries import missing_next_year

WARNED_ROLES = ("ops", "admin")


def calendar_warning(request: HttpRequest) -> dict[str, object]:
    """From 1 November, name next year when its calendar is missing (D1)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from gongdan.org.models import Person

    if not (user.is_superuser or Person.of(user).has(*WARNED_ROLES)):
        return {}
    year = missing_next_year(timezone.localdate())
    if year is None:
        return {}
    return {
        "calendar_warning": (
            f"{year} 年的节假日安排尚未录入日历：跨入 {year} 年的办理时限按周末推算，"
            f"标为暂定。请在后台“日历年份”上传 {year} 年日历。"
        )
    }
