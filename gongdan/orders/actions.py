"""The only code that changes an order.

Each ``do_*`` function is one action of the workflow (docs/workflow.md).
It runs in one transaction, locks the order row, checks the role, the
state and the standard's rules, appends one event to the order's history,
updates the order's columns to what the events imply, and returns the
event. A broken rule raises ``RuleViolation`` (or one of its kinds) and
leaves the order and its history exactly as they were.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import wraps
from pathlib import PurePath
from typing import Any, ParamSpec, TypeVar

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongdan.followups.models import FollowUp, Notice
from gongdan.followups.queries import failed_calls
from gongdan.org.models import Person, Role, Unit, UnitKind
from gongdan.rules import submission, workflow
from gongdan.rules.errors import Conflict, NotAllowed, RuleViolation, RuleViolations
from gongdan.rules.extensions import Step, derive_due
from gongdan.rules.intake import (
    check_intake,
    check_moment,
    clean_text,
    mask_phone,
    normalize_phone,
)
from gongdan.rules.limits import DEFAULT_LIMITS, LimitRule, TimeLimit, pick_limit
from gongdan.rules.replies import REPLY_KINDS, check_reply, is_filler
from gongdan.rules.submission import CompletionFacts, ReplyFacts, check_reply_facts
from gongdan.rules.workdays import Deadline

from .models import Attachment, Category, Event, Order, Reply
from .models import TimeLimit as TimeLimitRow

logger = logging.getLogger(__name__)

CONTACT_METHODS = {"phone": "电话", "visit": "上门", "sms": "短信", "other": "其他"}
# Our own order numbers, which an external number may not imitate.
OWN_NUMBER = re.compile(r"GD\d{8}")
# The longest free text of one action (a reason, findings, an outcome).
MAX_TEXT = 5000
ATTACHMENT_PURPOSES = {
    "evidence": "现场证据",
    "proof": "证明材料",
    "statement": "签字情况说明",
}
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
# Media kinds accepted as evidence from the site (R4.1).
EVIDENCE_KINDS = ("image", "video", "audio")
DOCUMENT_MIME = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
}


# --- helpers shared by the actions ---------------------------------------


def person_of(actor: AbstractBaseUser) -> Person:
    """The unit the actor acts for and every role they hold there."""
    return Person.of(actor)


def role_of(actor: AbstractBaseUser) -> frozenset[str]:
    """The actor's roles; an action is allowed when any of them may take it."""
    return person_of(actor).roles


def unit_of(actor: AbstractBaseUser) -> Unit | None:
    return person_of(actor).unit


def moment_of(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("action times must be timezone-aware")
    return at


# The orders an action locked, whose assessment facts it refreshes.
_changed: ContextVar[set[int] | None] = ContextVar("changed_orders", default=None)
P = ParamSpec("P")
R = TypeVar("R")


def changes_orders(action: Callable[P, R]) -> Callable[P, R]:
    """Run an action in one transaction and, before it commits, derive
    the assessment facts of every order it locked again (reports.facts).

    An action called inside another leaves the refresh to the outer one.
    """

    @wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if _changed.get() is not None:
            return action(*args, **kwargs)
        token = _changed.set(set())
        try:
            with transaction.atomic():
                result = action(*args, **kwargs)
                from gongdan.reports.facts import refresh_facts

                for pk in sorted(_changed.get() or ()):
                    refresh_facts(pk)
            return result
        finally:
            _changed.reset(token)

    return run


def lock_order(order: Order | int) -> Order:
    """Fetch the order and hold its row until the transaction ends."""
    pk = order.pk if isinstance(order, Order) else order
    changed = _changed.get()
    if changed is not None:
        changed.add(pk)
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("category", "unit")
        .get(pk=pk)
    )


def append_event(
    order: Order,
    action: str,
    actor: AbstractBaseUser,
    at: datetime,
    data: Mapping[str, Any] | None = None,
) -> Event:
    last = order.events.aggregate(m=Max("seq"))["m"] or 0
    return Event.objects.create(
        order=order,
        seq=last + 1,
        action=action,
        actor=actor,
        unit=unit_of(actor),
        at=at,
        data=dict(data or {}),
    )


def check_owner(order: Order, actor: AbstractBaseUser, rule: str = "R3.1") -> None:
    """Only the unit that owns the order acts on it (R3.1)."""
    if order.unit_id is None or unit_of(actor) != order.unit:
        raise NotAllowed(
            rule,
            "not_owner",
            "本工单不属于您的单位，只有承办单位可以办理和提交。",
            "unit",
        )


def require_text(value: object, field: str, label: str, rule: str) -> str:
    """Return the cleaned text, refusing blank, filler or overlong text."""
    text = clean_text(value if isinstance(value, str) else None)
    if not text or is_filler(text):
        raise RuleViolation(
            rule, f"{field}_missing", f"请填写“{label}”，且须有实际内容。", field
        )
    if len(text) > MAX_TEXT:
        raise RuleViolation(
            rule, f"{field}_too_long", f"“{label}”超过{MAX_TEXT}字。", field
        )
    return text


