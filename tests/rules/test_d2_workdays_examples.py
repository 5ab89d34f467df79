"""D2: periods of working days, hours and months, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gongdan.rules.workdays import TZ, WorkCalendar, format_due


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_d2_five_workdays_over_national_day(calendar: WorkCalendar) -> None:
    """Oct 1-7 are off; Oct 8, 9, 10 (Saturday make-up), 12, 13 count."""
    start = at(2026, 9, 30, 17, 0)

    deadline = calendar.add_workdays(start, 5)

    assert deadline.at == at(2026, 10, 14, 0, 0)
    assert deadline.at.tzinfo == TZ
    assert deadline.provisional is False


def test_d2_spring_festival_with_makeup_days(calendar: WorkCalendar) -> None:
    """2026: Sat 14 Feb is a make-up day, 15-23 Feb are off."""
    start = at(2026, 2, 13, 10, 0)

    deadline = calendar.add_workdays(start, 3)

    # 14 Feb (make-up), 24 Feb, 25 Feb -> ends 24:00 on 25 Feb.
    assert deadline.at == at(2026, 2, 26, 0, 0)


def test_d2_national_day_2025_sunday_makeup(calendar: WorkCalendar) -> None:
    """2025: Sun 28 Sep and Sat 11 Oct are make-up days, 1-8 Oct off."""
    assert calendar.add_workdays(at(2025, 9, 26, 9), 3).at == at(2025, 10, 1)
    assert calendar.add_workdays(at(2025, 9, 30, 15), 2).at == at(2025, 10, 11)
    assert calendar.add_workdays(at(2025, 9, 30, 15), 3).at == at(2025, 10, 12)


def test_d2_start_day_never_counts(calendar: WorkCalendar) -> None:
    """Neither a working start day, even at 00:00, nor a holiday one."""
    assert calendar.add_workdays(at(2026, 10, 8, 0, 0), 1).at == at(2026, 10, 10)
    assert calendar.add_workdays(at(2026, 10, 3, 10, 0), 1).at == at(2026, 10, 9)


def test_d2_start_converted_to_shanghai(calendar: WorkCalendar) -> None:
    """16:30 UTC on 9 Oct is 00:30 on Sat 10 Oct (a make-up day) here."""
    start = datetime(2026, 10, 9, 16, 30, tzinfo=UTC)

    deadline = calendar.add_workdays(start, 1)

    # The start day is 10 Oct; the next working day is Mon 12 Oct.
    assert deadline.at == at(2026, 10, 13, 0, 0)


def test_d2_zero_workdays_returns_start(calendar: WorkCalendar) -> None:
    start = datetime(2026, 9, 30, 9, 0, tzinfo=timezone(timedelta(hours=8)))

    deadline = calendar.add_workdays(start, 0)

    assert deadline.at == start
    assert deadline.provisional is False


def test_d2_negative_or_naive_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_workdays(at(2026, 9, 30, 9), -1)
    with pytest.raises(ValueError):
        calendar.add_workdays(datetime(2026, 9, 30, 9), 1)
    with pytest.raises(ValueError):
        calendar.add_hours(datetime(2026, 9, 30, 9), 12)
    with pytest.raises(ValueError):
        calendar.add_months(at(2026, 9, 30, 9), -1)


def test_d2_hours_run_through_nights_and_holidays(calendar: WorkCalendar) -> None:
    """R5.4's 12 hours are clock hours from the moment of receipt."""
    start = at(2026, 9, 30, 20, 0)

    deadline = calendar.add_hours(start, 12)

    assert deadline.at == at(2026, 10, 1, 8, 0)
    assert deadline.provisional is False
    assert calendar.add_hours(start, 1.5).at == at(2026, 9, 30, 21, 30)
    assert calendar.add_hours(at(2026, 12, 31, 23), 24).provisional is False


def test_d2_months_clip_to_month_end(calendar: WorkCalendar) -> None:
    """A plan approved on 31 March has points on 30 June, 30 Sep, 31 Dec."""
    start = at(2026, 3, 31, 15, 0)

    assert calendar.add_months(start, 3).at == at(2026, 7, 1)
    assert calendar.add_months(start, 6).at == at(2026, 10, 1)
    assert calendar.add_months(start, 9).at == at(2027, 1, 1)
    assert calendar.add_months(start, 9).provisional is False


def test_d2_months_end_moves_to_next_workday(calendar: WorkCalendar) -> None:
    """Civil Code art. 203: an end day off moves to the next working day."""
    # 1 Oct 2026 is National Day; the next working day is 8 Oct.
    assert calendar.add_months(at(2026, 7, 1, 9), 3).at == at(2026, 10, 9)
    # Sat 28 Mar 2026 -> Mon 30 Mar.
    assert calendar.add_months(at(2026, 2, 28, 9), 1).at == at(2026, 3, 31)
    # 31 Jan + 1 month -> Sat 28 Feb 2026, itself a make-up working day.
    assert calendar.add_months(at(2026, 1, 31, 9), 1).at == at(2026, 3, 1)


def test_d2_months_into_unknown_year_provisional(calendar: WorkCalendar) -> None:
    deadline = calendar.add_months(at(2026, 11, 15, 9), 3)

    # Mon 15 Feb 2027, a weekday in a year the calendar does not know.
    assert deadline.at == at(2027, 2, 16)
    assert deadline.provisional is True


def test_d2_workdays_between(calendar: WorkCalendar) -> None:
    """Working days in (a, b]."""
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert calendar.workdays_between(date(2026, 10, 13), date(2026, 9, 30)) == 0
    # 1-3 Jan 2026 off, Sun 4 Jan a make-up day, Mon 5 Jan.
    assert calendar.workdays_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
    # 2026 has 365 - 104 weekend days - 19 weekday holidays + 6 make-up days.
    assert calendar.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


def test_d2_format_due_shows_midnight_as_24(calendar: WorkCalendar) -> None:
    assert format_due(at(2026, 10, 14, 0, 0)) == "2026-10-13 24:00"
    assert format_due(at(2026, 10, 13, 9, 5)) == "2026-10-13 09:05"
    assert format_due(datetime(2026, 10, 13, 16, 0, tzinfo=UTC)) == "2026-10-13 24:00"
    assert format_due(datetime(2026, 10, 13, 1, 0, tzinfo=UTC)) == "2026-10-13 09:00"


def test_d2_long_period_crosses_unknown_years(calendar: WorkCalendar) -> None:
    """A period of fifty years runs into years the calendar does not know."""
    start = at(2026, 1, 1, 9)

    deadline = calendar.add_workdays(start, 250 * 50)

    assert deadline.provisional is True
    assert 2070 <= deadline.at.year <= 2076
