"""The demo organisation and the sample orders, played along their paths.

``load_demo`` is idempotent: units, categories, accounts and time limits
are created or brought up to date, and a sample order already present
(by external number) is not imported or played again.
"""

from __future__ import annotations

import csv
import logging
import re
import struct
import zlib
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongdan.org.models import Membership, Role, Unit, UnitKind
from gongdan.org.queries import suggest_unit
from gongdan.rules.errors import RuleViolation, RuleViolations
from gongdan.rules.limits import DEFAULT_LIMITS
from gongdan.rules.replies import is_filler, split_reply_text
from gongdan.workdays.queries import seed_from_package

from . import actions, procedures
from .importer import ImportResult, import_orders
from .models import Category, Order
from .models import TimeLimit as TimeLimitRow

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "gongdan-demo"
RATING = {
    "满意": "satisfied",
    "基本满意": "basically_satisfied",
    "不满意": "dissatisfied",
}


def data_text(name: str) -> str:
    return resources.files("gongdan").joinpath("data", name).read_text("utf-8-sig")


def data_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(data_text(name).splitlines()))


def load_org() -> None:
    for row in data_rows("org.csv"):
        handles = [x for x in row["handles"].split(";") if x]
        districts = [x for x in row["districts"].split(";") if x]
        Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "handles": handles,
                "districts": districts,
                "note": row["note"][:200],
            },
        )


def load_categories() -> None:
    for row in data_rows("categories.csv"):
        Category.objects.update_or_create(
            name=row["child"],
            defaults={
                "parent": row["parent"],
                "dispute": row["dispute_flag"] == "1",
                "hazard": row["hazard_flag"] == "1",
                "default_urgency": row["default_urgency"],
            },
        )


def seed_limits() -> None:
    if TimeLimitRow.objects.exists():
        return
    TimeLimitRow.objects.bulk_create(
        TimeLimitRow(
            source=rule.source or "",
            kind=rule.kind or "",
            category=rule.category or "",
            urgency=rule.urgency or "",
            amount=rule.limit.amount,
            unit=rule.limit.unit,
            position=position,
            note=rule.note[:300],
        )
        for position, rule in enumerate(DEFAULT_LIMITS)
    )


def account_plan() -> list[tuple[str, str, str, str]]:
    """(username, unit code, role, display name) of every demo account."""
    plan = [
        ("agent1", "HOTLINE", Role.AGENT, "热线坐席 王晓"),
        ("agent2", "HOTLINE", Role.FOLLOWUP, "回访坐席 陈静"),
        ("ops1", "OPS", Role.OPS, "运营管理部 李明"),
        ("quality1", "QUALITY", Role.COMMITTEE, "服务质量提升小组 赵红"),
        ("review1", "REVIEW", Role.COMMITTEE, "审查小组 孙伟"),
        ("appeal1", "APPEAL", Role.COMMITTEE, "申诉审查小组 周芳"),
        ("admin", "OPS", Role.ADMIN, "系统管理员"),
    ]
    for unit in Unit.objects.filter(kind=UnitKind.UNIT).order_by("code"):
        code = unit.code.lower()
        plan += [
            (f"{code}.designee", unit.code, Role.DESIGNEE, f"{unit.name} 工单专员"),
            (f"{code}.staff", unit.code, Role.STAFF, f"{unit.name} 办理人员"),
            (f"{code}.head", unit.code, Role.HEAD, f"{unit.name} 负责人"),
        ]
    return plan