def limit_rules() -> list[LimitRule]:
    """The time-limit table (D3), or the documented defaults when empty."""
    rows = list(TimeLimitRow.objects.all())
    if not rows:
        return list(DEFAULT_LIMITS)
    return [
        LimitRule(
            limit=TimeLimit(row.amount, row.unit),
            source=row.source or None,
            kind=row.kind or None,
            category=row.category or None,
            urgency=row.urgency or None,
            note=row.note,
        )
        for row in rows
    ]


def fix_limit(order: Order) -> None:
    """Fix the order's base limit from the table as it stands now (D3).

    A later change of the table applies to orders received after it; this
    order keeps the limit fixed here.
    """
    if order.category is None:
        order.limit_amount, order.limit_unit, order.limit_label = None, "", ""
        return
    rule = pick_limit(
        limit_rules(),
        source=order.source,
        kind=order.kind,
        category=order.category.name,
        urgency=order.urgency,
    )
    order.limit_amount = rule.limit.amount
    order.limit_unit = rule.limit.unit
    order.limit_label = rule.limit.label()


def due_steps(order: Order) -> list[Step]:
    """The events of the order's history that move its due time."""
    steps = []
    if order.pk is not None:
        for event in order.events.order_by("seq"):
            data = event.data
            if event.action == "decide_request" and data.get("kind") == "extension":
                if data.get("approved"):
                    steps.append(Step("extend", days=int(data["days"])))
            elif event.action == "follow_up" and data.get("redo"):
                steps.append(Step("restart", at=event.at))
    if order.platform_due_at is not None:
        steps.append(Step("platform", at=order.platform_due_at))
    return steps


def derive_order_due(order: Order) -> Deadline | None:
    """Replay the order's history on the current calendar (D2, D3)."""
    from gongdan.workdays.queries import get_calendar

    if order.limit_amount is None:
        return None
    limit = TimeLimit(order.limit_amount, order.limit_unit)
    return derive_due(order.received_at, limit, due_steps(order), get_calendar())


def apply_due(order: Order) -> None:
    deadline = derive_order_due(order)
    order.due_at = deadline.at if deadline else None
    order.due_provisional = deadline.provisional if deadline else False


# --- intake (R1.1–R1.3) ---------------------------------------------------


@changes_orders
def do_register(
    actor: AbstractBaseUser, data: Mapping[str, Any], *, at: datetime | None = None
) -> Order:
    """Record a caller's request (R1.1); return the new order."""
    at = moment_of(at)
    workflow.check_action("register", None, role_of(actor))
    undetermined = bool(data.get("category_undetermined"))
    # The receipt may not lie in the future of the real clock either, even
    # when the action is played at a time given by an import or the demo.
    problems = check_intake({**data, "now": min(at, timezone.now())})
    category = None
    if not undetermined and data.get("category"):
        category = Category.objects.filter(
            name=clean_text(str(data["category"]))
        ).first()
        if category is None:
            problems.append(
                RuleViolation(
                    "R1.1",
                    "category_invalid",
                    "诉求分类不存在，请从分类表中选择。",
                    "category",
                )
            )
    candidate = data.get("candidate_unit")
    if isinstance(candidate, str):
        candidate = Unit.objects.filter(code=candidate, kind=UnitKind.UNIT).first()
    if undetermined and not isinstance(candidate, Unit):
        problems.append(
            RuleViolation(
                "R1.2",
                "candidate_unit_missing",
                "分类无法确定时，须选择由哪个责任单位的负责人确认分类。",
                "candidate_unit",
            )
        )
    external_no = clean_text(data.get("external_no") or "") or None
    if external_no and OWN_NUMBER.fullmatch(external_no):
        problems.append(
            RuleViolation(
                "R1.1",
                "external_no_reserved",
                "GD 加8位数字是本系统自己的工单编号，不能作为外部工单号。",
                "external_no",
            )
        )
    elif external_no and Order.objects.filter(external_no=external_no).exists():
        problems.append(
            RuleViolation(
                "R1.1",
                "external_no_duplicate",
                f"外部工单号 {external_no} 已登记过。",
                "external_no",
            )
        )
    if problems:
        raise RuleViolations(problems)

    with transaction.atomic():
        urgency = data.get("urgency") or (
            category.default_urgency if category else "normal"
        )
        order = Order(
            external_no=external_no,
            source=data["source"],
            kind=data["kind"],
            category=category,
            category_undetermined=undetermined,
            candidate_unit=candidate if undetermined else None,
            urgency=urgency,
            content=clean_text(data["content"]),
            address=clean_text(data["address"]),
            district=clean_text(data.get("district") or ""),
            caller_name=clean_text(data["caller_name"]),
            caller_phone=normalize_phone(data["caller_phone"]),
            received_at=data["received_at"],
            registered_at=at,
            state=workflow.REGISTERED,
        )
        fix_limit(order)
        apply_due(order)
        order.save()
        append_event(
            order,
            "register",
            actor,
            at,
            {"source": order.source, "category": category.name if category else None},
        )
    logger.debug(
        "order %s registered (source %s, caller %s)",
        order.number,
        order.source,
        mask_phone(order.caller_phone),
    )
    return order


