"""Special procedures: requests the operations dept decides, plans,
unresolvable rulings, statements, cannot-satisfy rulings and commitments.

Like ``actions``, each ``do_*`` function is one action: one transaction,
the order row locked, role, state and rules checked, one event appended.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from gongdan.rules import workflow
from gongdan.rules.errors import Conflict, NotAllowed, RuleViolation, RuleViolations
from gongdan.rules.extensions import check_extension
from gongdan.rules.intake import clean_text
from gongdan.rules.replies import is_filler
from gongdan.rules.workdays import TZ, format_due

from .actions import (
    EVIDENCE_KINDS,
    append_event,
    apply_due,
    changes_orders,
    check_completion,
    check_owner,
    lapse_extensions,
    lock_order,
    moment_of,
    require_text,
    role_of,
    unit_of,
    waiting_requests,
)
from .models import Commitment, Event, Order, PlanStep, Request, UnresolvableReason

logger = logging.getLogger(__name__)

# Committees are units of kind "committee", known by their codes.
QUALITY, REVIEW, APPEAL = "QUALITY", "REVIEW", "APPEAL"
PLAN_REVIEW_MONTHS = 3


def check_committee(actor: AbstractBaseUser, code: str, rule: str) -> None:
    """Only a member of the named group takes this decision (D6)."""
    unit = unit_of(actor)
    if unit is None or unit.code != code:
        names = {
            QUALITY: "服务质量提升小组",
            REVIEW: "审查小组",
            APPEAL: "申诉审查小组",
        }
        raise NotAllowed(rule, "committee_only", f"该决定只能由{names[code]}作出。")


def end_of(day: date) -> datetime:
    """24:00 of ``day`` in Beijing time, stored as 00:00 of the next (D2)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), TZ)


def parse_day(value: object, field: str, rule: str) -> date:
    """Read a date, refusing one outside 2000–2099 (D1)."""
    if isinstance(value, datetime):
        day = value.astimezone(TZ).date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError as error:
            raise RuleViolation(
                rule, f"{field}_invalid", "日期格式应为 2026-12-31。", field
            ) from error
    if not date(2000, 1, 1) <= day < date(2100, 1, 1):
        raise RuleViolation(
            rule, f"{field}_out_of_range", "日期应在2000年至2099年之间。", field
        )
    return day


def check_one_pending(order: Order, kind: str, rule: str) -> None:
    workflow.check_pending(kind, waiting_requests(order), rule)


def has_attachment(
    order: Order, purpose: str, kinds: Sequence[str] | None = None
) -> bool:
    found = order.attachments.filter(purpose=purpose)
    if kinds is not None:
        found = found.filter(media_kind__in=kinds)
    return found.exists()


# --- extensions and returns (R2.2, R4.2, R5.4) -------------------------------


