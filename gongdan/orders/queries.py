"""Reads of orders: who may see which, and the derived facts (D4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from gongdan.org.models import Person, Role
from gongdan.rules import workflow
from gongdan.rules.deadlines import is_due_soon, is_overdue

from .actions import person_of
from .models import Order

# Roles that see every order of the group.
WIDE_ROLES = (Role.AGENT, Role.FOLLOWUP, Role.OPS, Role.ADMIN)
UNIT_ROLES = (Role.DESIGNEE, Role.STAFF, Role.HEAD)


def visible_orders(user: AbstractBaseUser) -> QuerySet[Order]:
    """Orders the user may see.

    The hotline, the operations dept and administrators see all; unit
    people see what their unit holds or once held (read-only after it
    left), a head also what waits for the head's confirmation (R1.2); a
    group sees what waits for its decision and what it decided (D6).
    """
    orders = Order.objects.select_related("category", "unit")
    if getattr(user, "is_superuser", False):
        return orders
    person = person_of(user)
    if person.unit is None or not person.roles:
        return orders.none()
    if person.has(*WIDE_ROLES):
        return orders
    seen = Q(pk__in=[])
    if person.has(*UNIT_ROLES):
        seen |= Q(unit=person.unit) | Q(events__unit=person.unit)
    if person.has(Role.HEAD):
        seen |= Q(state=workflow.REGISTERED, candidate_unit=person.unit)
    if person.has(Role.COMMITTEE):
        seen |= Q(events__unit=person.unit) | waiting_for_group(person.unit.code)
    return orders.filter(seen).distinct()


def waiting_for_group(code: str) -> Q:
    """Orders waiting for the decision of the group with this code."""
    if code == "QUALITY":
        return Q(
            state=workflow.SUBMITTED,
            replies__verdict="",
            replies__kind="cannot_satisfy",
        )
    if code == "REVIEW":
        return Q(
            requests__kind="plan",
            requests__state="pending",
            requests__ops_approved_at__isnull=False,
        )
    if code == "APPEAL":
        return Q(plan_steps__replied_at__isnull=True)
    return Q(pk__in=[])


def overdue_q(now: datetime) -> Q:
    """The database form of ``rules.deadlines.is_overdue`` (D4)."""
    late_reply = Q(valid_reply_at__gt=F("due_at"))
    no_reply = (
        Q(valid_reply_at__isnull=True)
        & Q(due_at__lt=now)
        & (Q(pending_reply_at__isnull=True) | Q(pending_reply_at__gt=F("due_at")))
    )
    return Q(
        due_at__isnull=False,
        duplicate_of__isnull=True,
        caller_delay_accepted=False,
        returned_at__isnull=True,
    ) & (late_reply | no_reply)


def order_is_overdue(order: Order, now: datetime) -> bool:
    """D4 for one order (see ``rules.deadlines.is_overdue``)."""
    excused = (
        order.duplicate_of_id is not None
        or order.returned_at is not None
        or order.caller_delay_accepted
    )
    return is_overdue(
        order.due_at,
        order.valid_reply_at,
        order.pending_reply_at,
        now,
        excused=excused,
    )


def mark_deadlines(orders: list[Order], now: datetime | None = None) -> list[Order]:
    """Attach ``overdue`` and ``due_soon`` to each order for display."""
    now = now or timezone.now()
    within = timedelta(hours=settings.GONGDAN_DUE_SOON_HOURS)
    for order in orders:
        order.overdue = order_is_overdue(order, now)
        order.due_soon = (
            not order.overdue
            and order.state in (workflow.DISPATCHED, workflow.HANDLING)
            and order.due_at is not None
            and order.valid_reply_at is None
            and order.pending_reply_at is None
            and is_due_soon(order.due_at, now, within)
        )
    return orders


def due_soon_q(now: datetime, within: timedelta) -> Q:
    """Orders waiting for their unit, not yet overdue, due within ``within``."""
    return Q(
        state__in=(workflow.DISPATCHED, workflow.HANDLING),
        duplicate_of__isnull=True,
        due_at__gte=now,
        due_at__lte=now + within,
    )


def explain_due(order: Order) -> list[str]:
    """Say how the order's due time was reached, step by step (D2, D3)."""
    from gongdan.rules.workdays import format_due

    from .actions import due_steps

    if order.limit_amount is None:
        return ["分类未确定，尚无办理时限。"]
    received = timezone.localtime(order.received_at).strftime("%Y-%m-%d %H:%M")
    lines = [f"基础时限：{order.limit_label}，自受理时间 {received} 起算。"]
    for step in due_steps(order):
        if step.kind == "extend":
            lines.append(f"批准延期 {step.days} 个工作日，自当时的办理时限顺延。")
        elif step.kind == "restart" and step.at is not None:
            restart = timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M")
            lines.append(f"回访后重办，自 {restart} 重新起算基础时限。")
        elif step.kind == "platform" and step.at is not None:
            lines.append(f"来源平台时限 {format_due(step.at)}，取较早者。")
    if order.due_at is not None:
        lines.append(f"办理时限：{format_due(order.due_at)}。")
    counts_workdays = order.limit_unit == "workdays" or any(
        step.kind == "extend" for step in due_steps(order)
    )
    if order.due_provisional:
        lines.append("暂定：期限跨入日历尚未收录的年份，按周末推算，收录后自动重算。")
    elif counts_workdays:
        lines.append("按国务院办公厅公布的节假日与调休安排计算工作日。")
    else:
        lines.append("按自然时间计算，夜间和节假日照算。")
    return lines