@changes_orders
def do_confirm_category(
    order: Order | int,
    actor: AbstractBaseUser,
    category: str,
    *,
    at: datetime | None = None,
) -> Event:
    """The unit head confirms an undetermined category (R1.2)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("confirm_category", order.state, role_of(actor))
        if order.candidate_unit_id is None or unit_of(actor) != order.candidate_unit:
            raise NotAllowed(
                "R1.2",
                "not_candidate_unit",
                "只有待确认单位的负责人可以确认该工单的分类。",
                "category",
            )
        if not order.category_undetermined or order.category_id is not None:
            raise RuleViolation(
                "R1.2",
                "category_already_set",
                "该工单分类已确定，无需确认。",
                "category",
            )
        found = Category.objects.filter(name=category).first()
        if found is None:
            raise RuleViolation(
                "R1.2",
                "category_invalid",
                "诉求分类不存在，请从分类表中选择。",
                "category",
            )
        order.category = found
        order.urgency = found.default_urgency
        fix_limit(order)
        apply_due(order)
        order.save()
        return append_event(
            order,
            "confirm_category",
            actor,
            at,
            {"category": found.name, "unit": unit_of(actor).code},  # type: ignore[union-attr]
        )


@changes_orders
def do_dispatch(
    order: Order | int,
    actor: AbstractBaseUser,
    unit: Unit,
    *,
    at: datetime | None = None,
) -> Event:
    """Send the order to a unit (R1.1, R1.2, R1.3)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("dispatch", order.state, role_of(actor))
        problems = []
        for field, label in (("content", "诉求内容"), ("address", "地址")):
            if not getattr(order, field):
                problems.append(
                    RuleViolation(
                        "R1.1", f"{field}_missing", f"缺少“{label}”，不能转办。", field
                    )
                )
        if order.category is None:
            if order.category_undetermined:
                problems.append(
                    RuleViolation(
                        "R1.2",
                        "category_unconfirmed",
                        "分类未确定，须经责任单位负责人确认后才能转办。",
                        "category",
                    )
                )
            else:
                problems.append(
                    RuleViolation(
                        "R1.1",
                        "category_missing",
                        "缺少“诉求分类”，不能转办。",
                        "category",
                    )
                )
        if problems:
            raise RuleViolations(problems)
        _check_receiving_unit(unit, "R1.3")
        order.state = workflow.DISPATCHED
        order.unit = unit
        order.dispatched_at = at
        order.unit_received_at = at
        order.save()
        delay = (at - order.received_at).total_seconds()
        event = append_event(
            order,
            "dispatch",
            actor,
            at,
            {"to": unit.code, "to_id": unit.pk, "delay_seconds": delay},
        )
    logger.info("order %s dispatched to %s", order.number, unit.code)
    return event


def _check_receiving_unit(unit: Unit, rule: str) -> None:
    if unit.kind != UnitKind.UNIT:
        raise RuleViolation(rule, "unit_invalid", "只能转办给责任单位。", "unit")
    if not unit.members.filter(role=Role.DESIGNEE).exists():
        raise RuleViolation(
            "R5.1",
            "unit_without_designee",
            f"{unit.name} 尚未指定热线工单专员，不能接收工单。",
            "unit",
        )


@changes_orders
def do_mark_duplicate(
    order: Order | int,
    actor: AbstractBaseUser,
    original: Order,
    *,
    at: datetime | None = None,
) -> Event:
    """Merge a repeat call into the order it repeats; it is not dispatched.

    Both rows are locked, in the order of their ids so that two agents
    merging a pair each way cannot deadlock, and the original is checked
    again under the lock: a merged order is never an original.
    """
    at = moment_of(at)
    order_pk = order.pk if isinstance(order, Order) else order
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Order.objects.select_for_update(of=("self",))
            .filter(pk__in=(order_pk, original.pk))
            .order_by("pk")
        }
        order = lock_order(order_pk)
        workflow.check_action("mark_duplicate", order.state, role_of(actor))
        original = locked.get(original.pk)  # type: ignore[assignment]
        if (
            original is None
            or original.pk == order.pk
            or original.duplicate_of_id is not None
        ):
            raise RuleViolation(
                "R1.1",
                "duplicate_target_invalid",
                "请选择被重复的原工单（不能是本单或另一张重复单）。",
                "duplicate_of",
            )
        order.duplicate_of = original
        order.state = workflow.CLOSED
        order.closed_at = at
        order.save()
        event = append_event(
            order, "mark_duplicate", actor, at, {"original": original.number}
        )
        append_event(original, "repeat_call", actor, at, {"duplicate": order.number})
    return event