@changes_orders
def do_request_extension(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    days: int,
    reason: str,
    at: datetime | None = None,
) -> Event:
    """Ask for more time, before the due time (R2.2, R4.2).

    At most two extensions per order, each of at most 5 working days; a
    request still waiting counts against the two.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("request_extension", order.state, role_of(actor))
        check_owner(order, actor, "R4.2")
        reason = require_text(reason, "reason", "延期理由", "R2.2")
        extensions = order.requests.filter(kind="extension")
        days = check_extension(
            days,
            now=at,
            due=order.due_at,
            granted=extensions.filter(state="approved").count(),
            pending=extensions.filter(state="pending").count(),
        )
        request = Request.objects.create(
            order=order,
            unit=order.unit,
            kind="extension",
            days=days,
            reason=reason,
            requested_by=actor,
            requested_at=at,
        )
        return append_event(
            order,
            "request_extension",
            actor,
            at,
            {"request": request.pk, "days": days, "reason": reason},
        )


RETURN_FIELDS = (
    ("site_check", "现场核实情况"),
    ("reason", "回退原因"),
    ("legal_basis", "回退依据（法律法规）"),
)
RETURN_WINDOW_HOURS = 12


def return_due(order: Order) -> datetime | None:
    """R5.4: 12 clock hours after the current unit received the order.

    The window is a rule of the citizen hotline (standard, section 5);
    orders of other sources have none.
    """
    if order.unit_received_at is None or order.source != "citizen_hotline":
        return None
    return order.unit_received_at + timedelta(hours=RETURN_WINDOW_HOURS)


@changes_orders
def do_request_return(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    site_check: str,
    reason: str,
    legal_basis: str,
    at: datetime | None = None,
) -> Event:
    """Ask to return an order outside the group's jurisdiction (R5.4).

    The site check, the reason, the legal basis and a picture, video or
    recording are all required. A request made more than 12 clock hours
    after the unit received the order is still taken, and marked late.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("request_return", order.state, role_of(actor))
        check_one_pending(order, "return", "R5.4")
        check_owner(order, actor, "R5.4")
        given = {"site_check": site_check, "reason": reason, "legal_basis": legal_basis}
        problems = []
        for field, label in RETURN_FIELDS:
            text = clean_text(given[field] if isinstance(given[field], str) else None)
            if not text or is_filler(text):
                problems.append(
                    RuleViolation(
                        "R5.4", f"{field}_missing", f"回退须写明“{label}”。", field
                    )
                )
            given[field] = text
        if not order.attachments.filter(media_kind__in=EVIDENCE_KINDS).exists():
            problems.append(
                RuleViolation(
                    "R5.4",
                    "evidence_missing",
                    "回退须附相关图片、视频或录音。",
                    "evidence",
                )
            )
        if problems:
            raise RuleViolations(problems)

        window = return_due(order)
        late = window is not None and at > window
        request = Request.objects.create(
            order=order,
            unit=order.unit,
            kind="return",
            reason=given["reason"],
            data=given,
            late=late,
            requested_by=actor,
            requested_at=at,
        )
        event = append_event(
            order,
            "request_return",
            actor,
            at,
            {"request": request.pk, "late": late, **given},
        )
    if late:
        logger.warning(
            "order %s return requested after the 12-hour window by %s",
            order.number,
            order.unit.code,  # type: ignore[union-attr]
        )
    return event


# --- plan resolution (R4.3) -------------------------------------------------


@changes_orders
def do_request_plan(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    measures: str,
    steps: Sequence[dict[str, Any]],
    acceptance: str,
    at: datetime | None = None,
) -> Event:
    """Propose a plan: measures, dated steps, the caller's acceptance (R4.3).

    A plan whose last step ends more than 3 months after the request needs
    the review group's approval after the operations dept's.
    """
    from gongdan.workdays.queries import get_calendar

    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("request_plan", order.state, role_of(actor))
        check_owner(order, actor, "R4.3")
        check_one_pending(order, "plan", "R4.3")
        problems: list[RuleViolation] = check_completion(order)
        texts = {}
        for field, value, label in (
            ("measures", measures, "解决措施"),
            ("acceptance", acceptance, "诉求人认可情况"),
        ):
            text = clean_text(value if isinstance(value, str) else None)
            if not text or is_filler(text):
                problems.append(
                    RuleViolation(
                        "R4.3", f"{field}_missing", f"请填写“{label}”。", field
                    )
                )
            texts[field] = text
        clean_steps = []
        today = at.astimezone(TZ).date()
        for number, step in enumerate(steps or [], start=1):
            title = clean_text(str(step.get("title") or ""))
            try:
                day = parse_day(step.get("date"), "steps", "R4.3")
            except RuleViolation as error:
                problems.append(error)
                continue
            if not title or is_filler(title):
                problems.append(
                    RuleViolation(
                        "R4.3",
                        "step_title_missing",
                        f"第 {number} 步缺少内容。",
                        "steps",
                    )
                )
            if day < today:
                problems.append(
                    RuleViolation(
                        "R4.3", "step_date_past", f"第 {number} 步的日期已过。", "steps"
                    )
                )
            clean_steps.append({"title": title, "date": day.isoformat()})
        if not clean_steps and not any(p.field == "steps" for p in problems):
            problems.append(
                RuleViolation(
                    "R4.3", "steps_missing", "方案须列明解决步骤和时间节点。", "steps"
                )
            )
        if problems:
            raise RuleViolations(problems)

        last = max(date.fromisoformat(s["date"]) for s in clean_steps)
        review_point = get_calendar().add_months(at, PLAN_REVIEW_MONTHS).at
        long = end_of(last) > review_point
        request = Request.objects.create(
            order=order,
            unit=order.unit,
            kind="plan",
            reason=texts["measures"],
            data={**texts, "steps": clean_steps, "long": long},
            requested_by=actor,
            requested_at=at,
        )
        return append_event(
            order,
            "request_plan",
            actor,
            at,
            {"request": request.pk, "steps": len(clean_steps), "long": long},
        )


