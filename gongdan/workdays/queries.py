"""Build the working-day calendar from the database table."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Count, Max

from gongdan.rules.workdays import WorkCalendar

from .models import CalendarDay, CalendarYear, DayKind

logger = logging.getLogger(__name__)

_cache: dict[str, object] = {}


def seed_from_package() -> int:
    """Fill the table from the chinesecalendar package; return years added.

    Years already in the table are left as an administrator may have
    edited them.
    """
    import chinese_calendar

    years = sorted(
        {d.year for d in chinese_calendar.holidays}
        | {d.year for d in chinese_calendar.workdays}
    )
    known = set(CalendarYear.objects.values_list("year", flat=True))
    added = [y for y in years if y not in known]
    if not added:
        return 0
    with transaction.atomic():
        days = []
        for day, name in chinese_calendar.holidays.items():
            # The package lists weekend days of a holiday too; only weekdays
            # off differ from the plain week.
            if day.year in added and day.weekday() < 5:
                days.append(CalendarDay(day=day, kind=DayKind.HOLIDAY, name=name))
        for day, name in chinese_calendar.workdays.items():
            if day.year in added and day.weekday() >= 5:
                days.append(CalendarDay(day=day, kind=DayKind.MAKEUP, name=name))
        CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
        CalendarYear.objects.bulk_create(
            [CalendarYear(year=y, source="chinesecalendar") for y in added],
            ignore_conflicts=True,
        )
    logger.info("calendar seeded from chinesecalendar for years %s", added)
    return len(added)


def get_calendar() -> WorkCalendar:
    """Return the calendar, rebuilt whenever the table has changed."""
    stamp = CalendarDay.objects.aggregate(n=Count("id"), last=Max("changed_at"))
    years = tuple(CalendarYear.objects.values_list("year", flat=True))
    key = f"{stamp['n']}|{stamp['last']}|{years}"
    if _cache.get("key") != key:
        holidays = {}
        makeup = {}
        for day in CalendarDay.objects.all():
            if day.kind == DayKind.HOLIDAY:
                holidays[day.day] = day.name
            else:
                makeup[day.day] = day.name
        _cache["calendar"] = WorkCalendar(holidays, makeup, years)
        _cache["key"] = key
    return _cache["calendar"]  # type: ignore[return-value]
