"""Extensions and the derivation of an order's due time (R2.2, R4.2, D3).

An order's due time is never typed in: it follows from its receipt, its
base limit, the extensions approved and the restarts (a redo) in its
history. ``derive_due`` replays those steps on a calendar, so a calendar
change recomputes every open order the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .errors import RuleViolation
from .limits import TimeLimit, due_time
from .workdays import TZ, Deadline, WorkCalendar

MAX_EXTENSIONS = 2
MAX_EXTENSION_DAYS = 5


@dataclass(frozen=True)
class Step:
    """One event that moves the due time.

    ``kind`` is "extend" (``days`` working days added to the current due
    time, D3), "restart" (the base limit counted anew from ``at``, after a
    redo), or "platform" (an outside platform's own deadline ``at``: the
    earlier of the two applies, D3).
    """

    kind: str
    at: datetime | None = None
    days: int = 0


def derive_due(
    received: datetime,
    limit: TimeLimit,
    steps: Iterable[Step],
    calendar: WorkCalendar,
) -> Deadline:
    """Replay the base limit and each step in order (D2, D3)."""
    current = due_time(received, limit, calendar)
    platform: datetime | None = None
    for step in steps:
        if step.kind == "extend":
            moved = calendar.add_workdays(_as_day_end(current.at), step.days)
            current = Deadline(moved.at, current.provisional or moved.provisional)
        elif step.kind == "restart" and step.at is not None:
            current = due_time(step.at, limit, calendar)
            platform = None
        elif step.kind == "platform" and step.at is not None:
            platform = step.at
        else:
            raise ValueError(f"unknown due-time step: {step!r}")
    if platform is not None and platform < current.at:
        return Deadline(platform, False)
    return current


def _as_day_end(due: datetime) -> datetime:
    """A due time at 00:00 is 24:00 of the day before (D2): count from there.

    Otherwise the day after a due time would be taken for the period's
    starting day and skipped.
    """
    local = due.astimezone(TZ)
    if local.time() == time(0, 0):
        return local - timedelta(microseconds=1)
    return local


def check_extension(
    days: object,
    *,
    now: datetime,
    due: datetime | None,
    granted: int,
    pending: int,
) -> int:
    """Refuse an extension request that breaks R2.2 or R4.2; return days.

    ``granted`` counts the order's approved extensions and ``pending`` the
    requests still waiting: two requests may be in play at most.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise RuleViolation(
            "R4.2", "extension_days_invalid", "延期天数须为 1 到 5 的整数。", "days"
        )
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise RuleViolation(
            "R4.2",
            "extension_too_long",
            f"每次延期最多 {MAX_EXTENSION_DAYS} 个工作日，至少 1 个工作日。",
            "days",
        )
    if granted + pending >= MAX_EXTENSIONS:
        raise RuleViolation(
            "R4.2",
            "extension_limit_reached",
            f"每张工单最多延期 {MAX_EXTENSIONS} 次，不能再申请。",
            "days",
        )
    if due is not None and now >= due:
        raise RuleViolation(
            "R2.2",
            "request_after_due",
            "已超过办理时限，延期须在到期前申请。",
            "days",
        )
    return days
