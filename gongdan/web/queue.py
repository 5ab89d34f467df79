"""待办: what waits for the user's role, one section per kind of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongdan.followups.models import Notice
from gongdan.orders import procedures
from gongdan.orders.models import Commitment, Order, PlanStep, Reply, Request
from gongdan.orders.queries import due_soon_q, overdue_q
from gongdan.org.models import Role, Unit
from gongdan.rules import workflow
from gongdan.rules.deadlines import time_left_label
from gongdan.rules.workdays import format_due

from . import forms as f
from .display import when
from .views import UNIT_ROLES, Member, awaiting_confirmation, member_of


@dataclass
class Row:
    order: Order
    cells: list[str]
    css: str = ""


@dataclass
class Section:
    """One list of the queue: a title, what it holds, and its rows."""

    key: str
    title: str
    note: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)


def due_cells(order: Order, now: datetime) -> list[str]:
    if order.due_at is None:
        return ["—", ""]
    return [format_due(order.due_at), time_left_label(order.due_at, now)]


def unit_name(order: Order) -> str:
    return order.unit.name if order.unit else "—"


def order_cells(order: Order, now: datetime) -> list[str]:
    return [unit_name(order), order.get_state_display(), *due_cells(order, now)]


# --- the lists ---------------------------------------------------------------------


def due_soon(orders: QuerySet[Order], now: datetime) -> Section:
    hours = settings.GONGDAN_DUE_SOON_HOURS
    found = orders.filter(due_soon_q(now, timedelta(hours=hours))).order_by("due_at")
    return Section(
        "due_soon",
        f"即将到期（{hours} 小时内）",
        "待签收、办理中的工单，办理时限最近的在前。",
        ["责任单位", "状态", "办理时限", "剩余时间"],
        [Row(o, order_cells(o, now), "due-soon") for o in found],
    )


def overdue(orders: QuerySet[Order], now: datetime) -> Section:
    found = (
        orders.filter(overdue_q(now))
        .filter(state__in=workflow.OPEN_STATES, valid_reply_at__isnull=True)
        .order_by("due_at")
    )
    return Section(
        "overdue",
        "已超期未办结",
        "到期仍无有效回复的工单（R3.6、D4），超期最久的在前。",
        ["责任单位", "状态", "办理时限", "超期"],
        [Row(o, order_cells(o, now), "overdue") for o in found],
    )


def requests_to_decide() -> Section:
    found = (
        Request.objects.select_related("order", "unit")
        .filter(state="pending", ops_approved_at__isnull=True)
        .order_by("requested_at", "pk")
    )
    return Section(
        "requests",
        "待审批申请",
        "延期、回退、方案解决、无法解决、情况说明，申请最早的在前（D6）。",
        ["责任单位", "申请", "申请时间"],
        [
            Row(
                r.order,
                [r.unit.name, f.describe_request(r), when(r.requested_at)],
                "overdue" if r.late else "",
            )
            for r in found
        ],
    )


def replies_to_judge(now: datetime) -> Section:
    found = (
        Reply.objects.select_related("order", "order__unit")
        .filter(verdict="", order__state=workflow.SUBMITTED)
        .exclude(kind="cannot_satisfy")
        .order_by("submitted_at", "pk")
    )
    return Section(
        "replies",
        "待审核回复",
        "提交最早的在前；只有要素齐全、内容实在的回复才是有效回复（R3.6）。",
        ["责任单位", "回复类型", "提交时间", "办理时限"],
        [
            Row(
                r.order,
                [
                    unit_name(r.order),
                    r.get_kind_display()
                    + ("（来电人原因延误）" if r.caller_delay else ""),
                    when(r.submitted_at),
                    due_cells(r.order, now)[0],
                ],
            )
            for r in found
        ],
    )


def commitments_to_confirm(now: datetime) -> Section:
    found = (
        Commitment.objects.select_related("order", "unit")
        .filter(state="claimed")
        .order_by("claimed_at", "pk")
    )
    return Section(
        "commitments_claimed",
        "待确认承诺兑现",
        "单位已报兑现的承诺事项，报兑现最早的在前（R3.7）。",
        ["责任单位", "承诺事项", "承诺时限", "报兑现时间"],
        [
            Row(
                c.order,
                [c.unit.name, c.promise[:60], format_due(c.due_at), when(c.claimed_at)],
                "overdue" if c.claimed_at and c.claimed_at > c.due_at else "",
            )
            for c in found
        ],
    )


def notices_to_decide() -> Section:
    """Threats a follow-up heard of, waiting for the operations dept (R5.6)."""
    found = (
        Notice.objects.select_related("order", "unit", "followup__agent")
        .filter(state="pending")
        .order_by("raised_at", "pk")
    )
    return Section(
        "notices",
        "待确认通报",
        "回访发现来电人反映受到威胁，发现最早的在前；确认后计入责任单位考核，"
        "不予通报须写明理由（R5.6、D6）。",
        ["责任单位", "回访发现时间", "回访坐席", "回访备注"],
        [
            Row(
                n.order,
                [
                    n.unit.name,
                    when(n.raised_at),
                    n.followup.agent.get_full_name() or n.followup.agent.get_username(),
                    n.followup.note[:60] or "—",
                ],
            )
            for n in found
        ],
    )


def plans_to_review() -> Section:
    found = (
        Request.objects.select_related("order", "unit")
        .filter(kind="plan", state="pending", ops_approved_at__isnull=False)
        .order_by("ops_approved_at", "pk")
    )
    return Section(
        "plans",
        "待审核方案（超过 3 个月）",
        "运营管理部已批准、须审查小组审核的方案，批准最早的在前（R4.3）。",
        ["责任单位", "方案", "运营管理部批准时间"],
        [
            Row(r.order, [r.unit.name, f.describe_request(r), when(r.ops_approved_at)])
            for r in found
        ],
    )


def cannot_satisfy_to_rule() -> Section:
    found = (
        Reply.objects.select_related("order", "order__unit")
        .filter(verdict="", kind="cannot_satisfy", order__state=workflow.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    return Section(
        "cannot_satisfy",
        "待评议“诉求无法满足”回复",
        "提交最早的在前；评议经 OA 办理，请记下 OA 编号（R3.4）。",
        ["责任单位", "诉求合理性分析", "提交时间"],
        [
            Row(
                r.order,
                [
                    unit_name(r.order),
                    str(r.elements.get("reasonableness", ""))[:60],
                    when(r.submitted_at),
                ],
            )
            for r in found
        ],
    )


def open_steps(steps: QuerySet[PlanStep], now: datetime, title: str) -> Section:
    found = steps.select_related("order", "order__unit").filter(replied_at__isnull=True)
    return Section(
        "steps",
        title,
        "方案步骤和 3 个月进展节点，时限最近的在前（R4.3）。",
        ["责任单位", "节点", "进展回复时限", "剩余时间"],
        [
            Row(
                s.order,
                [
                    unit_name(s.order),
                    f.describe_step(s).split("（时限")[0],
                    format_due(s.due_at),
                    time_left_label(s.due_at, now),
                ],
                "overdue" if now > s.due_at else "",
            )
            for s in found.order_by("due_at", "pk")
        ],
    )


def broken_or_left(due: datetime, now: datetime) -> str:
    return "已逾期未兑现" if now > due else time_left_label(due, now)


def open_commitments(unit: Unit, now: datetime) -> Section:
    found = (
        Commitment.objects.select_related("order", "unit")
        .filter(unit=unit, state="open")
        .order_by("due_at", "pk")
    )
    return Section(
        "commitments_open",
        "未兑现承诺事项",
        "回复中承诺的事项，时限最近的在前；兑现后上传证明材料并报兑现（R3.7）。",
        ["承诺事项", "承诺时限", "状态"],
        [
            Row(
                c.order,
                [
                    c.promise[:60],
                    format_due(c.due_at),
                    "已逾期未兑现"
                    if now > c.due_at
                    else time_left_label(c.due_at, now),
                ],
                "overdue" if now > c.due_at else "",
            )
            for c in found
        ],
    )


def to_accept(orders: QuerySet[Order]) -> Section:
    """Orders dispatched or transferred to the unit, not yet accepted."""
    waiting = orders.filter(state=workflow.DISPATCHED).order_by("unit_received_at")
    return Section(
        "accept",
        "待签收",
        "转办或内部转办来的工单，由热线工单专员签收（R5.1）。",
        ["地址", "收到时间"],
        [Row(o, [o.address[:30], when(o.unit_received_at)]) for o in waiting],
    )


def sent_back(orders: QuerySet[Order], now: datetime) -> Section:
    """Handling orders whose last reply was judged invalid or ruled to be
    continued: the unit has to reply again (R3.6, R3.4)."""
    back = (
        orders.filter(state=workflow.HANDLING)
        .filter(replies__verdict__in=("invalid", "continue"))
        .distinct()
        .order_by("due_at")
    )
    return Section(
        "sent_back",
        "回复被退回",
        "回复被判无效或评议须继续办理的工单，须重新办理并回复（R3.6、R3.4）。",
        ["状态", "办理时限", "剩余时间"],
        [Row(o, [o.get_state_display(), *due_cells(o, now)]) for o in back],
    )


def categories_to_confirm(request: HttpRequest) -> Section:
    return Section(
        "categories",
        "待确认分类",
        "分类无法确定的工单，须本单位负责人确认后才能转办（R1.2）。",
        ["地址", "诉求内容", "受理时间"],
        [
            Row(o, [o.address[:30], o.content[:40], when(o.received_at)])
            for o in awaiting_confirmation(request)
        ],
    )


def hotline_lists(member: Member) -> list[Section]:
    """待转办 for hotline agents, 待回访 for agents and follow-up agents."""
    to_dispatch = Order.objects.filter(
        state=workflow.REGISTERED, category__isnull=False, duplicate_of__isnull=True
    ).order_by("received_at")
    to_follow = Order.objects.select_related("unit").filter(state=workflow.FOLLOW_UP)
    lists = []
    if member.has(Role.AGENT):
        lists.append(
            Section(
                "dispatch",
                "待转办",
                "已登记、分类已定的工单，受理最早的在前（R1.3）。",
                ["地址", "受理时间"],
                [Row(o, [o.address[:30], when(o.received_at)]) for o in to_dispatch],
            )
        )
    lists.append(
        Section(
            "follow_up",
            "待回访",
            "回复有效的工单，有效回复最早的在前（R6.1）。",
            ["责任单位", "有效回复时间"],
            [
                Row(o, [unit_name(o), when(o.valid_reply_at)])
                for o in to_follow.order_by("valid_reply_at", "pk")
            ],
        )
    )
    return lists


def sections_for(request: HttpRequest, member: Member) -> list[Section]:
    """The lists of each of the member's roles, most pressing first."""
    now = timezone.now()
    everyone = Order.objects.select_related("unit", "category")
    sections: list[Section] = []
    if member.has(Role.OPS):
        sections += [
            requests_to_decide(),
            replies_to_judge(now),
            notices_to_decide(),
            commitments_to_confirm(now),
            due_soon(everyone, now),
            overdue(everyone, now),
        ]
    if member.has(Role.COMMITTEE) and member.unit is not None:
        committee = {
            procedures.REVIEW: lambda: [plans_to_review()],
            procedures.QUALITY: lambda: [cannot_satisfy_to_rule()],
            procedures.APPEAL: lambda: [
                open_steps(PlanStep.objects.all(), now, "在办方案节点")
            ],
        }
        sections += committee.get(member.unit.code, list)()
    if member.has(*UNIT_ROLES):
        unit = member.unit
        held = everyone.filter(unit=unit)
        sections += [
            to_accept(held),
            sent_back(held, now),
            due_soon(held, now),
            overdue(held, now),
            open_steps(
                PlanStep.objects.filter(order__unit=unit), now, "待回复方案进展"
            ),
            open_commitments(unit, now),
        ]
        if member.has(Role.HEAD):
            sections.append(categories_to_confirm(request))
    if member.has(Role.AGENT, Role.FOLLOWUP):
        sections += hotline_lists(member)
    return sections


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """待办: the work waiting for the user's role, each row linking to its
    order."""
    member = member_of(request)
    sections = sections_for(request, member) if member else []
    context = {
        "sections": sections,
        "unit": member.unit if member else None,
        "total": sum(len(s.rows) for s in sections),
    }
    return render(request, "web/queue.html", context)
