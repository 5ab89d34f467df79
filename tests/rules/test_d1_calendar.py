"""D1: the calendar knows its years, explains its days, never guesses."""

from __future__ import annotations

from datetime import date, datetime

from gongdan.rules.workdays import TZ, DayInfo, WorkCalendar


def small_calendar() -> WorkCalendar:
    return WorkCalendar(
        holidays={date(2030, 10, 1): "国庆节", date(2030, 10, 2): "国庆节"},
        makeup_workdays={date(2030, 9, 29): "国庆节"},
        known_years=[2030],
    )


def test_d1_package_knows_2004_to_2026(calendar: WorkCalendar) -> None:
    assert all(calendar.is_known(year) for year in range(2004, 2027))
    assert not calendar.is_known(2003)
    assert not calendar.is_known(2027)


def test_d1_explain_each_reason(calendar: WorkCalendar) -> None:
    assert calendar.explain(date(2026, 10, 1)) == DayInfo(
        date(2026, 10, 1), False, "holiday", "国庆节"
    )
    assert calendar.explain(date(2026, 10, 10)) == DayInfo(
        date(2026, 10, 10), True, "makeup_workday", "国庆节"
    )
    assert calendar.explain(date(2026, 10, 11)) == DayInfo(
        date(2026, 10, 11), False, "weekend", ""
    )
    assert calendar.explain(date(2026, 10, 12)) == DayInfo(
        date(2026, 10, 12), True, "weekday", ""
    )
    assert calendar.explain(date(2026, 2, 17)).name == "春节"


def test_d1_unknown_year_counts_weekends_only(calendar: WorkCalendar) -> None:
    """1 Jan 2027 is a Friday; without a calendar it is not guessed off."""
    info = calendar.explain(date(2027, 1, 1))

    assert info == DayInfo(date(2027, 1, 1), True, "unknown_year", "")
    assert calendar.is_workday(date(2027, 1, 2)) is False


def test_d1_given_tables_are_used() -> None:
    cal = small_calendar()

    assert cal.is_workday(date(2030, 10, 1)) is False
    assert cal.is_workday(date(2030, 9, 29)) is True  # a Sunday, made up
    assert cal.is_workday(date(2030, 9, 28)) is False  # a plain Saturday
    assert cal.is_workday(date(2030, 10, 3)) is True


def test_d1_entries_of_unknown_year_ignored() -> None:
    """A year not declared known counts weekends only, whatever is listed."""
    cal = WorkCalendar({date(2031, 1, 1): "元旦"}, {}, known_years=[2030])

    assert cal.explain(date(2031, 1, 1)).reason == "unknown_year"
    assert cal.is_workday(date(2031, 1, 1)) is True  # a Wednesday


def test_d1_crossing_into_unknown_year_is_provisional(
    calendar: WorkCalendar,
) -> None:
    # Thu 31 Dec 2026, then Fri 1 Jan 2027 and Mon 4 Jan 2027 by weekdays.
    deadline = calendar.add_workdays(datetime(2026, 12, 30, 10, tzinfo=TZ), 3)

    assert deadline.at == datetime(2027, 1, 5, tzinfo=TZ)
    assert deadline.provisional is True


def test_d1_end_stored_in_new_year_not_provisional(calendar: WorkCalendar) -> None:
    """Ending at 24:00 on 31 Dec touches no day of the unknown year."""
    deadline = calendar.add_workdays(datetime(2026, 12, 30, 10, tzinfo=TZ), 1)

    assert deadline.at == datetime(2027, 1, 1, tzinfo=TZ)
    assert deadline.provisional is False


def test_d1_starting_in_unknown_year_is_provisional(calendar: WorkCalendar) -> None:
    # Wed 31 Dec 2003 counts by weekday (2003 is unknown); Thu 1 Jan 2004 is
    # New Year's Day; Fri 2 Jan 2004 is the second working day.
    deadline = calendar.add_workdays(datetime(2003, 12, 30, 10, tzinfo=TZ), 2)

    assert deadline.at == datetime(2004, 1, 3, tzinfo=TZ)
    assert deadline.provisional is True