def ensure_users() -> None:
    users = get_user_model()
    for username, code, role, display in account_plan():
        user, created = users.objects.get_or_create(
            username=username, defaults={"first_name": display}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.get_or_create(
            user=user, role=role, defaults={"unit": Unit.objects.get(code=code)}
        )


@dataclass
class PlayResult:
    imported: ImportResult
    played: dict[str, int] = field(default_factory=dict)
    refused_actions: list[str] = field(default_factory=list)


def tiny_png(seed: int) -> bytes:
    """A real 1×1 PNG whose colour depends on ``seed`` (a photo stand-in)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    pixel = bytes([0, seed % 256, (seed // 256) % 256, 128])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


def load_demo() -> PlayResult:
    """Load organisation, calendar, limits and accounts; play sample orders."""
    with transaction.atomic():
        load_org()
        load_categories()
        seed_limits()
        ensure_users()
    seed_from_package()
    return play_samples()


def user(name: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=name)


def play_samples() -> PlayResult:
    rows = {r["external_no"]: r for r in data_rows("orders.csv")}
    imported = import_orders(data_text("orders.csv").encode("utf-8"), user("agent1"))
    result = PlayResult(imported)
    for order in sorted(imported.created, key=lambda o: o.received_at):
        row = rows[order.external_no]
        try:
            outcome = play_one(order, row)
        except RuleViolation as error:
            problems = error.problems if isinstance(error, RuleViolations) else [error]
            text = "; ".join(f"[{p.rule}] {p.message}" for p in problems)
            result.refused_actions.append(f"{order.external_no}: {text}")
            outcome = "refused_in_play"
        result.played[outcome] = result.played.get(outcome, 0) + 1
    return result


def play_one(order: Order, row: dict[str, str]) -> str:
    """Play one sample order as far as the workflow's actions reach."""
    path = row["expected_path"]
    t = order.received_at
    agent, follow_agent, ops = user("agent1"), user("agent2"), user("ops1")

    if path.startswith("duplicate_of:"):
        original = Order.objects.filter(external_no=path.split(":", 1)[1]).first()
        if original is None:
            return "duplicate_original_missing"
        actions.do_mark_duplicate(order, agent, original, at=t + timedelta(minutes=3))
        return "duplicate"

    unit = suggest_unit(order.category.name if order.category else None, order.district)
    if unit is None:
        return "no_unit"
    hurry = order.source in ("citizen_hotline", "construction_hotline")
    t += timedelta(minutes=5 if hurry else 10)

    if path == "transfer_then_resolve":
        wrong = (
            Unit.objects.filter(kind=UnitKind.UNIT).exclude(pk=unit.pk).order_by("code")
        ).first()
        actions.do_dispatch(order, agent, wrong, at=t)
        code = wrong.code.lower()
        actions.do_accept(order, user(f"{code}.designee"), at=t + timedelta(minutes=15))
        actions.do_transfer(
            order,
            user(f"{code}.designee"),
            unit,
            f"经核实该诉求属{unit.name}职责，内部转办。",
            at=t + timedelta(minutes=30),
        )
        t += timedelta(minutes=30)
    else:
        actions.do_dispatch(order, agent, unit, at=t)

    code = unit.code.lower()
    designee, staff = user(f"{code}.designee"), user(f"{code}.staff")
    t += timedelta(minutes=20)
    actions.do_accept(order, designee, at=t)
    t += timedelta(minutes=20)
    actions.do_record_contact(
        order,
        staff,
        method="phone",
        outcome="已联系来电人，了解诉求并约定上门时间。",
        at=t,
    )
    elements = split_reply_text(row["reply_text"])
    t += timedelta(hours=1)
    findings = elements.get("investigation", "")
    if is_filler(findings):
        findings = "已到现场核实来电反映的情况。"
    # R5.6, D9: a complaint is handled face to face.
    actions.do_record_site_visit(
        order, staff, findings=findings, face_to_face=order.kind == "complaint", at=t
    )
    if order.needs_evidence or path == "return_outside":
        t += timedelta(minutes=10)
        attach(order, staff, "现场照片.png", tiny_png(order.pk), "evidence", t)

    head = user(f"{code}.head")
    if path == "return_outside":
        return play_return(order, designee, ops, elements, row["reply_text"], t)
    if path == "unresolvable":
        return play_unresolvable(
            order, designee, staff, head, ops, row, t, follow_agent
        )
    if path == "plan":
        return play_plan(order, designee, ops, elements, row, t, follow_agent)

    order.refresh_from_db()
    if path in ("extend_once", "extend_twice"):
        for _ in range(1 if path == "extend_once" else 2):
            t = min(t + timedelta(hours=1), order.due_at - timedelta(hours=1))
            procedures.do_request_extension(
                order, designee, days=3, reason=extension_reason(row), at=t
            )
            t += timedelta(minutes=30)
            pending = order.requests.get(state="pending")
            procedures.do_decide_request(
                order, ops, request=pending.pk, approve=True, at=t
            )
            order.refresh_from_db()
            previous_due = order.due_at
        t = max(t, previous_due - timedelta(days=1))  # the extra time was used
    delay = path == "caller_delay"
    if delay:
        # The caller asked to hold off: the reply comes after the due time.
        t = order.due_at + timedelta(days=1)
        attach(order, staff, "来电人要求推迟的通话录音.wav", WAV, "proof", t)
        elements["delay_reason"] = delay_sentence(row["reply_text"])
    t += timedelta(hours=1)
    if not delay and order.due_at is not None and t >= order.due_at:
        t = order.due_at - timedelta(minutes=10)
    actions.do_submit_reply(
        order, designee, kind="resolved", elements=elements, caller_delay=delay, at=t
    )
    t += timedelta(hours=2)
    if "invalid_reply:mismatch" in row["notes"]:
        actions.do_judge_reply(
            order, ops, valid=False, reason="回复内容与该工单诉求不符。", at=t
        )
        return "judged_invalid"
    actions.do_judge_reply(order, ops, valid=True, caller_delay_accepted=delay, at=t)
    return play_follow_up(order, follow_agent, row, t + timedelta(days=1))


def play_follow_up(order: Order, agent, row: dict[str, str], t: datetime) -> str:  # type: ignore[no-untyped-def]
    process, result, reached = (row["followup"].split("|") + ["", "", ""])[:3]
    if reached != "1":
        actions.do_follow_up(
            order, agent, reached=False, failure_reason="电话无人接听", at=t
        )
        return "followup_unreached"
    process, result = RATING[process], RATING[result]
    redo = row["expected_path"] == "redo_after_followup"
    dissatisfied = "dissatisfied" in (process, result)
    actions.do_follow_up(
        order,
        agent,
        reached=True,
        contacted=True,
        consistent=not redo,
        process=process,
        result=result,
        feedback=True,
        false_report=False,
        cause=("unit" if redo else "objective") if dissatisfied else "",
        at=t,
    )
    return "redo" if redo else "closed"


def play_return(order: Order, designee, ops, elements, row_text, t: datetime) -> str:  # type: ignore[no-untyped-def]
    t += timedelta(hours=1)
    procedures.do_request_return(
        order,
        designee,
        site_check=elements.get("investigation") or jurisdiction_finding(row_text),
        reason=elements.get("result", "") or "经现场核实，该诉求不属供水集团管辖范围。",
        legal_basis=RETURN_BASIS,
        at=t,
    )
    pending = order.requests.get(state="pending")
    procedures.do_decide_request(
        order, ops, request=pending.pk, approve=True, at=t + timedelta(hours=1)
    )
    return "returned"


def play_unresolvable(order, designee, staff, head, ops, row, t, agent) -> str:  # type: ignore[no-untyped-def]
    t += timedelta(hours=2)
    attach(order, staff, "现场核查及解释记录.pdf", tiny_pdf(order.pk), "proof", t)
    attach(
        order, head, "负责人签字情况说明.png", tiny_png(order.pk + 7), "statement", t
    )
    procedures.do_request_unresolvable(
        order,
        designee,
        reason_code="no_conditions",
        explanation=row["reply_text"],
        at=t + timedelta(minutes=10),
    )
    pending = order.requests.get(state="pending")
    t += timedelta(hours=3)
    procedures.do_decide_request(order, ops, request=pending.pk, approve=True, at=t)
    order.refresh_from_db()
    return "unresolvable:" + play_follow_up(order, agent, row, t + timedelta(days=1))


def play_plan(order, designee, ops, elements, row, t, agent) -> str:  # type: ignore[no-untyped-def]
    t += timedelta(hours=2)
    finish = promised_day(row["reply_text"], t.date())
    procedures.do_request_plan(
        order,
        designee,
        measures=elements.get("result") or row["reply_text"],
        steps=[{"title": "按方案完成整改并回复来电人", "date": finish.isoformat()}],
        acceptance=elements.get("acceptance", ""),
        at=t,
    )
    pending = order.requests.get(state="pending")
    t += timedelta(hours=2)
    procedures.do_decide_request(order, ops, request=pending.pk, approve=True, at=t)
    pending.refresh_from_db()
    if pending.state == "pending":  # over 3 months: the review group too
        t += timedelta(days=1)
        procedures.do_review_plan(
            order, user("review1"), request=pending.pk, approve=True, at=t
        )
    order.refresh_from_db()
    outcome = play_follow_up(order, agent, row, t + timedelta(days=1))
    # Progress replies for the steps and 3-month points already due.
    now = timezone.now()
    for step in order.plan_steps.filter(due_at__lt=now).order_by("due_at"):
        procedures.do_progress_reply(
            order,
            designee,
            step=step.pk,
            progress="按方案推进，已完成本阶段工作，已电话告知来电人进展。",
            at=step.due_at - timedelta(days=1),
        )
    return "plan:" + outcome


def attach(order, user_, name, content, purpose, t) -> None:  # type: ignore[no-untyped-def]
    actions.do_attach_evidence(
        order,
        user_,
        name=name,
        content=content,
        description=name,
        purpose=purpose,
        at=t,
    )


RETURN_BASIS = (
    "《城市供水条例》关于用户自建供水设施由产权单位负责维护管理的规定；"
    "《物业管理条例》关于物业共用设施设备维修养护责任的规定。"
)
# A tiny WAV header: a stand-in for a call recording.
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 20


def tiny_pdf(seed: int) -> bytes:
    """A minimal PDF file, a stand-in for a scanned document."""
    return b"%PDF-1.4\n% gongdan demo " + str(seed).encode() + b"\n%%EOF\n"


def jurisdiction_finding(text: str) -> str:
    """The sentence of a reply that finds the request outside the group's
    jurisdiction, standing for the site check when none is described."""
    for sentence in re.split(r"[。；]", text):
        if re.search(r"不属于|不属|属.{1,20}职责|非供水|产权", sentence):
            return sentence.strip() + "。"
    return ""


def extension_reason(row: dict[str, str]) -> str:
    return "现场情况复杂，需协调施工和检测，预计不能在时限内办结，申请延期。"


def delay_sentence(text: str) -> str:
    """The sentence of the reply that says why the caller asked to wait."""
    for sentence in re.split(r"[。；]", text):
        if re.search(r"推迟|改约|出差|暂不|以后再", sentence):
            return sentence.strip() + "。"
    return "来电人要求推迟处理，已按来电人要求改约。"


def promised_day(text: str, after: date) -> date:
    """The latest date a plan's reply promises, or two months on."""
    found = []
    for year, month in re.findall(r"(\d{4})年(\d{1,2})月底", text):
        y, m = int(year), int(month)
        found.append(date(y, m, monthrange(y, m)[1]))
    for year, month, day in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
        found.append(date(int(year), int(month), int(day)))
    later = [d for d in found if d > after]
    return max(later) if later else after + timedelta(days=60)


def demo_accounts_text() -> str:
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    shown = {"agent1", "agent2", "ops1", "quality1", "review1", "appeal1", "admin"}
    for username, code, role, display in account_plan():
        if username in shown or code == "EAST":
            lines.append(f"  {username:<16} {Role(role).label:<8} {display}")
    units = "、".join(
        f"{u.code.lower()}（{u.name}）"
        for u in Unit.objects.filter(kind=UnitKind.UNIT).order_by("code")
    )
    lines.append(
        "  其他责任单位账号为 <代码>.designee / <代码>.staff / <代码>.head，代码："
    )
    lines.append(f"  {units}")
    return "\n".join(lines)