# --- handling by the unit (R2.1, R5.1, R5.3) --------------------------------


@changes_orders
def do_accept(
    order: Order | int, actor: AbstractBaseUser, *, at: datetime | None = None
) -> Event:
    """The unit's designee takes the order into its hands (R5.1)."""
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("accept", order.state, role_of(actor))
        check_owner(order, actor, "R5.1")
        order.state = workflow.HANDLING
        order.accepted_at = at
        order.save()
        return append_event(order, "accept", actor, at)


@changes_orders
def do_transfer(
    order: Order | int,
    actor: AbstractBaseUser,
    to_unit: Unit,
    reason: str,
    *,
    at: datetime | None = None,
) -> Event:
    """Pass the order to the unit whose duty it is (R3.1, R5.3).

    The clock keeps running: the due time does not change.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("transfer", order.state, role_of(actor))
        check_owner(order, actor, "R5.3")
        reason = require_text(reason, "reason", "转办原因", "R5.3")
        if order.requests.filter(state="pending").exists():
            raise Conflict(
                "R5.3",
                "request_pending",
                "本单位的申请尚待审批，审批后才能转办。",
                "state",
            )
        if to_unit.pk == order.unit_id:
            raise RuleViolation(
                "R5.3", "transfer_to_self", "不能转办给本单位。", "unit"
            )
        _check_receiving_unit(to_unit, "R5.3")
        from_unit = order.unit
        order.unit = to_unit
        order.state = workflow.DISPATCHED
        order.accepted_at = None
        order.unit_received_at = at
        order.save()
        event = append_event(
            order,
            "transfer",
            actor,
            at,
            {
                "from": from_unit.code,  # type: ignore[union-attr]
                "to": to_unit.code,
                "to_id": to_unit.pk,
                "reason": reason,
            },
        )
    logger.info("order %s transferred %s -> %s", order.number, from_unit, to_unit.code)
    return event


@changes_orders
def do_record_contact(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    method: str,
    outcome: str,
    contacted_at: datetime | None = None,
    refused_meeting: bool = False,
    at: datetime | None = None,
) -> Event:
    """Record a contact with the caller, with time and outcome (R2.1).

    ``refused_meeting`` records a complainant's refusal to meet face to
    face (D9); its proof (such as the call recording) is attached apart.
    """
    at = moment_of(at)
    contacted_at = contacted_at or at
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("record_contact", order.state, role_of(actor))
        check_owner(order, actor, "R2.1")
        if method not in CONTACT_METHODS:
            raise RuleViolation(
                "R2.1",
                "method_invalid",
                "请选择联系方式：电话、上门、短信或其他。",
                "method",
            )
        outcome = require_text(outcome, "outcome", "联系结果", "R2.1")
        _check_past(contacted_at, at, order, "contacted_at", "R2.1")
        return append_event(
            order,
            "record_contact",
            actor,
            at,
            {
                "contacted_at": contacted_at.isoformat(),
                "method": method,
                "outcome": outcome,
                "refused_meeting": bool(refused_meeting),
            },
        )


@changes_orders
def do_record_site_visit(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    findings: str,
    visited_at: datetime | None = None,
    face_to_face: bool = False,
    at: datetime | None = None,
) -> Event:
    """Record a visit on site, with time and findings (R2.1, R5.2)."""
    at = moment_of(at)
    visited_at = visited_at or at
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("record_site_visit", order.state, role_of(actor))
        check_owner(order, actor, "R2.1")
        findings = require_text(findings, "findings", "现场核实情况", "R2.1")
        _check_past(visited_at, at, order, "visited_at", "R2.1")
        return append_event(
            order,
            "record_site_visit",
            actor,
            at,
            {
                "visited_at": visited_at.isoformat(),
                "findings": findings,
                "face_to_face": bool(face_to_face),
            },
        )


# Image formats the imaging library can check from end to end.
CHECKED_IMAGES = {"jpg", "png", "gif", "webp", "bmp", "tif"}
SAME_EXTENSIONS = {"jpeg": "jpg", "tiff": "tif", "htm": "html"}


def _image_is_whole(content: bytes, extension: str) -> bool:
    """Decode the image's structure, so a header on other bytes fails."""
    if extension not in CHECKED_IMAGES:
        return True  # e.g. HEIC from phones: kept on its magic bytes alone
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _download_name(name: str, extension: str) -> str:
    """The uploader's file name, ending in the extension of the real type.

    A photo uploaded as "invoice.html" is kept as "invoice.png", so a
    download never opens as something it is not.
    """
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in "\u202e\u202d")
    path = PurePath(base or "file")
    suffix = path.suffix.lower().lstrip(".")
    if SAME_EXTENSIONS.get(suffix, suffix) == SAME_EXTENSIONS.get(extension, extension):
        stem = path.stem
    else:
        stem = path.name if not path.suffix else path.stem
    return f"{stem[:150] or 'file'}.{extension}"


