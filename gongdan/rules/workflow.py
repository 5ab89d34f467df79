"""Which action may happen in which state, taken by which role.

The order's states and actions of docs/workflow.md. ``check_action`` is
asked before every state change; it raises ``Conflict`` for a wrong state
(a lost race looks the same) and ``NotAllowed`` for a wrong role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import Conflict, NotAllowed

REGISTERED = "registered"
DISPATCHED = "dispatched"
HANDLING = "handling"
SUBMITTED = "submitted"
FOLLOW_UP = "follow_up"
CLOSED = "closed"
RETURNED = "returned"

STATE_LABELS = {
    REGISTERED: "已登记",
    DISPATCHED: "待签收",
    HANDLING: "办理中",
    SUBMITTED: "待审核",
    FOLLOW_UP: "待回访",
    CLOSED: "已办结",
    RETURNED: "已回退",
}
OPEN_STATES = (DISPATCHED, HANDLING, SUBMITTED)
# Plan steps and commitments live on after the round that made them: a
# redo sends the order back to the unit, and they are still kept (R3.7,
# R4.3).
AFTER_COMPLETION = (DISPATCHED, HANDLING, SUBMITTED, FOLLOW_UP, CLOSED)


@dataclass(frozen=True)
class ActionRule:
    label: str
    states: tuple[str, ...]
    roles: tuple[str, ...]
    rule: str


ACTIONS: dict[str, ActionRule] = {
    "register": ActionRule("登记", (), ("agent",), "R1.1"),
    "confirm_category": ActionRule("确认分类", (REGISTERED,), ("head",), "R1.2"),
    "dispatch": ActionRule("转办", (REGISTERED,), ("agent",), "R1.3"),
    "mark_duplicate": ActionRule("合并重复来电", (REGISTERED,), ("agent",), "R1.1"),
    "accept": ActionRule("签收", (DISPATCHED,), ("designee",), "R5.1"),
    "transfer": ActionRule(
        "内部转办", (DISPATCHED, HANDLING), ("designee", "head"), "R5.3"
    ),
    "record_contact": ActionRule(
        "联系来电人", (HANDLING,), ("designee", "staff", "head"), "R2.1"
    ),
    "record_site_visit": ActionRule(
        "现场核实", (HANDLING,), ("designee", "staff", "head"), "R2.1"
    ),
    "attach_evidence": ActionRule(
        "上传附件",
        (DISPATCHED, HANDLING, SUBMITTED, FOLLOW_UP, CLOSED),
        ("designee", "staff", "head"),
        "R4.1",
    ),
    "submit_reply": ActionRule("提交回复", (HANDLING,), ("designee", "head"), "R3.1"),
    "judge_reply": ActionRule("审核回复", (SUBMITTED,), ("ops",), "R3.6"),
    "follow_up": ActionRule("回访", (FOLLOW_UP,), ("agent", "followup"), "R6.1"),
    "request_extension": ActionRule(
        "申请延期", (HANDLING,), ("designee", "head"), "R4.2"
    ),
    "request_return": ActionRule("申请回退", (HANDLING,), ("designee", "head"), "R5.4"),
    "decide_request": ActionRule("审批申请", (HANDLING, SUBMITTED), ("ops",), "D6"),
    "request_plan": ActionRule(
        "申请方案解决", (HANDLING,), ("designee", "head"), "R4.3"
    ),
    "review_plan": ActionRule("审查小组审核方案", (HANDLING,), ("committee",), "R4.3"),
    "request_unresolvable": ActionRule(
        "申请无法解决", (HANDLING,), ("designee", "head"), "R4.4"
    ),
    "request_statement": ActionRule(
        "报送情况说明", (HANDLING,), ("designee", "head"), "R5.3"
    ),
    "rule_cannot_satisfy": ActionRule(
        "评议诉求无法满足", (SUBMITTED,), ("committee",), "R3.4"
    ),
    "progress_reply": ActionRule(
        "方案进展回复", AFTER_COMPLETION, ("designee", "head"), "R4.3"
    ),
    "extend_plan_step": ActionRule(
        "延长方案节点", AFTER_COMPLETION, ("committee",), "R4.3"
    ),
    "keep_commitment": ActionRule(
        "报承诺兑现", AFTER_COMPLETION, ("designee", "head"), "R3.7"
    ),
    "confirm_commitment": ActionRule(
        "确认承诺兑现", AFTER_COMPLETION, ("ops",), "R3.7"
    ),
    # A notice is decided on its own, whatever became of the order after the
    # follow-up that raised it (a redo, a transfer, a return).
    "decide_notice": ActionRule(
        "确认通报",
        (DISPATCHED, HANDLING, SUBMITTED, FOLLOW_UP, CLOSED, RETURNED),
        ("ops",),
        "R5.6",
    ),
}

# Events the system appends by itself, beside the actions people take.
EVENT_LABELS = {
    "repeat_call": "重复来电",
    "due_changed": "办理时限变更",
}


def event_label(action: str) -> str:
    spec = ACTIONS.get(action)
    return spec.label if spec else EVENT_LABELS.get(action, action)


def check_action(
    action: str, state: str | None, roles: str | Iterable[str] | None
) -> ActionRule:
    """Refuse ``action`` when none of the roles, or the state, allows it."""
    spec = ACTIONS[action]
    held = {roles} if isinstance(roles, str) else set(roles or ())
    if not held.intersection(spec.roles):
        raise NotAllowed(
            spec.rule,
            "role_not_allowed",
            f"当前角色不能执行“{spec.label}”。",
        )
    if spec.states and state not in spec.states:
        shown = STATE_LABELS.get(state or "", state)
        raise Conflict(
            spec.rule,
            "wrong_state",
            f"工单当前为“{shown}”，不能执行“{spec.label}”（可能已被他人处理，请刷新）。",
            "state",
        )
    return spec


# Requests whose approval ends the order's round (R4.3, R4.4, R5.3, R5.4).
ENDING_REQUESTS = ("plan", "unresolvable", "statement", "return")


def check_pending(wanted: str, pending: Mapping[str, str], rule: str) -> None:
    """Refuse ``wanted`` — a request kind, or ``"reply"`` — while a request
    it would clash with waits for its decision.

    ``pending`` maps each waiting request's kind to its label. A second
    request of one kind is refused; a reply, or a request that ends the
    round, is refused while another request that ends it waits: one way to
    end a round at a time (R2.2), and no reply beside a return (R5.4).
    """
    if wanted in pending:
        raise Conflict(rule, f"{wanted}_pending", "已有同类申请等待审批。", "state")
    if wanted != "reply" and wanted not in ENDING_REQUESTS:
        return
    waiting = [kind for kind in ENDING_REQUESTS if kind in pending]
    if not waiting:
        return
    if wanted == "reply" and "return" in pending:
        raise Conflict(
            "R5.4",
            "return_pending",
            "已申请回退，等待运营管理部审批，不能提交回复。",
            "state",
        )
    label = pending[waiting[0]]
    if wanted == "reply":
        raise Conflict(
            "R2.2",
            "request_pending",
            f"已申请“{label}”，等待审批，不能同时提交回复。",
            "state",
        )
    raise Conflict(
        rule,
        "request_pending",
        f"已申请“{label}”，等待审批，不能同时另行申请。",
        "state",
    )