def finish_plan(order: Order, request: Request, at: datetime) -> None:
    """Close the order as plan-resolved and open its steps (R4.3).

    A plan over 3 months also gets a progress point before each 3-month
    period ends, counted from the approval (D2).
    """
    from gongdan.workdays.queries import get_calendar

    steps = sorted(request.data["steps"], key=lambda s: s["date"])
    # A redone order may already hold an earlier plan's steps.
    before = order.plan_steps.aggregate(m=Max("seq"))["m"] or 0
    rows = [
        PlanStep(
            order=order,
            request=request,
            seq=before + n,
            kind="step",
            title=s["title"],
            due_at=end_of(date.fromisoformat(s["date"])),
        )
        for n, s in enumerate(steps, start=1)
    ]
    if request.data.get("long"):
        last = rows[-1].due_at
        calendar = get_calendar()
        period = 1
        while True:
            # A point in a year the calendar does not know is 暂定 until
            # the year is added (actions.recompute_plan_points).
            point = calendar.add_months(at, PLAN_REVIEW_MONTHS * period)
            if point.at >= last:
                break
            rows.append(
                PlanStep(
                    order=order,
                    request=request,
                    seq=before + len(rows) + 1,
                    kind="checkpoint",
                    title=f"第 {period} 个 3 个月进展回复",
                    due_at=point.at,
                    provisional=point.provisional,
                )
            )
            period += 1
    PlanStep.objects.bulk_create(rows)
    complete(order, "plan", request.requested_at, request.decided_by, at)


def complete(
    order: Order,
    closure: str,
    replied_at: datetime,
    actor: AbstractBaseUser | None = None,
    at: datetime | None = None,
) -> None:
    """An approved plan, ruling or statement completes the order; the
    hotline then follows it up (docs/workflow.md)."""
    if actor is not None and at is not None:
        lapse_extensions(order, actor, at)
    order.closure = closure
    order.valid_reply_at = replied_at
    order.pending_reply_at = None
    order.state = workflow.FOLLOW_UP


