"""The demo organisation and the sample orders, played along their paths.

``load_demo`` is idempotent: units, categories, accounts and time limits
are created or brought up to date, and a sample order already present
(by external number) is not imported or played again.
"""

from __future__ import annotations

import csv
import logging
import struct
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction

from gongdan.org.models import Membership, Role, Unit, UnitKind
from gongdan.org.queries import suggest_unit
from gongdan.rules.errors import RuleViolation, RuleViolations
from gongdan.rules.limits import DEFAULT_LIMITS
from gongdan.rules.replies import is_filler, split_reply_text
from gongdan.workdays.queries import seed_from_package

from . import actions
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
# Paths whose actions (extension, plan, unresolvable, return) come with the
# deadline engine and the special procedures; the demo stops them in
# handling, after contact and site visit.
LATER_PATHS = ("extend_once", "extend_twice", "plan", "unresolvable", "return_outside")


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
        ("agent2", "HOTLINE", Role.AGENT, "回访坐席 陈静"),
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
            user=user, defaults={"unit": Unit.objects.get(code=code), "role": role}
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
    actions.do_record_site_visit(order, staff, findings=findings, at=t)
    if order.needs_evidence:
        t += timedelta(minutes=10)
        actions.do_attach_evidence(
            order,
            staff,
            name="现场照片.png",
            content=tiny_png(order.pk),
            description="现场照片",
            at=t,
        )
    if path in LATER_PATHS:
        return f"stopped:{path}"

    t += timedelta(hours=1)
    order.refresh_from_db()
    if order.due_at is not None and t >= order.due_at:
        t = order.due_at - timedelta(minutes=10)
    actions.do_submit_reply(
        order,
        designee,
        kind="resolved",
        elements=elements,
        caller_delay=path == "caller_delay",
        at=t,
    )
    t += timedelta(hours=2)
    if "invalid_reply:mismatch" in row["notes"]:
        actions.do_judge_reply(
            order, ops, valid=False, reason="回复内容与该工单诉求不符。", at=t
        )
        return "judged_invalid"
    actions.do_judge_reply(order, ops, valid=True, at=t)

    t += timedelta(days=1)
    process, result, reached = (row["followup"].split("|") + ["", "", ""])[:3]
    if reached != "1":
        actions.do_follow_up(
            order, follow_agent, reached=False, failure_reason="电话无人接听", at=t
        )
        return "followup_unreached"
    process, result = RATING[process], RATING[result]
    redo = path == "redo_after_followup"
    dissatisfied = "dissatisfied" in (process, result)
    actions.do_follow_up(
        order,
        follow_agent,
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


def demo_accounts_text() -> str:
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    shown = {"agent1", "agent2", "ops1", "quality1", "admin"}
    for username, code, role, display in account_plan():
        if username in shown or code == "EAST":
            lines.append(f"  {username:<16} {Role(role).label:<8} {display}")
    lines.append(
        "  其他责任单位：<代码>.designee / <代码>.staff / <代码>.head，如 west.designee"
    )
    return "\n".join(lines)
