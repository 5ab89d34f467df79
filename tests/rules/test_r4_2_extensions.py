"""R2.2, R4.2, D3: extension requests and the derived due time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongdan.rules.errors import RuleViolation
from gongdan.rules.extensions import Step, check_extension, derive_due
from gongdan.rules.limits import TimeLimit
from gongdan.rules.workdays import calendar_from_package

TZ = ZoneInfo("Asia/Shanghai")
CAL = calendar_from_package()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def code_of(days, **kw) -> str:  # type: ignore[no-untyped-def]
    kw.setdefault("now", at(2026, 7, 6, 9))
    kw.setdefault("due", at(2026, 7, 9))
    kw.setdefault("granted", 0)
    kw.setdefault("pending", 0)
    with pytest.raises(RuleViolation) as caught:
        check_extension(days, **kw)
    return f"{caught.value.rule} {caught.value.code}"


def test_r4_2_five_days_accepted():
    assert (
        check_extension(5, now=at(2026, 7, 6), due=at(2026, 7, 9), granted=1, pending=0)
        == 5
    )


def test_r4_2_six_days_refused():
    assert code_of(6) == "R4.2 extension_too_long"
    assert code_of(0) == "R4.2 extension_too_long"
    assert code_of(True) == "R4.2 extension_days_invalid"


def test_r4_2_third_extension_refused():
    assert code_of(1, granted=2) == "R4.2 extension_limit_reached"
    assert code_of(1, granted=1, pending=1) == "R4.2 extension_limit_reached"


def test_r2_2_request_after_due_refused():
    assert code_of(3, now=at(2026, 7, 9)) == "R2.2 request_after_due"


def test_d3_extension_moves_current_due_by_workdays():
    """A Friday order of 3 working days, then 5 more across National Day."""
    limit = TimeLimit(3, "workdays")
    received = at(2026, 9, 25, 16)  # Friday, 中秋节 25–27 Sep

    base = derive_due(received, limit, [], CAL)
    extended = derive_due(received, limit, [Step("extend", days=5)], CAL)

    # 28, 29, 30 Sep are the 3 working days: due at the end of 30 Sep.
    assert base.at == at(2026, 10, 1)
    # From the end of 30 Sep: Oct 1–7 off; 8, 9, 10 (Saturday make-up), 12, 13.
    assert extended.at == at(2026, 10, 14)


def test_d3_extension_across_spring_festival():
    """2026 Spring Festival: 15–23 Feb off, 14 Feb and 28 Feb worked."""
    limit = TimeLimit(1, "workdays")
    received = at(2026, 2, 12, 10)  # Thursday

    extended = derive_due(received, limit, [Step("extend", days=2)], CAL)

    # Base: 13 Feb; then 14 Feb (Saturday make-up) and 24 Feb.
    assert extended.at == at(2026, 2, 25)


def test_d3_restart_counts_from_the_redo():
    limit = TimeLimit(24, "hours")

    due = derive_due(
        at(2026, 7, 6, 9),
        limit,
        [Step("extend", days=5), Step("restart", at=at(2026, 8, 3, 15))],
        CAL,
    )

    assert due.at == at(2026, 8, 4, 15)


def test_d3_platform_deadline_earlier_wins():
    limit = TimeLimit(7, "workdays")

    due = derive_due(
        at(2026, 7, 6, 9), limit, [Step("platform", at=at(2026, 7, 8, 18))], CAL
    )

    assert due.at == at(2026, 7, 8, 18)


def test_d3_platform_deadline_later_ignored():
    limit = TimeLimit(1, "workdays")

    due = derive_due(
        at(2026, 7, 6, 9), limit, [Step("platform", at=at(2026, 7, 30))], CAL
    )

    assert due.at == at(2026, 7, 8)


def test_d1_extension_into_unknown_year_is_provisional():
    limit = TimeLimit(1, "workdays")

    due = derive_due(at(2026, 12, 28, 9), limit, [Step("extend", days=5)], CAL)

    assert due.provisional is True


def test_d3_one_day_extension_of_a_monday_due_ends_tuesday():
    """Due at 24:00 Monday 6 July; one more working day ends 24:00 Tuesday."""
    limit = TimeLimit(1, "workdays")
    received = at(2026, 7, 3, 15)  # Friday

    base = derive_due(received, limit, [], CAL)
    extended = derive_due(received, limit, [Step("extend", days=1)], CAL)

    assert base.at == at(2026, 7, 7)
    assert extended.at == at(2026, 7, 8)


def test_d2_order_received_on_a_holiday():
    """Received on 3 October (National Day): the first working day after
    it is 8 October; three working days end with Saturday 10 October."""
    limit = TimeLimit(3, "workdays")

    due = derive_due(at(2026, 10, 3, 10), limit, [], CAL)

    assert due.at == at(2026, 10, 11)