@changes_orders
def do_review_plan(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    request: int,
    approve: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Event:
    """The review group's approval of a plan over 3 months (R4.3, D6)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("review_plan", order.state, role_of(actor))
        check_committee(actor, REVIEW, "R4.3")
        pending = order.requests.select_for_update().filter(pk=request).first()
        if (
            pending is None
            or pending.kind != "plan"
            or pending.state != "pending"
            or pending.ops_approved_at is None
        ):
            raise Conflict(
                "R4.3",
                "plan_not_awaiting_review",
                "该方案不在待审查小组审核状态（须先经运营管理部批准）。",
                "request",
            )
        reason = decision_reason(approve, reason)
        settle(pending, actor, at, approve, reason)
        event = append_event(
            order,
            "review_plan",
            actor,
            at,
            {"request": pending.pk, "approved": bool(approve), "reason": reason},
        )
        if approve:
            finish_plan(order, pending, at)
        order.save()
    return event


def open_step(order: Order, step: int) -> PlanStep:
    """Lock the plan step still waiting for its progress reply (R4.3)."""
    row = order.plan_steps.select_for_update().filter(pk=step).first()
    if row is None or row.replied_at is not None:
        raise Conflict("R4.3", "step_not_open", "该步骤不存在或已回复进展。", "step")
    return row


@changes_orders
def do_progress_reply(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    step: int,
    progress: str,
    at: datetime | None = None,
) -> Event:
    """Reply the plan's progress at a step or 3-month point (R4.3)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("progress_reply", order.state, role_of(actor))
        check_owner(order, actor, "R4.3")
        row = open_step(order, step)
        progress = require_text(progress, "progress", "进展情况", "R4.3")
        row.replied_at = at
        row.progress = progress
        row.save()
        return append_event(
            order,
            "progress_reply",
            actor,
            at,
            {"step": row.pk, "title": row.title, "late": at > row.due_at},
        )


@changes_orders
def do_extend_plan_step(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    step: int,
    new_date: object,
    reason: str,
    at: datetime | None = None,
) -> Event:
    """The appeal group extends a step stopped by force majeure (R4.3)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("extend_plan_step", order.state, role_of(actor))
        check_committee(actor, APPEAL, "R4.3")
        row = open_step(order, step)
        reason = require_text(reason, "reason", "不可抗力原因", "R4.3")
        new_due = end_of(parse_day(new_date, "new_date", "R4.3"))
        if new_due <= row.due_at:
            raise RuleViolation(
                "R4.3",
                "new_date_not_later",
                "延长后的日期须晚于原时间节点。",
                "new_date",
            )
        old = row.due_at
        row.due_at = new_due
        row.extended_by_appeal = True
        row.save()
        return append_event(
            order,
            "extend_plan_step",
            actor,
            at,
            {
                "step": row.pk,
                "old": format_due(old),
                "new": format_due(new_due),
                "reason": reason,
            },
        )


# --- unresolvable and statements (R4.4, R5.3) --------------------------------


@changes_orders
def do_request_unresolvable(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    reason_code: str,
    explanation: str,
    at: datetime | None = None,
) -> Event:
    """Ask for an unresolvable ruling (R4.4).

    The reason is one of the standard's five; proof of the site check,
    mediation or explanation and the scan of the statement signed by the
    unit's head must be attached first.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("request_unresolvable", order.state, role_of(actor))
        check_owner(order, actor, "R4.4")
        check_one_pending(order, "unresolvable", "R4.4")
        problems = check_completion(order)
        if reason_code not in UnresolvableReason.values:
            problems.append(
                RuleViolation(
                    "R4.4",
                    "reason_code_invalid",
                    "请选择无法解决的原因：暂无政策依据、不具备解决条件、市里相关要求、"
                    "重大活动或重点项目。",
                    "reason_code",
                )
            )
        text = clean_text(explanation if isinstance(explanation, str) else None)
        if not text or is_filler(text):
            problems.append(
                RuleViolation(
                    "R4.4",
                    "explanation_missing",
                    "请写明无法解决的具体情况。",
                    "explanation",
                )
            )
        if not has_attachment(order, "proof"):
            problems.append(
                RuleViolation(
                    "R4.4",
                    "proof_missing",
                    "须上传现场核查、调解、解释的证明材料或相关文件。",
                    "proof",
                )
            )
        if not has_attachment(order, "statement", ("image", "document")):
            problems.append(
                RuleViolation(
                    "R4.4",
                    "statement_missing",
                    "须上传单位负责人签字的工单情况说明（扫描件）。",
                    "statement",
                )
            )
        if problems:
            raise RuleViolations(problems)
        request = Request.objects.create(
            order=order,
            unit=order.unit,
            kind="unresolvable",
            reason=text,
            data={"reason_code": reason_code, "explanation": text},
            requested_by=actor,
            requested_at=at,
        )
        return append_event(
            order,
            "request_unresolvable",
            actor,
            at,
            {"request": request.pk, "reason_code": reason_code},
        )


@changes_orders
def do_request_statement(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    text: str,
    at: datetime | None = None,
) -> Event:
    """Cannot be solved and cannot be returned: the statement (R5.3).

    The electronic text says in detail why it cannot be solved now; the
    scan of the paper signed by the responsible person is attached.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("request_statement", order.state, role_of(actor))
        check_owner(order, actor, "R5.3")
        check_one_pending(order, "statement", "R5.3")
        problems = check_completion(order)
        clean = clean_text(text if isinstance(text, str) else None)
        if not clean or is_filler(clean):
            problems.append(
                RuleViolation(
                    "R5.3",
                    "text_missing",
                    "情况说明须详细描述目前无法解决的原因。",
                    "text",
                )
            )
        if not has_attachment(order, "statement", ("image", "document")):
            problems.append(
                RuleViolation(
                    "R5.3",
                    "statement_missing",
                    "须上传责任人签字的纸质情况说明扫描件。",
                    "statement",
                )
            )
        if problems:
            raise RuleViolations(problems)
        request = Request.objects.create(
            order=order,
            unit=order.unit,
            kind="statement",
            reason=clean,
            data={"text": clean},
            requested_by=actor,
            requested_at=at,
        )
        return append_event(
            order, "request_statement", actor, at, {"request": request.pk}
        )


# --- decisions (D6) ----------------------------------------------------------


def decision_reason(approve: bool, reason: str) -> str:
    reason = clean_text(reason)
    if not approve and (not reason or is_filler(reason)):
        raise RuleViolation("D6", "reason_missing", "驳回时须写明理由。", "reason")
    return reason


def settle(
    request: Request, actor: AbstractBaseUser, at: datetime, approve: bool, reason: str
) -> None:
    request.state = "approved" if approve else "refused"
    request.decided_by = actor
    request.decided_at = at
    request.decision_reason = reason
    request.save()


@changes_orders
def do_decide_request(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    request: int,
    approve: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Event:
    """The operations dept approves or refuses a waiting request (D6).

    An approved extension moves the due time by its working days from the
    current due time (D3); an approved return sends the order back to the
    platform it came from (R5.4); an approved plan, unresolvable ruling or
    statement completes the order, which the hotline then follows up. A
    plan over 3 months waits, after this approval, for the review group.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("decide_request", order.state, role_of(actor))
        pending = order.requests.select_for_update().filter(pk=request).first()
        if pending is None or pending.state != "pending" or pending.ops_approved_at:
            raise Conflict(
                "D6", "request_not_pending", "该申请不存在或已审批。", "request"
            )
        reason = decision_reason(approve, reason)
        needs_review = approve and pending.kind == "plan" and pending.data.get("long")
        if needs_review:
            pending.ops_approved_by = actor
            pending.ops_approved_at = at
            pending.save()
        else:
            settle(pending, actor, at, approve, reason)
        old_due = order.due_at
        event = append_event(
            order,
            "decide_request",
            actor,
            at,
            {
                "request": pending.pk,
                "kind": pending.kind,
                "approved": bool(approve),
                "days": pending.days,
                "reason": reason,
                "awaiting_review": bool(needs_review),
            },
        )
        if approve and pending.kind == "extension":
            apply_due(order)
            logger.info(
                "order %s extended by %s working days: %s -> %s",
                order.number,
                pending.days,
                old_due,
                order.due_at,
            )
        elif approve and pending.kind == "return":
            order.state = workflow.RETURNED
            order.returned_at = pending.requested_at
            order.return_late = pending.late
            order.closed_at = at
        elif approve and pending.kind == "plan" and not needs_review:
            finish_plan(order, pending, at)
        elif approve and pending.kind in ("unresolvable", "statement"):
            complete(order, pending.kind, pending.requested_at, actor, at)
        order.save()
    return event


# --- cannot satisfy (R3.4) ----------------------------------------------------


@changes_orders
def do_rule_cannot_satisfy(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    reasonable: bool,
    oa_ref: str,
    reason: str,
    at: datetime | None = None,
) -> Event:
    """The quality group rules on a cannot-satisfy reply (R3.4).

    Not reasonable: the reply stands as the valid reply. Reasonable and to
    be continued: the order goes back to the unit, which must ask for an
    extension before it replies again.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("rule_cannot_satisfy", order.state, role_of(actor))
        check_committee(actor, QUALITY, "R3.4")
        reply = order.replies.filter(verdict="").order_by("-submitted_at").first()
        if reply is None or reply.kind != "cannot_satisfy":
            raise Conflict(
                "R3.4", "no_cannot_satisfy_reply", "没有待评议的“诉求无法满足”回复。"
            )
        oa_ref = require_text(oa_ref, "oa_ref", "OA 审议编号", "R3.4")
        reason = require_text(reason, "reason", "评议意见", "R3.4")
        reply.verdict = "continue" if reasonable else "valid"
        reply.judged_by = actor
        reply.judged_at = at
        reply.judge_reason = f"[{oa_ref}] {reason}"
        reply.save()
        order.pending_reply_at = None
        if reasonable:
            order.state = workflow.HANDLING
            order.continue_ruled_at = at
        else:
            order.state = workflow.FOLLOW_UP
            order.valid_reply_at = reply.submitted_at
            lapse_extensions(order, actor, at)
        order.save()
        return append_event(
            order,
            "rule_cannot_satisfy",
            actor,
            at,
            {
                "reply": reply.pk,
                "reasonable": bool(reasonable),
                "oa_ref": oa_ref,
                "reason": reason,
            },
        )


# --- commitments (R3.7) -------------------------------------------------------


def open_commitment(order: Order, promise: str, day: date, made_at: datetime) -> None:
    """Open the commitment a short-term reply made (R3.3, R3.7)."""
    Commitment.objects.create(
        order=order,
        unit=order.unit,
        promise=promise,
        due_at=end_of(day),
        made_at=made_at,
    )


@changes_orders
def do_keep_commitment(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    commitment: int,
    note: str,
    at: datetime | None = None,
) -> Event:
    """The unit reports a promise kept, with proof attached (R3.7)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("keep_commitment", order.state, role_of(actor))
        row = order.commitments.select_for_update().filter(pk=commitment).first()
        if row is None or row.state != "open":
            raise Conflict(
                "R3.7",
                "commitment_not_open",
                "该承诺事项不存在或已报兑现。",
                "commitment",
            )
        # The unit that promised keeps the promise, wherever the order is now.
        unit = unit_of(actor)
        if unit is None or unit.pk != row.unit_id:
            raise NotAllowed(
                "R3.7", "not_your_commitment", "只有作出承诺的单位才能报兑现。"
            )
        note = require_text(note, "note", "兑现情况", "R3.7")
        if not order.attachments.filter(
            uploaded_at__gte=row.made_at, purpose="proof"
        ).exists():
            raise RuleViolation(
                "R3.7", "proof_missing", "请先上传兑现承诺的证明材料。", "proof"
            )
        row.state = "claimed"
        row.claimed_at = at
        row.claim_note = note
        row.save()
        return append_event(
            order, "keep_commitment", actor, at, {"commitment": row.pk, "note": note}
        )


@changes_orders
def do_confirm_commitment(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    commitment: int,
    confirm: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Event:
    """The operations dept confirms a kept promise, or sends it back (R3.7)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("confirm_commitment", order.state, role_of(actor))
        row = order.commitments.select_for_update().filter(pk=commitment).first()
        if row is None or row.state != "claimed":
            raise Conflict(
                "R3.7", "commitment_not_claimed", "该承诺事项未报兑现。", "commitment"
            )
        reason = decision_reason(confirm, reason)
        if confirm:
            row.state = "kept" if row.claimed_at <= row.due_at else "kept_late"
            row.confirmed_by = actor
            row.confirmed_at = at
        else:
            row.state = "open"
            row.claimed_at = None
        row.save()
        return append_event(
            order,
            "confirm_commitment",
            actor,
            at,
            {
                "commitment": row.pk,
                "confirmed": bool(confirm),
                "state": row.state,
                "reason": reason,
            },
        )


# --- notices (R5.6) -----------------------------------------------------------


@changes_orders
def do_decide_notice(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    notice: int,
    confirm: bool,
    reason: str = "",
    at: datetime | None = None,
) -> Event:
    """The operations dept confirms a notice a follow-up raised, or
    dismisses it with its reason (R5.6, D6)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("decide_notice", order.state, role_of(actor))
        row = order.notices.select_for_update().filter(pk=notice).first()
        if row is None or row.state != "pending":
            raise Conflict(
                "R5.6", "notice_not_pending", "该通报不存在或已处理。", "notice"
            )
        reason = decision_reason(confirm, reason)
        row.state = "confirmed" if confirm else "dismissed"
        row.decided_by = actor
        row.decided_at = at
        row.reason = reason
        row.save()
        event = append_event(
            order,
            "decide_notice",
            actor,
            at,
            {"notice": row.pk, "confirmed": bool(confirm), "reason": reason},
        )
    if confirm:
        logger.warning(
            "order %s: notice against %s confirmed", order.number, row.unit.code
        )
    return event