def _check_past(
    moment: datetime, now: datetime, order: Order, field: str, rule: str
) -> None:
    problem = check_moment(moment, field, rule)
    if problem:
        raise problem
    if moment > now + timedelta(minutes=5):
        raise RuleViolation(rule, f"{field}_future", "时间不能晚于当前时间。", field)
    if moment < order.received_at:
        raise RuleViolation(rule, f"{field}_too_early", "时间不能早于受理时间。", field)


@changes_orders
def do_attach_evidence(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    name: str,
    content: bytes,
    description: str = "",
    purpose: str = "evidence",
    at: datetime | None = None,
) -> Event:
    """Store a file from the site under a generated name (R4.1, D7).

    ``purpose`` says what the file proves: "evidence" from the site (R4.1),
    "proof" of checks, mediation, explanation or a caller's delay (R4.4,
    R4.5, D9, R3.7), or "statement", the scan of a signed statement (R4.4,
    R5.3).

    The type is read from the file's own bytes, never from its name or
    the browser's word; only images, video, audio, PDF and office
    documents are kept.
    """
    at = moment_of(at)
    if purpose not in ATTACHMENT_PURPOSES:
        raise RuleViolation(
            "D7",
            "purpose_invalid",
            "请选择附件用途：现场证据、证明材料或签字说明。",
            "purpose",
        )
    limit = settings.GONGDAN_MAX_UPLOAD_MB * 1024 * 1024
    if not content:
        raise RuleViolation("R4.1", "file_empty", "文件为空。", "file")
    if len(content) > limit:
        raise RuleViolation(
            "R4.1",
            "file_too_large",
            f"文件超过 {settings.GONGDAN_MAX_UPLOAD_MB} MB。",
            "file",
        )
    sniffed = filetype.guess(content)
    if sniffed is None:
        raise RuleViolation(
            "R4.1",
            "file_type_refused",
            "无法识别文件类型，只接受图片、视频、录音和文档。",
            "file",
        )
    media_kind = sniffed.mime.split("/")[0]
    if media_kind not in EVIDENCE_KINDS:
        if sniffed.mime not in DOCUMENT_MIME:
            raise RuleViolation(
                "R4.1",
                "file_type_refused",
                f"不接受该类型文件（{sniffed.mime}），只接受图片、视频、录音和文档。",
                "file",
            )
        media_kind = "document"
    if media_kind == "image" and not _image_is_whole(content, sniffed.extension):
        raise RuleViolation(
            "R4.1",
            "file_type_refused",
            "图片文件已损坏或不是真正的图片。",
            "file",
        )
    original = _download_name(name, sniffed.extension)

    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("attach_evidence", order.state, role_of(actor))
        check_owner(order, actor, "R4.1")
        attachment = Attachment(
            order=order,
            original_name=original,
            media_kind=media_kind,
            content_type=sniffed.mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            description=clean_text(description)[:300],
            purpose=purpose,
            uploaded_by=actor,
            uploaded_at=at,
        )
        attachment.file.save(
            f"{uuid.uuid4().hex}.{sniffed.extension}", ContentFile(content), save=False
        )
        attachment.save()
        return append_event(
            order,
            "attach_evidence",
            actor,
            at,
            {
                "attachment": attachment.pk,
                "name": original,
                "media_kind": media_kind,
                "sha256": attachment.sha256,
                "size": attachment.size,
                "purpose": purpose,
            },
        )


# --- replies (R3.1–R3.6, R4.1, R5.2) --------------------------------------


