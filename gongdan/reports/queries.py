"""The quarterly assessment per unit (R3.6, R4.6, R5.5, R6.3, D4, D5).

Reports read; they never write. Every figure is computed from the orders
and their follow-ups at the moment of asking, and each can be listed
back as the orders behind it (the report pages list them).

The definitions (docs/decisions.md, "Assessment"): an order belongs to the
quarter in which it was received (Beijing time) and to the unit that owns
it now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from django.utils import timezone

from gongdan.followups.models import FollowUp
from gongdan.orders.models import Order
from gongdan.orders.queries import order_is_overdue
from gongdan.org.models import Unit, UnitKind
from gongdan.rules.satisfaction import Rates, rates
from gongdan.rules.workdays import TZ

FIGURES = (
    "received",
    "completed",
    "on_time",
    "overdue",
    "caller_delay",
    "redo",
    "followed_up",
)


@dataclass
class UnitFigures:
    code: str
    name: str
    orders: dict[str, list[int]] = field(
        default_factory=lambda: {name: [] for name in FIGURES}
    )
    redo: int = 0
    followups: list[FollowUp] = field(default_factory=list)

    @property
    def rates(self) -> Rates:
        return rates(self.followups)

    def as_dict(self) -> dict[str, object]:
        r = self.rates
        return {
            "unit": self.code,
            "name": self.name,
            "received": len(self.orders["received"]),
            "completed": len(self.orders["completed"]),
            "on_time": len(self.orders["on_time"]),
            "overdue": len(self.orders["overdue"]),
            # R4.5, D4: accepted caller delays, reported apart from overdue.
            "caller_delay": len(self.orders["caller_delay"]),
            "redo": self.redo,
            "followed_up": len(self.followups),
            "feedback_rate": r.feedback_rate,
            "process_satisfaction": r.process,
            "result_satisfaction": r.result,
            "user_satisfaction": r.user,
        }


def quarter_bounds(quarter: str) -> tuple[datetime, datetime]:
    """``2026Q3`` → [2026-07-01 00:00, 2026-10-01 00:00) in Beijing time."""
    match = re.fullmatch(r"(\d{4})Q([1-4])", quarter.strip().upper())
    if not match:
        raise ValueError("季度格式应为 2026Q3")
    year, q = int(match.group(1)), int(match.group(2))
    start = datetime(year, 3 * q - 2, 1, tzinfo=TZ)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=TZ)
    return start, end


def current_quarter(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def assess(
    start: datetime, end: datetime, now: datetime | None = None
) -> tuple[list[UnitFigures], UnitFigures]:
    """Figures per unit and for the whole group, for orders received in
    [start, end)."""
    now = now or timezone.now()
    units = {
        u.pk: UnitFigures(u.code, u.name)
        for u in Unit.objects.filter(kind=UnitKind.UNIT).order_by("code")
    }
    total = UnitFigures("TOTAL", "集团合计")
    orders = Order.objects.filter(
        received_at__gte=start,
        received_at__lt=end,
        unit__isnull=False,
        duplicate_of__isnull=True,
    )
    latest: dict[int, FollowUp] = {}
    for followup in FollowUp.objects.filter(order__in=orders, reached=True).order_by(
        "at", "pk"
    ):
        latest[followup.order_id] = followup  # the last call that reached counts
    for order in orders:
        figures = units.get(order.unit_id)
        if figures is None:
            continue
        facts = {
            "received": True,
            "completed": order.valid_reply_at is not None,
            "on_time": order.valid_reply_at is not None
            and order.due_at is not None
            and order.valid_reply_at <= order.due_at,
            "overdue": order_is_overdue(order, now),
            "caller_delay": order.caller_delay_accepted,
            "redo": order.redo_count > 0,
            "followed_up": order.pk in latest,
        }
        for target in (figures, total):
            for name, holds in facts.items():
                if holds:
                    target.orders[name].append(order.pk)
            target.redo += order.redo_count
            if order.pk in latest:
                target.followups.append(latest[order.pk])
    return list(units.values()), total


def fraction_out(value: Fraction | None) -> float | None:
    """A rate as a number for JSON: a fraction of 1 with full precision."""
    return None if value is None else round(float(value), 10)


def report_json(quarter: str, now: datetime | None = None) -> dict[str, object]:
    start, end = quarter_bounds(quarter)
    units, total = assess(start, end, now)

    def out(figures: UnitFigures) -> dict[str, object]:
        data = figures.as_dict()
        for key in (
            "feedback_rate",
            "process_satisfaction",
            "result_satisfaction",
            "user_satisfaction",
        ):
            data[key] = fraction_out(data[key])  # type: ignore[arg-type]
        return data

    return {
        "quarter": quarter.upper(),
        "units": [out(u) for u in units],
        "total": out(total),
    }


# Roles that read the assessment: it compares every unit with the others.
REPORT_ROLES = ("ops", "admin", "agent", "head")


def may_see_report(user) -> bool:  # type: ignore[no-untyped-def]
    """The hotline, the operations dept, administrators and unit heads."""
    from gongdan.org.models import Person

    if getattr(user, "is_superuser", False):
        return True
    return Person.of(user).has(*REPORT_ROLES)
