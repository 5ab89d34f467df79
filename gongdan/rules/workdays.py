"""Working days and the counting of periods (D1, D2).

A ``WorkCalendar`` is given its holidays, make-up working days and the
years it knows; it never guesses a year it does not know (D1): such a year
counts weekends only and every result touching it is marked provisional.

Periods are counted as the Civil Code counts them (arts. 200-204, D2): a
period of N working days ignores the day it starts on and ends at 24:00 of
the N-th working day after it, stored as 00:00 of the following day.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Deadline:
    """The end of a period (D2).

    ``at`` is an aware datetime in ``TZ``; ``provisional`` is True when any
    calendar year the computation touched is unknown to the calendar (D1).
    """

    at: datetime
    provisional: bool


@dataclass(frozen=True)
class DayInfo:
    """Why a day is, or is not, a working day (D1).

    ``reason`` is one of "weekday", "weekend", "holiday", "makeup_workday"
    or "unknown_year"; ``name`` is the holiday's name, or "".
    """

    day: date
    workday: bool
    reason: str
    name: str


class WorkCalendar:
    """The PRC official calendar of working days for the years it knows (D1).

    Each year's working days are computed once, as a sorted list of date
    ordinals, so that adding or counting working days bisects those lists
    instead of walking day by day.
    """

    def __init__(
        self,
        holidays: Mapping[date, str],
        makeup_workdays: Mapping[date, str],
        known_years: Iterable[int],
    ) -> None:
        self._holidays = dict(holidays)
        self._makeup = dict(makeup_workdays)
        self._known = frozenset(known_years)
        self._year_cache: dict[int, list[int]] = {}
        self._span: _Span | None = None

    # -- single days -----------------------------------------------------

    def is_known(self, year: int) -> bool:
        """Tell whether the calendar knows ``year`` (D1)."""
        return year in self._known

    def is_workday(self, d: date) -> bool:
        """Tell whether ``d`` is a working day (D1).

        Weekends and listed holidays are off, listed make-up days are on; a
        year the calendar does not know counts weekends only.
        """
        return self.explain(d).workday

    def explain(self, d: date) -> DayInfo:
        """Say whether ``d`` is a working day, and why (D1)."""
        d = _as_date(d)
        weekday = d.weekday() < 5
        if not self.is_known(d.year):
            return DayInfo(d, weekday, "unknown_year", "")
        if d in self._makeup:
            return DayInfo(d, True, "makeup_workday", self._makeup[d])
        if d in self._holidays:
            return DayInfo(d, False, "holiday", self._holidays[d])
        return DayInfo(d, weekday, "weekday" if weekday else "weekend", "")

    # -- periods ---------------------------------------------------------

    def add_workdays(self, start: datetime, n: int) -> Deadline:
        """End a period of ``n`` working days begun at ``start`` (D2).

        The start's own day never counts, working day or not; the period
        ends at 24:00 of the n-th working day after it, returned as 00:00
        of the following day in ``TZ``. ``n == 0`` returns the start.
        """
        local = _localize(start)
        _check_count(n)
        if n == 0:
            return Deadline(local, False)

        # Within the known years, one list lookup answers (see _Span).
        span = self._span or self._build_span()
        day = local.toordinal()
        if span.first <= day <= span.last:
            index = span.done_by[day - span.first] + n - 1
            if index < len(span.workdays):
                return span.deadline(span.workdays[index])

        last = self._nth_workday_after(local.date(), n)
        provisional = self._touches_unknown(local.date() + timedelta(days=1), last)
        return Deadline(_end_of_day(last), provisional)

    def add_hours(self, start: datetime, hours: float | int) -> Deadline:
        """End a period of ``hours`` clock hours begun at ``start`` (D2).

        Nights and holidays count; the result is never provisional.
        """
        local = _localize(start)
        if hours < 0:
            raise ValueError("a period cannot be negative")

        # Through UTC, so that the arithmetic is in elapsed time.
        end = local.astimezone(UTC) + timedelta(hours=hours)
        return Deadline(end.astimezone(TZ), False)

    def add_months(self, start: datetime, n: int) -> Deadline:
        """End a period of ``n`` months begun at ``start`` (D2).

        It ends at 24:00 of the same day of the month ``n`` months later,
        or of that month's last day when the day does not exist; when that
        day is not a working day, at 24:00 of the next working day
        (Civil Code art. 203).
        """
        local = _localize(start)
        _check_count(n)
        if n == 0:
            return Deadline(local, False)

        months = local.year * 12 + (local.month - 1) + n
        year, month = divmod(months, 12)
        month += 1
        last_day = _stdlib_calendar.monthrange(year, month)[1]
        target = date(year, month, min(local.day, last_day))
        end = target
        if not self.is_workday(target):
            end = self._nth_workday_after(target, 1)
        return Deadline(_end_of_day(end), self._touches_unknown(target, end))

    def workdays_between(self, a: date, b: date) -> int:
        """Count the working days in (a, b]: after ``a``, up to ``b`` (D2).

        Returns 0 when ``b`` is not after ``a``.
        """
        a, b = _as_date(a), _as_date(b)
        if b <= a:
            return 0

        first = self._workdays_of(a.year)
        after_a = bisect_right(first, a.toordinal())
        if a.year == b.year:
            return bisect_right(first, b.toordinal()) - after_a
        whole_years = sum(len(self._workdays_of(y)) for y in range(a.year + 1, b.year))
        up_to_b = bisect_right(self._workdays_of(b.year), b.toordinal())
        return len(first) - after_a + whole_years + up_to_b

    # -- internals -------------------------------------------------------

    def _build_span(self) -> _Span:
        """Index the longest run of known years, for O(1) additions."""
        run = _longest_run(self._known)
        if run is None:
            first = last = date.today().year
        else:
            first, last = run
        workdays: list[int] = []
        for year in range(first, last + 1):
            workdays += self._workdays_of(year)
        self._span = _Span(
            date(first, 1, 1).toordinal(),
            date(last, 12, 31).toordinal(),
            workdays,
            provisional=run is None,
        )
        return self._span

    def _workdays_of(self, year: int) -> list[int]:
        """Return the sorted ordinals of ``year``'s working days."""
        cached = self._year_cache.get(year)
        if cached is None:
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            cached = [
                o
                for o in range(first, last + 1)
                if self.is_workday(date.fromordinal(o))
            ]
            self._year_cache[year] = cached
        return cached

    def _nth_workday_after(self, day: date, n: int) -> date:
        """Return the n-th working day strictly after ``day`` (n >= 1)."""
        year = day.year
        days = self._workdays_of(year)
        index = bisect_right(days, day.toordinal()) + n - 1
        while index >= len(days):
            index -= len(days)
            year += 1
            if year > date.max.year:
                raise OverflowError("the period runs past the year 9999")
            days = self._workdays_of(year)
        return date.fromordinal(days[index])

    def _touches_unknown(self, first: date, last: date) -> bool:
        """Tell whether any year from ``first`` to ``last`` is unknown (D1)."""
        return any(not self.is_known(y) for y in range(first.year, last.year + 1))


