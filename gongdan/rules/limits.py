"""Base time limits of orders (D3).

The standard sets no base time limit; the project keeps a table of rules,
each matching orders by source, request kind, category and urgency. The
most specific matching rule gives the limit. ``DEFAULT_LIMITS`` is the
table shipped with the project; administrators edit their own copy, and a
change applies to orders received after it (docs/time-limits.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gongdan.rules.workdays import Deadline, WorkCalendar

UNITS = {"hours": "小时", "workdays": "个工作日"}


@dataclass(frozen=True)
class TimeLimit:
    """A time limit in clock hours or in working days (D2, D3)."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown time-limit unit: {self.unit!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("a time limit's amount must be an int")
        if self.amount <= 0:
            raise ValueError("a time limit must be positive")

    def label(self) -> str:
        """Name the limit in Chinese: "24小时", "3个工作日"."""
        return f"{self.amount}{UNITS[self.unit]}"


@dataclass(frozen=True)
class LimitRule:
    """One row of the time-limit table (D3).

    A field left ``None`` matches any order; ``note`` says where the limit
    comes from.
    """

    limit: TimeLimit
    source: str | None = None
    kind: str | None = None
    category: str | None = None
    urgency: str | None = None
    note: str = ""

    def criteria(self) -> dict[str, str]:
        """Return the fields this rule matches on (its non-None ones)."""
        values = {
            "source": self.source,
            "kind": self.kind,
            "category": self.category,
            "urgency": self.urgency,
        }
        return {name: value for name, value in values.items() if value is not None}


def pick_limit(
    rules: Sequence[LimitRule],
    *,
    source: str | None,
    kind: str | None,
    category: str | None,
    urgency: str | None,
) -> LimitRule:
    """Pick the rule giving an order's base time limit (D3).

    A rule matches when each of its non-None fields equals the order's; the
    match with the most non-None fields wins, ties going to the earliest in
    ``rules``. Raise ``LookupError`` when no rule matches.
    """
    order = {
        "source": source,
        "kind": kind,
        "category": category,
        "urgency": urgency,
    }
    best: LimitRule | None = None
    best_size = -1
    for rule in rules:
        criteria = rule.criteria()
        if all(order[name] == value for name, value in criteria.items()):
            # Strictly greater: an equally specific later rule loses.
            if len(criteria) > best_size:
                best, best_size = rule, len(criteria)
    if best is None:
        raise LookupError(
            f"no time limit for source={source!r} kind={kind!r} "
            f"category={category!r} urgency={urgency!r}"
        )
    return best


def due_time(received: datetime, limit: TimeLimit, calendar: WorkCalendar) -> Deadline:
    """Compute the due time of an order received at ``received`` (D2, D3)."""
    if limit.unit == "hours":
        return calendar.add_hours(received, limit.amount)
    return calendar.add_workdays(received, limit.amount)


_CATEGORIES = "categories.csv 的建议时限及其公开出处"
_HOTLINE = "12345 热线惯例：咨询、求助 3 个工作日"
_HOTLINE_LONG = "12345 热线惯例：投诉、举报、建议办理时限长于咨询求助"

DEFAULT_LIMITS: tuple[LimitRule, ...] = (
    LimitRule(
        TimeLimit(13, "workdays"),
        category="施工",
        note=f"{_CATEGORIES}：12345 投诉举报类转办件 13 个工作日内办结",
    ),
    LimitRule(
        TimeLimit(13, "workdays"),
        category="违章用水",
        note=f"{_CATEGORIES}：举报类同投诉，13 个工作日",
    ),
    LimitRule(
        TimeLimit(3, "workdays"),
        category="服务态度",
        note=f"{_CATEGORIES}：2 个工作日调查处理、1 个工作日反馈",
    ),
    LimitRule(
        TimeLimit(1, "workdays"),
        category="其他",
        note=f"{_CATEGORIES}：职责外事项 1 个工作日内退回或转办（建议值）",
    ),
    LimitRule(
        TimeLimit(24, "hours"),
        urgency="urgent",
        note="集团选择：紧急工单 24 小时，参照停水抢修、水质答复 24 小时",
    ),
    LimitRule(TimeLimit(3, "workdays"), kind="consultation", note=_HOTLINE),
    LimitRule(TimeLimit(3, "workdays"), kind="help", note=_HOTLINE),
    LimitRule(TimeLimit(3, "workdays"), kind="praise", note="集团选择：同咨询"),
    LimitRule(TimeLimit(7, "workdays"), kind="complaint", note=_HOTLINE_LONG),
    LimitRule(TimeLimit(7, "workdays"), kind="report", note=_HOTLINE_LONG),
    LimitRule(TimeLimit(7, "workdays"), kind="suggestion", note=_HOTLINE_LONG),
    LimitRule(
        TimeLimit(5, "workdays"),
        note="集团选择：其余工单 5 个工作日（兜底）",
    ),
)
