"""Reads of follow-up calls and notices (R5.6, R6.1, D5)."""

from __future__ import annotations

from gongdan.orders.models import Order
from gongdan.rules import workflow

from .models import FollowUp


def failed_calls(order: Order) -> list[FollowUp]:
    """The calls of the current round that did not reach the caller (D5).

    A round starts at the order's last completion; a call that reached the
    caller ends it, so the calls before such a call, and those of an
    earlier round, are not counted again after a redo.
    """
    since = order.valid_reply_at or order.received_at
    failed: list[FollowUp] = []
    for call in order.followups.filter(at__gte=since).order_by("at", "pk"):
        failed = [] if call.reached else [*failed, call]
    return failed


def closed_unreachable(order: Order) -> bool:
    """Whether the order was closed because the caller could not be reached
    (D5): its last follow-up event says so and nothing reopened it."""
    if order.state != workflow.CLOSED:
        return False
    last = order.events.filter(action="follow_up").order_by("-seq").first()
    return bool(last and (last.data or {}).get("unreachable"))
