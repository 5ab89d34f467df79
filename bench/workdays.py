"""Working-day arithmetic: the precomputed calendar against a naive loop.

Both add 5 working days to the same random moments of 2004–2026; the
naive loop asks ``chinese_calendar.is_workday`` day by day, as code
without a calendar of its own would. Both answers are compared, so the
benchmark also checks that the fast path is right.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

import chinese_calendar

from gongdan.rules.workdays import TZ, calendar_from_package


def naive_add(start: datetime, n: int) -> datetime:
    day = start.date()
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), TZ)


def moments(count: int, seed: int = 2026) -> list[datetime]:
    rng = random.Random(seed)
    first = datetime(2004, 1, 1, tzinfo=TZ)
    span = (datetime(2026, 12, 15, tzinfo=TZ) - first).total_seconds()
    return [first + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)]


def timed(fn, starts):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    answers = [fn(s) for s in starts]
    return time.perf_counter() - began, answers


def run(count: int = 20000, days: int = 5) -> dict[str, float]:
    calendar = calendar_from_package()
    starts = moments(count)
    calendar.add_workdays(starts[0], days)  # build the per-year tables once

    fast_s, fast = timed(lambda s: calendar.add_workdays(s, days).at, starts)
    naive_s, naive = timed(lambda s: naive_add(s, days), starts)
    mismatches = sum(1 for a, b in zip(fast, naive, strict=True) if a != b)

    return {
        "additions": count,
        "fast_per_second": count / fast_s,
        "naive_per_second": count / naive_s,
        "ratio": naive_s / fast_s,
        "mismatches": mismatches,
    }


def main() -> None:
    figures = run()
    print("workdays: add 5 working days to", figures["additions"], "random moments")
    print(f"  precomputed calendar: {figures['fast_per_second']:,.0f} additions/s")
    print(f"  naive is_workday loop: {figures['naive_per_second']:,.0f} additions/s")
    print(f"  ratio: {figures['ratio']:.1f}x faster")
    print(f"  mismatches: {figures['mismatches']}")
    if figures["mismatches"]:
        raise SystemExit("the precomputed calendar disagrees with chinesecalendar")


if __name__ == "__main__":
    main()