def package_days() -> tuple[dict[date, str], dict[date, str], set[int]]:
    """Read the ``chinese_calendar`` package: holidays, make-up days, years.

    Holiday names are given in Chinese where the package has them; the
    known years are those present in its tables (D1).
    """
    import chinese_calendar

    chinese = {
        h.value: getattr(h, "chinese", h.value) for h in chinese_calendar.Holiday
    }

    def name(value: object) -> str:
        return chinese.get(value, str(value)) if value is not None else ""

    holidays = {d: name(v) for d, v in chinese_calendar.holidays.items()}
    makeup = {d: name(v) for d, v in chinese_calendar.workdays.items()}
    years = {d.year for d in holidays} | {d.year for d in makeup}
    return holidays, makeup, years


def calendar_from_package() -> WorkCalendar:
    """Build the calendar from the ``chinese_calendar`` package (D1)."""
    holidays, makeup, years = package_days()
    return WorkCalendar(holidays, makeup, years)


def format_due(dt: datetime) -> str:
    """Show a due time as "YYYY-MM-DD HH:MM" in ``TZ`` (D2).

    A moment at exactly 00:00 is the end of the previous day and is shown
    as that day at "24:00".
    """
    local = _localize(dt)
    if local.time() == time(0, 0):
        previous = local.date() - timedelta(days=1)
        return f"{previous.isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")


def _localize(moment: datetime) -> datetime:
    """Convert an aware datetime to ``TZ``; refuse a naive one (D1)."""
    if not isinstance(moment, datetime):
        raise TypeError("expected a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a moment must be timezone-aware")
    return moment.astimezone(TZ)


def _as_date(d: date) -> date:
    """Take the date part of a datetime; a plain date passes through."""
    return d.date() if isinstance(d, datetime) else d


def _check_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("a count of days or months must be an int")
    if n < 0:
        raise ValueError("a period cannot be negative")


def _end_of_day(d: date) -> datetime:
    """Return 24:00 of ``d``, stored as 00:00 of the next day in ``TZ`` (D2)."""
    return datetime.combine(d + timedelta(days=1), time(0, 0), tzinfo=TZ)


class _Span:
    """Working days of a run of known years, indexed by date ordinal.

    ``done_by[o - first]`` counts the working days on or before ordinal
    ``o``, so the n-th working day after ``o`` is ``workdays[done_by + n - 1]``
    when it falls inside the run.
    """

    def __init__(
        self, first: int, last: int, workdays: list[int], *, provisional: bool
    ) -> None:
        self.first, self.last, self.workdays = first, last, workdays
        self.provisional = provisional
        self.done_by = [0] * (last - first + 1)
        count, position = 0, 0
        for offset in range(last - first + 1):
            if position < len(workdays) and workdays[position] == first + offset:
                count += 1
                position += 1
            self.done_by[offset] = count
        self._ends: dict[int, Deadline] = {}

    def deadline(self, workday: int) -> Deadline:
        """24:00 of the working day with ordinal ``workday``, cached."""
        found = self._ends.get(workday)
        if found is None:
            found = Deadline(_end_of_day(date.fromordinal(workday)), self.provisional)
            self._ends[workday] = found
        return found


def _longest_run(years: frozenset[int]) -> tuple[int, int] | None:
    """The longest run of consecutive years, latest first on a tie."""
    best: tuple[int, int] | None = None
    for year in sorted(years):
        if year - 1 in years:
            continue
        end = year
        while end + 1 in years:
            end += 1
        if best is None or end - year >= best[1] - best[0]:
            best = (year, end)
    return best
