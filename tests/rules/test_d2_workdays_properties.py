"""D1, D2: the calendar agrees with chinese_calendar on every known year.

The oracle is ``chinese_calendar.is_workday`` walked day by day, here in
the test, never the code under test.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from gongdan.rules.workdays import TZ, calendar_from_package

CALENDAR = calendar_from_package()
FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST - timedelta(days=120))
moments = st.builds(
    lambda d, t: datetime.combine(d, t, tzinfo=TZ),
    days,
    st.times(),
)
counts = st.integers(min_value=0, max_value=60)


def naive_nth_workday_after(day: date, n: int) -> date:
    d = day
    found = 0
    while found < n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            found += 1
    return d


def naive_count(after: date, up_to: date) -> int:
    return sum(
        chinese_calendar.is_workday(after + timedelta(days=i))
        for i in range(1, (up_to - after).days + 1)
    )


def test_d1_every_known_day_matches_chinese_calendar() -> None:
    day = FIRST
    while day <= LAST:
        assert CALENDAR.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=1, max_value=60))
def test_d2_ends_at_midnight_after_a_workday(start: datetime, n: int) -> None:
    deadline = CALENDAR.add_workdays(start, n)

    last_day = deadline.at.date() - timedelta(days=1)
    assert deadline.at.timetz() == time(0, 0, tzinfo=TZ)
    assert chinese_calendar.is_workday(last_day)
    assert last_day == naive_nth_workday_after(start.date(), n)
    assert deadline.provisional is False


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=1, max_value=60))
def test_d2_exactly_n_workdays_after_start_day(start: datetime, n: int) -> None:
    deadline = CALENDAR.add_workdays(start, n)

    last_day = deadline.at.date() - timedelta(days=1)
    assert naive_count(start.date(), last_day) == n
    assert CALENDAR.workdays_between(start.date(), last_day) == n


@settings(max_examples=200, deadline=None)
@given(moments, counts, counts)
def test_d2_monotonic_in_n(start: datetime, a: int, b: int) -> None:
    low, high = sorted((a, b))

    first = CALENDAR.add_workdays(start, low).at
    second = CALENDAR.add_workdays(start, high).at

    assert first <= second
    if low < high:
        assert first < second


@settings(max_examples=100, deadline=None)
@given(moments)
def test_d2_adding_zero_is_identity(start: datetime) -> None:
    assert CALENDAR.add_workdays(start, 0).at == start


@settings(max_examples=200, deadline=None)
@given(days, days)
def test_d2_workdays_between_matches_naive_count(a: date, b: date) -> None:
    a, b = sorted((a, b))
    b = min(b, a + timedelta(days=800))

    assert CALENDAR.workdays_between(a, b) == naive_count(a, b)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2004, max_value=2026), st.integers(0, 3), counts)
def test_d2_spring_festival_and_national_day(year: int, offset: int, n: int) -> None:
    """Start just before each year's long holidays, make-up days included."""
    spring = min(
        d
        for d, name in chinese_calendar.holidays.items()
        if d.year == year and name == "Spring Festival"
    )
    for first_off in (spring, date(year, 10, 1)):
        start_day = first_off - timedelta(days=offset + 1)
        start = datetime.combine(start_day, time(17, 0), tzinfo=TZ)

        deadline = CALENDAR.add_workdays(start, n)

        if n == 0:
            assert deadline.at == start
            continue
        expected = naive_nth_workday_after(start_day, n) + timedelta(days=1)
        assert deadline.at == datetime.combine(expected, time(0, 0), tzinfo=TZ)