@changes_orders
def do_submit_reply(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    kind: str,
    elements: Mapping[str, Any],
    caller_delay: bool = False,
    at: datetime | None = None,
) -> Event:
    """Submit the unit's reply as the completion of the order.

    Refused when the reply lacks an element its kind needs or has filler
    (R3.2–R3.6), when a dispute or hazard order has no evidence (R4.1),
    when a citizen-hotline order was not checked on site (R5.2), when the
    caller was never contacted (R2.1), or when the unit does not own the
    order or it is not the unit's duty (R3.1).
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("submit_reply", order.state, role_of(actor))
        check_owner(order, actor)
        workflow.check_pending("reply", waiting_requests(order), "R2.2")
        problems = check_completion(order, outside=kind == "outside")
        # Only the elements of the reply's kind (and a delay's reason) are kept.
        wanted = (*REPLY_KINDS.get(kind, ()), "delay_reason")
        cleaned = {
            key: clean_text(value) if isinstance(value, str) else value
            for key, value in elements.items()
            if key in wanted
        }
        problems += check_reply(
            kind, cleaned, today=at.astimezone(timezone.get_current_timezone()).date()
        )
        problems += check_reply_facts(reply_facts(order, cleaned, caller_delay))
        if problems:
            raise RuleViolations(problems)

        reply = Reply.objects.create(
            order=order,
            unit=order.unit,
            kind=kind,
            elements={k: _jsonable(v) for k, v in cleaned.items()},
            caller_delay=bool(caller_delay),
            submitted_by=actor,
            submitted_at=at,
        )
        order.state = workflow.SUBMITTED
        order.pending_reply_at = at
        order.save()
        event = append_event(
            order, "submit_reply", actor, at, {"reply": reply.pk, "kind": kind}
        )
    logger.info("order %s reply submitted by %s", order.number, order.unit.code)  # type: ignore[union-attr]
    return event


def check_completion(order: Order, *, outside: bool = False) -> list[RuleViolation]:
    """Gather what completing the order depends on, and ask the rules."""
    done = set(order.events.values_list("action", flat=True))
    facts = CompletionFacts(
        source=order.source,
        unit_covers=order.unit.covers(order.category.name, order.district),  # type: ignore[union-attr]
        outside=outside,
        contacted="record_contact" in done,
        site_visited="record_site_visit" in done,
    )
    return submission.check_completion(facts)


def reply_facts(
    order: Order, elements: Mapping[str, Any], caller_delay: bool
) -> ReplyFacts:
    """Gather what a reply's submission depends on (see rules.submission)."""
    events = list(order.events.values_list("action", "data"))
    attachments = order.attachments
    delay_reason = elements.get("delay_reason")
    return ReplyFacts(
        kind=order.kind,
        needs_evidence=order.needs_evidence,
        has_evidence=attachments.filter(media_kind__in=EVIDENCE_KINDS).exists(),
        met_face_to_face=any(
            action == "record_site_visit" and data.get("face_to_face")
            for action, data in events
        ),
        refused_meeting=any(
            action == "record_contact" and data.get("refused_meeting")
            for action, data in events
        ),
        has_proof=attachments.filter(purpose="proof").exists(),
        caller_delay=bool(caller_delay),
        delay_reason=delay_reason if isinstance(delay_reason, str) else "",
        continue_ruled=order.continue_ruled_at is not None,
        extension_since_ruling=order.continue_ruled_at is not None
        and order.requests.filter(
            kind="extension", requested_at__gte=order.continue_ruled_at
        ).exists(),
    )


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