# Roles that call the caller: the hotline, and the people of the unit that
# holds the order.
CALLING_UNIT_ROLES = (Role.DESIGNEE, Role.STAFF, Role.HEAD)


def may_see_caller(
    user: AbstractBaseUser, order: Order, person: Person | None = None
) -> bool:
    """Whether the user must call this order's caller, and so sees the
    caller's full name and phone; others see them masked. ``person`` is
    the user's ``Person``, when the caller already has it."""
    person = person or person_of(user)
    if person.has(Role.AGENT, Role.FOLLOWUP):
        return True
    return person.has(*CALLING_UNIT_ROLES) and order.unit_id == getattr(
        person.unit, "pk", None
    )


def caller_of(user: AbstractBaseUser, order: Order, channel: str) -> tuple[str, str]:
    """The caller's name and phone as this user may see them; a full view
    is recorded (who, which order, when)."""
    from gongdan.rules.intake import mask_name, mask_phone

    from .models import CallerView

    if may_see_caller(user, order):
        CallerView.objects.create(order=order, user=user, channel=channel)
        return order.caller_name, order.caller_phone
    return mask_name(order.caller_name), mask_phone(order.caller_phone)


def callers_of(
    user: AbstractBaseUser, orders: Iterable[Order], channel: str
) -> dict[int, tuple[str, str]]:
    """``caller_of`` for many orders at once, keyed by order id: each
    caller's name and phone as this user may see them. The full views are
    recorded in one insert, one row per order."""
    from gongdan.rules.intake import mask_name, mask_phone

    from .models import CallerView

    if len(channel) > CallerView._meta.get_field("channel").max_length:
        raise ValueError(f"channel too long for CallerView: {channel!r}")
    person = person_of(user)
    callers: dict[int, tuple[str, str]] = {}
    views: list[CallerView] = []
    for order in orders:
        if order.pk in callers:
            continue
        if may_see_caller(user, order, person):
            views.append(CallerView(order=order, user=user, channel=channel))
            callers[order.pk] = (order.caller_name, order.caller_phone)
        else:
            callers[order.pk] = (
                mask_name(order.caller_name),
                mask_phone(order.caller_phone),
            )
    CallerView.objects.bulk_create(views, batch_size=500)
    return callers
