"""What the order page shows: events, replies, requests, plan steps and
commitments in words."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gongdan.orders import actions, procedures
from gongdan.orders.models import (
    Commitment,
    CommitmentState,
    Event,
    Order,
    PlanStep,
    Reply,
    Request,
    RequestKind,
    UnresolvableReason,
)
from gongdan.rules import workflow
from gongdan.rules.deadlines import time_left_label
from gongdan.rules.intake import SOURCES
from gongdan.rules.replies import ELEMENT_LABELS, REPLY_KIND_LABELS
from gongdan.rules.satisfaction import RATINGS
from gongdan.rules.workdays import format_due

DATA_LABELS = {
    "source": "来源",
    "category": "分类",
    "to": "转至",
    "from": "转出",
    "unit": "单位",
    "delay_seconds": "受理至转办",
    "original": "原工单",
    "duplicate": "重复来电",
    "reason": "原因",
    "method": "方式",
    "outcome": "结果",
    "contacted_at": "联系时间",
    "visited_at": "到场时间",
    "findings": "核实情况",
    "face_to_face": "当面沟通",
    "name": "文件",
    "media_kind": "类型",
    "sha256": "SHA-256",
    "size": "大小",
    "kind": "回复类型",
    "valid": "有效",
    "reached": "回访到",
    "failure_reason": "未回访到原因",
    "process": "过程评价",
    "result": "结果评价",
    "feedback": "已反馈",
    "consistent": "回复一致",
    "false_report": "虚报瞒报",
    "threatened": "受到威胁",
    "cause": "原因",
    "redo": "重办",
    "refused_meeting": "来电人拒绝见面",
    "purpose": "用途",
    "days": "延期工作日",
    "late": "超时",
    "site_check": "现场核实情况",
    "legal_basis": "回退依据",
    "steps": "步骤数",
    "long": "超过3个月",
    "approved": "批准",
    "awaiting_review": "待审查小组审核",
    "reason_code": "无法解决原因",
    "title": "节点",
    "old": "原时限",
    "new": "新时限",
    "note": "兑现情况",
    "confirmed": "确认兑现",
    "state": "状态",
    "reasonable": "诉求合理须继续办理",
    "oa_ref": "OA 编号",
    "caller_delay_accepted": "认定来电人原因延误",
    "provisional": "暂定",
    "attempts": "本轮未回访到次数",
    "unreachable": "无法回访办结",
    "round_due": "本轮办理时限",
}
HIDDEN_DATA = {
    "reply",
    "attachment",
    "request",
    "step",
    "commitment",
    "notice",
    "to_id",
}
# Words for a key that means something else in one action's data.
ACTION_LABELS: dict[str, dict[str, str]] = {
    "decide_request": {"kind": "申请类型"},
    "decide_notice": {"confirmed": "确认通报", "reason": "意见"},
    "follow_up": {"note": "备注"},
}
# Words for coded values, per key of an event's data.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "source": SOURCES,
    "method": actions.CONTACT_METHODS,
    "process": RATINGS,
    "result": RATINGS,
    "kind": {**REPLY_KIND_LABELS, **dict(RequestKind.choices)},
    "cause": {"unit": "单位原因", "objective": "客观原因"},
    "purpose": actions.ATTACHMENT_PURPOSES,
    "reason_code": dict(UnresolvableReason.choices),
    "state": dict(CommitmentState.choices),
}
# Requests whose approval completes the order (R4.3, R4.4, R5.3).
COMPLETING_KINDS = ("plan", "unresolvable", "statement")
CLOSURE_LABELS = {
    "plan": "方案解决",
    "unresolvable": "无法解决",
    "statement": "情况说明",
    "duplicate": "重复来电",
}


def show_value(key: str, value: object, units: dict[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if key == "delay_seconds":
        return f"{int(float(str(value)) // 60)} 分钟"
    if key == "sha256":
        return str(value)[:12]
    if key == "size":
        return human_size(int(str(value)))
    if key in ("to", "from", "unit") and units:
        return units.get(str(value), str(value))
    if key.endswith("_at") or key == "round_due":
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return VALUE_LABELS.get(key, {}).get(str(value), str(value))


def summarize(event: Event, units: dict[str, str]) -> str:
    """The event's data in words: "转至: 东城供水分公司；受理至转办: 3 分钟".

    Empty values are left out; a decision names the kind of request.
    """
    labels = {**DATA_LABELS, **ACTION_LABELS.get(event.action, {})}
    return "；".join(
        f"{labels.get(key, key)}：{show_value(key, value, units)}"
        for key, value in event.data.items()
        if key not in HIDDEN_DATA and value not in (None, "")
    )


def reply_rows(reply: Reply) -> list[tuple[str, str]]:
    return [
        (ELEMENT_LABELS.get(key, key), show_value(key, value))
        for key, value in reply.elements.items()
    ]


def completion_of(order: Order) -> tuple[str, list[tuple[str, str]]]:
    """How the order's current round was completed, in words: the valid
    reply's elements, or the approved plan, ruling or statement (R6.1).

    The completion is the one whose time is the order's valid-reply time.
    """
    at = order.valid_reply_at
    reply = order.replies.filter(verdict="valid", submitted_at=at).first()
    if reply is not None:
        return f"单位回复：{reply.get_kind_display()}", reply_rows(reply)
    request = (
        order.requests.filter(kind__in=COMPLETING_KINDS, state="approved")
        .filter(requested_at=at)
        .first()
    )
    if request is not None:
        label = RequestKind(request.kind).label
        return f"{label}（已获批准）", request_rows(request)
    return CLOSURE_LABELS.get(order.closure, "办结"), []


def return_window(order: Order) -> dict[str, str] | None:
    """R5.4: the end of the 12-hour return window, while the unit holds it."""
    due = procedures.return_due(order)
    if due is None or order.state not in (workflow.DISPATCHED, workflow.HANDLING):
        return None
    now = timezone.now()
    return {
        "at": when(due),
        "left": time_left_label(due, now),
        "passed": "yes" if now > due else "",
    }


def continue_note(order: Order) -> str:
    """R3.4: after a "reasonable" ruling the unit asks for an extension first."""
    if order.continue_ruled_at is None or order.state != workflow.HANDLING:
        return ""
    asked = order.requests.filter(
        kind="extension", requested_at__gte=order.continue_ruled_at
    ).exists()
    if asked:
        return ""
    return (
        "服务质量提升小组评议诉求合理、须继续办理："
        "请先申请延期，再按评议结果办理（R3.4）。"
    )


def request_rows(req: Request) -> list[tuple[str, str]]:
    """A request's content in words, by kind."""
    data = req.data
    if req.kind == "extension":
        return [("延期工作日", f"{req.days} 个工作日"), ("延期理由", req.reason)]
    if req.kind == "return":
        return [
            ("现场核实情况", data.get("site_check", "")),
            ("回退原因", data.get("reason", req.reason)),
            ("回退依据", data.get("legal_basis", "")),
        ]
    if req.kind == "plan":
        steps = "\n".join(
            f"{n}. {s['title']}（{s['date']}）"
            for n, s in enumerate(data.get("steps", []), start=1)
        )
        return [
            ("解决措施", data.get("measures", req.reason)),
            ("步骤和时间节点", steps),
            ("诉求人认可情况", data.get("acceptance", "")),
            ("超过3个月", "是，须审查小组审核" if data.get("long") else "否"),
        ]
    if req.kind == "unresolvable":
        code = data.get("reason_code", "")
        return [
            ("无法解决原因", dict(UnresolvableReason.choices).get(code, code)),
            ("具体情况", data.get("explanation", req.reason)),
        ]
    if req.kind == "statement":
        return [("情况说明", data.get("text", req.reason))]
    return [("理由", req.reason)]