@changes_orders
def do_judge_reply(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    valid: bool,
    reason: str = "",
    caller_delay_accepted: bool = False,
    at: datetime | None = None,
) -> Event:
    """The operations dept judges the pending reply (R3.6, D4, D6).

    An invalid reply counts as no reply: the order goes back to the unit
    and its clock keeps running. A valid reply that claims a caller-caused
    delay may have its proof accepted, so the order is not counted overdue
    (R4.5, D4); a valid short-term reply opens its commitment (R3.7). A
    cannot-satisfy reply is ruled by the quality group instead (R3.4).
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("judge_reply", order.state, role_of(actor))
        reply = order.replies.filter(verdict="").order_by("-submitted_at").first()
        if reply is None:
            raise RuleViolation("R3.6", "no_pending_reply", "没有待审核的回复。")
        if reply.kind == "cannot_satisfy":
            raise NotAllowed(
                "R3.4",
                "quality_group_rules",
                "“诉求无法满足”的回复由服务质量提升小组评议。",
            )
        reason = clean_text(reason)
        if not valid and (not reason or is_filler(reason)):
            raise RuleViolation(
                "R3.6", "reason_missing", "判定无效时须写明理由。", "reason"
            )
        reply.verdict = "valid" if valid else "invalid"
        reply.judged_by = actor
        reply.judged_at = at
        reply.judge_reason = reason
        reply.save()
        order.pending_reply_at = None
        delay_accepted = bool(valid and reply.caller_delay and caller_delay_accepted)
        if valid:
            order.valid_reply_at = reply.submitted_at
            order.state = workflow.FOLLOW_UP
            lapse_extensions(order, actor, at)
            order.caller_delay_accepted = delay_accepted
            if reply.kind == "short_term":
                from .procedures import open_commitment

                open_commitment(
                    order,
                    reply.elements["follow_up_plan"],
                    date.fromisoformat(reply.elements["promised_date"]),
                    reply.submitted_at,
                )
        else:
            order.state = workflow.HANDLING
        order.save()
        return append_event(
            order,
            "judge_reply",
            actor,
            at,
            {
                "reply": reply.pk,
                "valid": bool(valid),
                "reason": reason,
                "caller_delay_accepted": delay_accepted,
            },
        )


# --- follow-up (R6.1, R6.2, R5.5, D8) --------------------------------------


@changes_orders
def do_follow_up(
    order: Order | int,
    actor: AbstractBaseUser,
    *,
    reached: bool,
    failure_reason: str = "",
    contacted: bool | None = None,
    consistent: bool | None = None,
    process: str = "",
    result: str = "",
    feedback: bool | None = None,
    false_report: bool | None = None,
    threatened: bool = False,
    cause: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Event:
    """Record the hotline's call back to the caller (R6.1, R6.2).

    A reply found inconsistent or falsely reported, or a dissatisfied
    caller whose cause lies with the unit (D8), sends the order back to
    the unit as a redo (R5.5); otherwise the order closes. A call that
    did not reach the caller is kept, and the order stays in the queue.
    """
    at = moment_of(at)
    with transaction.atomic():
        order = lock_order(order)
        workflow.check_action("follow_up", order.state, role_of(actor))
        reply = order.replies.filter(verdict="valid").order_by("-submitted_at").first()
        if not reached:
            # "关机", "空号", "占线": a short reason is a real one here.
            failure_reason = clean_text(
                failure_reason if isinstance(failure_reason, str) else None
            )
            if not failure_reason:
                raise RuleViolation(
                    "R6.1",
                    "failure_reason_missing",
                    "请填写“未回访到原因”（如关机、空号、无人接听）。",
                    "failure_reason",
                )
            if len(failure_reason) > 200:
                raise RuleViolation(
                    "R6.1",
                    "failure_reason_too_long",
                    "“未回访到原因”超过200字，详情请写在备注中。",
                    "failure_reason",
                )
            FollowUp.objects.create(
                order=order,
                reply=reply,
                unit=order.unit,
                agent=actor,
                at=at,
                reached=False,
                failure_reason=failure_reason,
                note=clean_text(note)[:MAX_TEXT],
            )
            # D5: after the configured number of failed calls in this round
            # the order leaves the queue as unreachable and counts apart.
            attempts = failed_attempts(order)
            unreachable = attempts >= settings.GONGDAN_FOLLOWUP_ATTEMPTS
            if unreachable:
                order.state = workflow.CLOSED
                order.closed_at = at
                order.save()
                logger.info(
                    "order %s closed unreachable after %s follow-up calls",
                    order.number,
                    attempts,
                )
            return append_event(
                order,
                "follow_up",
                actor,
                at,
                {
                    "reached": False,
                    "failure_reason": failure_reason,
                    "note": clean_text(note)[:MAX_TEXT],
                    "attempts": attempts,
                    "unreachable": unreachable,
                },
            )

        problems = []
        for field, value, label in (
            ("contacted", contacted, "是否与用户联系"),
            ("consistent", consistent, "回复内容是否与用户回答一致"),
            ("feedback", feedback, "是否对用户进行了反馈"),
            ("false_report", false_report, "是否虚报、瞒报"),
        ):
            if value is None:
                problems.append(
                    RuleViolation(
                        "R6.1", f"{field}_missing", f"请填写“{label}”。", field
                    )
                )
        for field, value, label in (
            ("process", process, "过程评价"),
            ("result", result, "结果评价"),
        ):
            if value not in RATINGS:
                problems.append(
                    RuleViolation(
                        "R6.2",
                        f"{field}_invalid",
                        f"“{label}”须为满意、基本满意或不满意。",
                        field,
                    )
                )
        dissatisfied = "dissatisfied" in (process, result)
        if dissatisfied and cause not in ("unit", "objective"):
            problems.append(
                RuleViolation(
                    "D8",
                    "cause_missing",
                    "用户不满意时须判断原因：单位原因或客观原因。",
                    "cause",
                )
            )
        if problems:
            raise RuleViolations(problems)

        # TODO: D8 lets the operations dept correct the cause the agent
        # proposes; there is no action for it yet, so the agent's stands.
        redo = (
            (not consistent) or bool(false_report) or (dissatisfied and cause == "unit")
        )
        call = FollowUp.objects.create(
            order=order,
            reply=reply,
            unit=order.unit,
            agent=actor,
            at=at,
            reached=True,
            contacted=contacted,
            consistent=consistent,
            process=process,
            result=result,
            feedback=feedback,
            false_report=false_report,
            threatened=bool(threatened),
            cause=cause if dissatisfied else "",
            redo=redo,
            note=clean_text(note),
        )
        if threatened:
            # R5.6: a notice against the unit, for the operations dept to
            # confirm or dismiss.
            Notice.objects.create(
                order=order, unit=order.unit, followup=call, raised_at=at
            )
            logger.warning(
                "order %s: follow-up reports a threat by %s; notice raised",
                order.number,
                order.unit.code,  # type: ignore[union-attr]
            )
        round_due = order.due_at
        if redo:
            # R5.5: back to the same unit, with a fresh time limit; what
            # the ended round was completed by does not carry over.
            order.state = workflow.HANDLING
            order.redo_count += 1
            order.valid_reply_at = None
            order.caller_delay_accepted = False
            order.closure = ""
        else:
            order.state = workflow.CLOSED
            order.closed_at = at
        order.save()
        event = append_event(
            order,
            "follow_up",
            actor,
            at,
            {
                "reached": True,
                "process": process,
                "result": result,
                "feedback": bool(feedback),
                "consistent": bool(consistent),
                "false_report": bool(false_report),
                "threatened": bool(threatened),
                "cause": cause,
                "redo": redo,
                # The due time the ended round was judged by (reports.facts).
                "round_due": round_due.isoformat() if redo and round_due else None,
            },
        )
        if redo:
            # The redo restarts the base limit from this call (R5.5, D3).
            apply_due(order)
            order.save()
    if redo:
        logger.info("order %s sent back to %s as a redo", order.number, order.unit.code)  # type: ignore[union-attr]
    return event


def waiting_requests(order: Order) -> dict[str, str]:
    """The kinds of the order's requests waiting for a decision, with
    their labels (for ``rules.workflow.check_pending``)."""
    return {
        row.kind: row.get_kind_display()
        for row in order.requests.filter(state="pending")
    }


def lapse_extensions(order: Order, actor: AbstractBaseUser, at: datetime) -> int:
    """An extension still waiting when its round is completed asked time
    for a round that has ended: it lapses, and no later decision can move
    the next round's due time (R4.2)."""
    return order.requests.filter(kind="extension", state="pending").update(
        state="lapsed",
        decided_by=actor,
        decided_at=at,
        decision_reason="工单已办结，延期申请失效",
    )


