"""Build the working-day calendar from the database table."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

from django.db import transaction
from django.db.models import Count, Max

from gongdan.rules.workdays import WorkCalendar, package_days

from .models import CalendarDay, CalendarYear, DayKind

logger = logging.getLogger(__name__)

_cache: dict[str, object] = {}


def seed_from_package() -> int:
    """Fill the table from the chinesecalendar package; return years added.

    Years already in the table are left as an administrator may have
    edited them.
    """
    holidays, makeup, years = package_days()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    added = sorted(y for y in years if y not in known)
    if not added:
        return 0
    with transaction.atomic():
        days = [
            CalendarDay(day=day, kind=DayKind.HOLIDAY, name=name[:50])
            for day, name in holidays.items()
            if day.year in added
        ]
        days += [
            CalendarDay(day=day, kind=DayKind.MAKEUP, name=name[:50])
            for day, name in makeup.items()
            if day.year in added
        ]
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


def missing_next_year(today: date) -> int | None:
    """From 1 November, the next year when the calendar lacks it (D1)."""
    if today.month < 11:
        return None
    year = today.year + 1
    if CalendarYear.objects.filter(year=year).exists():
        return None
    return year


def parse_year_csv(text: str) -> tuple[int, list[CalendarDay]]:
    """Read a year's holidays and make-up days: ``date,kind,name`` lines.

    ``kind`` is ``holiday`` (a weekday off) or ``makeup`` (a weekend day
    worked). Every line must be of one year; errors name the line.
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if rows and rows[0] and rows[0][0].strip().lower() == "date":
        rows = rows[1:]
    days: list[CalendarDay] = []
    years = set()
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise ValueError(f"第 {number} 行：应为 日期,类型,名称")
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError as error:
            raise ValueError(f"第 {number} 行：日期格式应为 2027-01-01") from error
        kind = row[1].strip()
        if kind not in (DayKind.HOLIDAY, DayKind.MAKEUP):
            raise ValueError(f"第 {number} 行：类型应为 holiday 或 makeup")
        if kind == DayKind.MAKEUP and day.weekday() < 5:
            raise ValueError(f"第 {number} 行：{day} 是工作日，不能是调休上班日")
        name = row[2].strip() if len(row) > 2 else ""
        days.append(CalendarDay(day=day, kind=kind, name=name[:50]))
        years.add(day.year)
    if len(years) != 1:
        raise ValueError("文件须且只能包含一个年份的日期")
    return years.pop(), days


def add_year(text: str, source: str) -> tuple[int, int]:
    """Add a year from CSV text; refuse a year already in the table."""
    year, days = parse_year_csv(text)
    with transaction.atomic():
        if CalendarYear.objects.filter(year=year).exists():
            raise ValueError(f"{year} 年的日历已存在，请在后台逐日修改")
        CalendarDay.objects.bulk_create(days)
        CalendarYear.objects.create(year=year, source=source[:100])
    logger.info("calendar year %s added from %s (%s days)", year, source, len(days))
    return year, len(days)