def step_rows(order: Order) -> list[tuple[PlanStep, str, str]]:
    """Each plan step and 3-month point with its state in words (R4.3)."""
    now = timezone.now()
    rows = []
    for step in order.plan_steps.all():
        if step.replied_at is not None:
            late = step.replied_at > step.due_at
            label, css = ("逾期回复", "bad") if late else ("已回复", "ok")
        elif now > step.due_at:
            label, css = "已逾期未回复", "bad"
        else:
            label, css = "待回复", ""
        step.due_display = format_due(step.due_at) + (
            "（暂定）" if step.provisional else ""
        )
        rows.append((step, label, css))
    return rows


def commitment_rows(order: Order) -> list[tuple[Commitment, str, str]]:
    """Each commitment with its state; an open or claimed one past its date
    is broken until kept (R3.7)."""
    now = timezone.now()
    rows = []
    for commitment in order.commitments.select_related("confirmed_by"):
        broken = commitment.state in ("open", "claimed") and now > commitment.due_at
        if broken:
            label, css = "已逾期未兑现", "bad"
            if commitment.state == "claimed":
                label += "（已报兑现，待确认）"
        elif commitment.state == "kept":
            label, css = commitment.get_state_display(), "ok"
        else:
            label, css = commitment.get_state_display(), ""
        commitment.due_display = format_due(commitment.due_at)
        rows.append((commitment, label, css))
    return rows


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"
