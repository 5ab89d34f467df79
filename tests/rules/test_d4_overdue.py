"""R3.6, D4: an order without a valid reply by its due time is overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from gongdan.rules.deadlines import is_due_soon, is_overdue, time_left_label
from gongdan.rules.workdays import TZ

DUE = datetime(2026, 10, 14, 0, 0, tzinfo=TZ)
BEFORE = DUE - timedelta(hours=1)
AFTER = DUE + timedelta(hours=1)


def test_d4_no_due_time_never_overdue() -> None:
    assert is_overdue(None, None, None, AFTER) is False


def test_d4_no_reply_overdue_after_due() -> None:
    assert is_overdue(DUE, None, None, BEFORE) is False
    assert is_overdue(DUE, None, None, DUE) is False
    assert is_overdue(DUE, None, None, AFTER) is True


def test_r3_6_valid_reply_in_time_not_overdue() -> None:
    assert is_overdue(DUE, BEFORE, None, AFTER + timedelta(days=30)) is False
    assert is_overdue(DUE, DUE, None, AFTER) is False


def test_r3_6_valid_reply_late_is_overdue() -> None:
    assert is_overdue(DUE, AFTER, None, AFTER) is True


def test_d4_pending_reply_in_time_holds_the_clock() -> None:
    assert is_overdue(DUE, None, BEFORE, AFTER) is False


def test_d4_pending_reply_late_does_not() -> None:
    assert is_overdue(DUE, None, AFTER, AFTER) is True


def test_d4_reply_judged_invalid_counts_as_none() -> None:
    """Once judged invalid the reply is passed as neither valid nor pending."""
    assert is_overdue(DUE, None, None, AFTER) is True


def test_d4_due_soon() -> None:
    within = timedelta(hours=4)

    assert is_due_soon(DUE, DUE - timedelta(hours=4), within) is True
    assert is_due_soon(DUE, DUE - timedelta(hours=5), within) is False
    assert is_due_soon(DUE, DUE, within) is True
    assert is_due_soon(DUE, AFTER, within) is False
    assert is_due_soon(None, BEFORE, within) is False


def test_d4_time_left_labels() -> None:
    assert time_left_label(DUE, DUE - timedelta(days=2, hours=3, minutes=20)) == (
        "剩余 2天3小时"
    )
    assert time_left_label(DUE, DUE - timedelta(days=1)) == "剩余 1天"
    assert time_left_label(DUE, DUE - timedelta(minutes=45)) == "剩余 45分钟"
    assert time_left_label(DUE, DUE - timedelta(hours=2, minutes=5)) == (
        "剩余 2小时5分钟"
    )
    assert time_left_label(DUE, DUE + timedelta(hours=5)) == "已超期 5小时"
    assert time_left_label(DUE, DUE + timedelta(seconds=30)) == "已超期 不足1分钟"
    assert time_left_label(DUE, DUE) == "剩余 不足1分钟"


def test_r4_5_excused_order_never_overdue() -> None:
    """A merged repeat call, a return, or an accepted caller delay (D4)."""
    due = datetime(2026, 7, 10, tzinfo=TZ)
    now = datetime(2026, 8, 1, tzinfo=TZ)

    assert is_overdue(due, None, None, now) is True
    assert is_overdue(due, None, None, now, excused=True) is False
    assert is_overdue(due, now, None, now, excused=True) is False
