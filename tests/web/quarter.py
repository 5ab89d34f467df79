"""A small 2026Q3 of the page cast, played at fixed Beijing times, for the
tests of the assessment page and its charts.

Water-hotline help requests (3 working days, D3), each dispatched five
minutes after receipt, accepted, contacted and visited with a photo:

- a: EAST, 东城区, 漏水, Mon 2026-07-06 9:00; replied 12:00, valid; followed
  up 7-7 10:00: process satisfied, result satisfied, feedback.
- b: EAST, 东城区, 水质, Mon 2026-08-03 9:00; replied 12:00, valid; followed
  up 8-4 10:00: process basically satisfied, result dissatisfied for an
  objective cause (no redo), no feedback.
- c: WEST, 西城区, 漏水, Mon 2026-08-10 9:00; left in handling, due Thu 8-13
  24:00 and overdue from then (R4.6, D4).
- d: WEST, 西城区, 漏水, Tue 2026-09-01 9:00; replied 12:00, valid, not yet
  followed up.
- e: EAST, 东城区, 漏水, Thu 2026-10-08 9:00; counts in 2026Q4, not here.

漏水 belongs to 管网设施 and 水质 to 水质 (tests/web/conftest.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from gongdan.orders import actions
from gongdan.orders.models import Order
from gongdan.org.models import Unit
from tests.conftest import bj

from .steps import GOOD_REPLY, intake, tiny_png

QUARTER = "2026Q3"


def handled(
    cast: dict[str, Any], code: str, received: datetime, **overrides: Any
) -> Order:
    """Registered, dispatched to ``code`` and accepted, contact and site
    visit recorded (with a photo), all within two hours of receipt."""
    who = cast[f"{code.lower()}_designee"]
    order = actions.do_register(
        cast["agent"],
        intake(received_at=received, **overrides),
        at=received + timedelta(minutes=2),
    )
    actions.do_dispatch(
        order,
        cast["agent"],
        Unit.objects.get(code=code),
        at=received + timedelta(minutes=5),
    )
    actions.do_accept(order, who, at=received + timedelta(minutes=30))
    actions.do_record_contact(
        order,
        who,
        method="phone",
        outcome="电话联系来电人约定上门",
        at=received + timedelta(hours=1),
    )
    actions.do_record_site_visit(
        order, who, findings="到场查看，确认情况属实", at=received + timedelta(hours=2)
    )
    actions.do_attach_evidence(
        order,
        who,
        name="现场.png",
        content=tiny_png(),
        at=received + timedelta(hours=2, minutes=5),
    )
    order.refresh_from_db()
    return order


def replied(cast: dict[str, Any], order: Order, code: str) -> Order:
    """A complete reply three hours after receipt, judged valid an hour on."""
    t = order.received_at
    actions.do_submit_reply(
        order,
        cast[f"{code.lower()}_designee"],
        kind="resolved",
        elements={
            key.split("-", 1)[1]: value
            for key, value in GOOD_REPLY.items()
            if key != "kind"
        },
        at=t + timedelta(hours=3),
    )
    actions.do_judge_reply(order, cast["ops"], valid=True, at=t + timedelta(hours=4))
    order.refresh_from_db()
    return order


def rated(cast: dict[str, Any], order: Order, at: datetime, **ratings: Any) -> Order:
    actions.do_follow_up(
        order,
        cast["agent"],
        reached=True,
        contacted=True,
        consistent=True,
        false_report=False,
        at=at,
        **ratings,
    )
    order.refresh_from_db()
    return order


def play_quarter(cast: dict[str, Any]) -> dict[str, Order]:
    """The orders of the table above, by name."""
    a = replied(cast, handled(cast, "EAST", bj(2026, 7, 6, 9, 0)), "EAST")
    rated(
        cast,
        a,
        bj(2026, 7, 7, 10, 0),
        process="satisfied",
        result="satisfied",
        feedback=True,
    )
    b = replied(
        cast, handled(cast, "EAST", bj(2026, 8, 3, 9, 0), category="水质"), "EAST"
    )
    rated(
        cast,
        b,
        bj(2026, 8, 4, 10, 0),
        process="basically_satisfied",
        result="dissatisfied",
        cause="objective",
        feedback=False,
    )
    west = {"district": "西城区", "address": "西城区西门大街8号"}
    c = handled(cast, "WEST", bj(2026, 8, 10, 9, 0), **west)
    d = replied(cast, handled(cast, "WEST", bj(2026, 9, 1, 9, 0), **west), "WEST")
    e = handled(cast, "EAST", bj(2026, 10, 8, 9, 0))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
