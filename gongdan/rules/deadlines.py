"""Whether an order is overdue, or soon will be (R3.6, D4)."""

from __future__ import annotations

from datetime import datetime, timedelta


def is_overdue(
    due: datetime | None,
    valid_reply_at: datetime | None,
    pending_reply_at: datetime | None,
    now: datetime,
    *,
    excused: bool = False,
) -> bool:
    """Tell whether an order is overdue (R3.6, R4.6, D4).

    - An excused order is never overdue: a repeat call merged into its
      original, an order returned outside the group's jurisdiction (judged
      by its own 12-hour window, R5.4), and a caller-caused delay whose
      proof the operations dept accepted (R4.5, D4).
    - Without a due time an order is never overdue.
    - With a valid reply, it is overdue iff that reply came after the due
      time: a late valid reply does not undo the overdue.
    - A reply awaiting judgement that was submitted at or before the due
      time holds the clock: the order is not (yet) overdue. If the reply
      is later judged invalid it counts as no reply at all (R3.6), so the
      caller passes ``pending_reply_at=None`` and the clock has run on.
    - Otherwise the order is overdue iff ``now`` is past the due time.

    A reply that is neither valid nor pending (judged invalid) is passed
    as ``None`` in both.
    """
    if excused or due is None:
        return False
    if valid_reply_at is not None:
        return valid_reply_at > due
    if pending_reply_at is not None and pending_reply_at <= due:
        return False
    return now > due


def is_due_soon(due: datetime | None, now: datetime, within: timedelta) -> bool:
    """Tell whether ``due`` is not yet past but at most ``within`` away (D4)."""
    if due is None or now > due:
        return False
    return due - now <= within


def time_left_label(due: datetime, now: datetime) -> str:
    """Say in Chinese how long is left, or how long ago the due time passed.

    "剩余 2天3小时", "剩余 45分钟", "已超期 5小时"; minutes are dropped once
    the span reaches a day, seconds always.
    """
    if now <= due:
        return f"剩余 {_span(due - now)}"
    return f"已超期 {_span(now - due)}"


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    if minutes:
        return f"{minutes}分钟"
    return "不足1分钟"
