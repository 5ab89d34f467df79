"""Reads of follow-up calls and notices (R5.6, R6.1, D5)."""

from __future__ import annotations

from gongdan.orders.models import Event, Order
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


def unreachable_close(order: Order) -> Event | None:
    """The follow-up event that closed the order because the caller could
    not be reached (D5), if that is how it closed."""
    if order.state != workflow.CLOSED:
        return None
    last = order.events.filter(action="follow_up").order_by("-seq").first()
    return last if last and (last.data or {}).get("unreachable") else None