def failed_attempts(order: Order) -> int:
    """Calls that did not reach the caller since the order's last
    completion (D5); a redo starts the count again."""
    return len(failed_calls(order))


# --- the calendar changed (D1, D2) ------------------------------------------


def plan_points(order: Order, fallback: Any) -> list[tuple[Any, int, Any]]:
    """Each 3-month point with its number and its plan, counted per plan;
    points kept before plans were linked to their steps go with
    ``fallback``, the latest approved plan."""
    numbered: dict[Any, int] = {}
    found = []
    for step in order.plan_steps.filter(kind="checkpoint").order_by("seq"):
        plan = step.request or fallback
        if plan is None or plan.decided_at is None:
            continue
        numbered[plan.pk] = numbered.get(plan.pk, 0) + 1
        found.append((step, numbered[plan.pk], plan))
    return found


def recompute_open_due_times(
    actor: AbstractBaseUser, reason: str, *, at: datetime | None = None
) -> int:
    """Derive every open order's due time again; record each change.

    Closed and returned orders, and orders whose reply was judged valid,
    keep the due time they were judged by. Returns how many due times
    changed.
    """
    at = moment_of(at)
    changed = 0
    # A round with a valid reply was judged by the due time it had then
    # (D4): only orders still waiting for one are derived again.
    open_orders = Order.objects.exclude(
        state__in=(workflow.CLOSED, workflow.RETURNED)
    ).filter(
        duplicate_of__isnull=True,
        limit_amount__isnull=False,
        valid_reply_at__isnull=True,
    )
    for pk in open_orders.values_list("pk", flat=True):
        with transaction.atomic():
            order = lock_order(pk)
            if order.state in (workflow.CLOSED, workflow.RETURNED):
                continue
            if order.valid_reply_at is not None:
                continue
            deadline = derive_order_due(order)
            if deadline is None:
                continue
            if (deadline.at, deadline.provisional) == (
                order.due_at,
                order.due_provisional,
            ):
                continue
            old = order.due_at
            order.due_at, order.due_provisional = deadline.at, deadline.provisional
            order.save()
            from gongdan.reports.facts import refresh_facts

            append_event(
                order,
                "due_changed",
                actor,
                at,
                {
                    "old": old.isoformat() if old else None,
                    "new": deadline.at.isoformat(),
                    "provisional": deadline.provisional,
                    "reason": reason,
                },
            )
            refresh_facts(order)
            changed += 1
    changed += recompute_plan_points(actor, reason, at)
    if changed:
        logger.info("calendar change moved %s due times", changed)
    return changed


def recompute_plan_points(actor: AbstractBaseUser, reason: str, at: datetime) -> int:
    """Move a long plan's 暂定 3-month points to what the calendar now says.

    A point is counted from the plan's final approval (R4.3, D2); one the
    appeal group extended keeps its new date. Returns how many moved.
    """
    from gongdan.workdays.queries import get_calendar

    from .models import PlanStep
    from .procedures import PLAN_REVIEW_MONTHS as months

    calendar = get_calendar()
    changed = 0
    orders = (
        PlanStep.objects.filter(
            kind="checkpoint", provisional=True, replied_at__isnull=True
        )
        .values_list("order_id", flat=True)
        .distinct()
    )
    for pk in list(orders):
        with transaction.atomic():
            order = lock_order(pk)
            plans = order.requests.filter(kind="plan", state="approved")
            latest = plans.order_by("-decided_at").first()
            for step, period, plan in plan_points(order, latest):
                if step.replied_at or step.extended_by_appeal or not step.provisional:
                    continue
                point = calendar.add_months(plan.decided_at, months * period)  # type: ignore[arg-type]
                if (point.at, point.provisional) == (step.due_at, step.provisional):
                    continue
                old = step.due_at
                step.due_at, step.provisional = point.at, point.provisional
                step.save()
                append_event(
                    order,
                    "due_changed",
                    actor,
                    at,
                    {
                        "step": step.seq,
                        "old": old.isoformat(),
                        "new": point.at.isoformat(),
                        "provisional": point.provisional,
                        "reason": reason,
                    },
                )
                changed += 1
    return changed
