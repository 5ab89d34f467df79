"""A year of a large city's orders, written straight into PostgreSQL.

Each order is played along one path of the workflow: its events, replies,
requests, plan steps, follow-ups, notices and commitments have the shapes
that ``orders.actions`` and ``orders.procedures`` write, and its
assessment facts are worked out here from that same history, on their
own, not by ``reports.facts``. ``bench.report`` then asks
``derive_facts`` about a sample of orders and compares.

The rows go in by ``COPY``, one chunk of orders after another, a chunk
per worker process at a time. Ids of rows that others point to (replies,
requests, follow-ups) are the order's id times a small factor plus a
counter, so that chunks never collide; events and facts take theirs from
the table's own sequence.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from gongdan.rules.extensions import Step, derive_due
from gongdan.rules.intake import SOURCES
from gongdan.rules.limits import DEFAULT_LIMITS, LimitRule, pick_limit
from gongdan.rules.workdays import TZ, WorkCalendar, calendar_from_package, format_due

YEAR = 2025
# How many ids of each kind one order may use at most (see the docstring).
REPLY_IDS, REQUEST_IDS, FOLLOWUP_IDS, STEP_IDS = 4, 3, 8, 16

SOURCE_MIX = (
    ("citizen_hotline", 50),
    ("water_hotline", 35),
    ("construction_hotline", 10),
    ("other", 5),
)
KIND_MIX = (
    ("help", 30),
    ("complaint", 28),
    ("consultation", 22),
    ("report", 12),
    ("suggestion", 6),
    ("praise", 2),
)
CATEGORY_MIX = (
    ("漏水", 20),
    ("停水", 12),
    ("水压低", 10),
    ("水费", 10),
    ("水表", 9),
    ("抄表", 5),
    ("水质", 5),
    ("二次供水", 5),
    ("施工", 4),
    ("爆管", 3),
    ("井盖", 3),
    ("报装", 3),
    ("服务态度", 3),
    ("消火栓", 2),
    ("过户", 2),
    ("违章用水", 2),
    ("销户报停", 1),
    ("其他", 1),
)
DISTRICT_MIX = (
    ("东城区", 20),
    ("高新区", 12),
    ("西城区", 18),
    ("滨江区", 10),
    ("南湖区", 22),
    ("北山区", 18),
)
# Calls by hour of the day, Beijing time: busy days, quiet nights.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 7, 10, 11, 11, 10, 8, 9, 10, 10, 9, 8, 7, 6)
HOUR_WEIGHTS += (5, 4, 3, 2)
STREETS = ("人民路", "解放路", "中山路", "建设大街", "滨河路", "新华街", "光明路")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"

# How an order's handling ends (exclusive shares of all orders).
RETURN, PLAN, UNRESOLVABLE, STATEMENT, RULED, OPEN, REPLY = (
    "return",
    "plan",
    "unresolvable",
    "statement",
    "ruled",
    "open",
    "reply",
)
ENDINGS = (
    (RETURN, 0.05),
    (PLAN, 0.02),
    (UNRESOLVABLE, 0.01),
    (STATEMENT, 0.003),
    (RULED, 0.003),
    (OPEN, 0.005),
)
P_TRANSFER = 0.105  # of orders not returned: about 10% of all
P_EXTENSION = 0.042
P_LATE = 0.14  # the completion (or last activity) comes after the due time
P_CALLER_DELAY = 0.1  # of late replies: a caller-caused delay accepted
P_INVALID_FIRST = 0.03  # a first reply judged invalid
P_SHORT_TERM = 0.022  # a short-term reply, which opens a commitment
P_LATE_DISPATCH = 0.07  # hotline dispatch after the 30-minute limit
P_LONG_PLAN = 0.3
P_NOT_FOLLOWED = 0.055  # still waiting for its follow-up call
P_UNREACHABLE = 0.033
P_FAILED_FIRST = 0.08  # one failed call before the caller is reached
P_REDO = 0.011
P_THREAT = 0.0004
PROMPT_SOURCES = ("citizen_hotline", "construction_hotline")
RATING_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}
RATING_KINDS = {
    ("process", "satisfied"): "process_satisfied",
    ("process", "basically_satisfied"): "process_basic",
    ("result", "satisfied"): "result_satisfied",
    ("result", "basically_satisfied"): "result_basic",
}
REPLY_LABELS = {
    "resolved": "已解决",
    "short_term": "短期内无法解决",
    "cannot_satisfy": "诉求无法满足",
}
CLOSURE_LABELS = {
    "plan": "方案解决",
    "unresolvable": "无法解决",
    "statement": "情况说明",
}

COLUMNS = {
    "orders_order": (
        "id source kind category_id category_undetermined urgency content address "
        "district caller_name caller_phone received_at registered_at state unit_id "
        "dispatched_at accepted_at due_at due_provisional limit_label limit_amount "
        "limit_unit unit_received_at returned_at closure caller_delay_accepted "
        "return_late pending_reply_at valid_reply_at closed_at redo_count"
    ),
    "orders_event": "order_id seq action actor_id unit_id at recorded_at data",
    "orders_reply": (
        "id order_id unit_id kind elements caller_delay submitted_by_id "
        "submitted_at verdict judged_by_id judged_at judge_reason"
    ),
    "orders_request": (
        "id order_id unit_id kind days reason data late requested_by_id "
        "requested_at state ops_approved_by_id ops_approved_at decided_by_id "
        "decided_at decision_reason"
    ),
    "orders_planstep": (
        "id order_id seq kind title due_at provisional extended_by_appeal progress"
    ),
    "orders_commitment": (
        "id order_id unit_id promise due_at state made_at claimed_at claim_note "
        "confirmed_by_id confirmed_at"
    ),
    "followups_followup": (
        "id order_id reply_id unit_id agent_id at reached failure_reason contacted "
        "consistent process result feedback false_report threatened cause redo note"
    ),
    "followups_notice": (
        "id order_id unit_id followup_id raised_at state decided_by_id decided_at "
        "reason"
    ),
    "reports_fact": "order_id unit_id kind at value note category district",
}
TABLES = tuple(COLUMNS)


@dataclass
class City:
    """The organisation as loaded: ids the rows point to."""

    units: dict[str, int]  # unit code -> id
    owners: dict[tuple[str, str], str]  # (category, district) -> unit code
    # name -> (id, default urgency, upper level)
    categories: dict[str, tuple[int, str, str]]
    users: dict[str, tuple[int, int]]  # username -> (user id, unit id)


@dataclass
class Chunk:
    """One worker's share: ``count`` orders from ``first`` id on, received
    between ``start`` and ``end``."""

    dsn: str
    city: City
    first: int
    count: int
    start: datetime
    end: datetime
    seed: int


# A deadline's fact is kept at the instant before it (reports.facts).
INSTANT = timedelta(microseconds=1)


def bj(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), TZ)


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def choose(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in mix], [w for _, w in mix])[0]


class Owners:
    """Which unit held the order at a moment: dispatch, then transfers."""

    def __init__(self) -> None:
        self.spans: list[tuple[datetime, int]] = []

    def at(self, moment: datetime) -> int:
        holder = self.spans[0][1]
        for start, unit in self.spans:
            if start <= moment:
                holder = unit
        return holder


class Story:
    """One order played from registration to where its path stops."""

    def __init__(
        self, writer: Writer, order_id: int, received: datetime, rng: random.Random
    ) -> None:
        self.w, self.id, self.rng, self.city = writer, order_id, rng, writer.city
        self.received = received
        self.events: list[tuple[str, str, datetime, dict[str, Any]]] = []
        self.facts: list[tuple[str, int, datetime, int | None, str]] = []
        self.owners = Owners()
        self.steps: list[Step] = []
        self.replies = self.requests = self.followups = 0
        self.reply_id: int | None = None  # the latest valid reply
        self.unit_code = ""
        self.accepted_at: datetime | None = None
        self.unit_received_at: datetime | None = None
        self.state = "registered"
        self.closed_at: datetime | None = None
        self.returned_at: datetime | None = None
        self.return_late = False
        self.closure = ""
        self.caller_delay_accepted = False
        self.pending_reply_at: datetime | None = None
        self.valid_reply_at: datetime | None = None
        self.redo_count = 0
        # Events after the completion that interleave with the calls:
        # commitments kept and confirmed, notices decided.
        self.afterwards: list[tuple[str, str, datetime, dict[str, Any]]] = []

    # -- helpers ------------------------------------------------------

    def event(
        self, action: str, who: str, at: datetime, data: dict[str, Any] | None = None
    ) -> None:
        self.events.append((action, who, at, data or {}))

    def fact(
        self, kind: str, unit: int, at: datetime, note: str, value: int | None = None
    ) -> None:
        self.facts.append((kind, unit, at, value, note[:200]))

    @property
    def unit(self) -> int:
        return self.city.units[self.unit_code]

    @property
    def designee(self) -> str:
        return f"{self.unit_code.lower()}.designee"

    @property
    def staff(self) -> str:
        return f"{self.unit_code.lower()}.staff"

    def due(self) -> datetime:
        return derive_due(
            self.received, self.limit.limit, self.steps, self.w.calendar
        ).at

    def between(self, a: datetime, b: datetime, n: int) -> list[datetime]:
        """``n`` moments in (a, b), sorted, to the second."""
        span = max((b - a).total_seconds(), n + 1.0)
        marks = sorted(self.rng.uniform(0.02, 0.98) * span for _ in range(n))
        return [a + timedelta(seconds=int(m)) for m in marks]

    def later(self, at: datetime, low_hours: float, high_hours: float) -> datetime:
        seconds = self.rng.uniform(low_hours, high_hours) * 3600
        return at + timedelta(seconds=int(seconds))

    def new_reply(self, **row: Any) -> int:
        self.replies += 1
        pk = self.id * REPLY_IDS + self.replies
        self.w.add("orders_reply", (pk, self.id, *row.values()))
        return pk

    def new_request(self, **row: Any) -> int:
        self.requests += 1
        pk = self.id * REQUEST_IDS + self.requests
        self.w.add("orders_request", (pk, self.id, *row.values()))
        return pk

    # -- the story ----------------------------------------------------

    def play(self) -> set[str]:
        rng, tags = self.rng, set()
        self.source = choose(rng, SOURCE_MIX)
        self.kind = choose(rng, KIND_MIX)
        self.category = choose(rng, CATEGORY_MIX)
        self.district = choose(rng, DISTRICT_MIX)
        category_id, self.urgency, self.parent = self.city.categories[self.category]
        self.category_id = category_id
        self.limit = self.w.limit(self.source, self.kind, self.category, self.urgency)
        ending = REPLY
        draw = rng.random()
        for name, share in ENDINGS:
            if draw < share:
                ending = name
                break
            draw -= share
        tags.add(ending)

        registered = self.received + timedelta(seconds=rng.randint(20, 240))
        self.registered = registered
        self.event(
            "register",
            "agent1",
            registered,
            {"source": self.source, "category": self.category},
        )
        if rng.random() < P_LATE_DISPATCH:
            delay = rng.randint(31 * 60, 4 * 3600)
            tags.add("dispatch_late")
        else:
            delay = int((registered - self.received).total_seconds())
            delay += 30 + int(rng.expovariate(1 / 480))
            delay = min(delay, 29 * 60)
        dispatched = self.received + timedelta(seconds=delay)
        self.dispatched = dispatched
        self.arrive(self.city.owners[(self.category, self.district)], dispatched)
        self.event(
            "dispatch",
            "agent1",
            dispatched,
            {"to": self.unit_code, "delay_seconds": float(delay)},
        )
        self.fact("received", self.unit, dispatched, f"{SOURCES[self.source]}转办")
        if self.source in PROMPT_SOURCES:
            self.fact(
                "dispatch",
                self.unit,
                dispatched,
                f"受理后 {delay // 60} 分钟转办",
                delay,
            )

        if ending == RETURN:
            self.play_return(tags)
        else:
            self.play_handling(ending, tags)
        self.finish()
        return tags

    def arrive(self, code: str, at: datetime) -> None:
        self.unit_code = code
        self.unit_received_at = at
        self.owners.spans.append((at, self.city.units[code]))

    def play_return(self, tags: set[str]) -> None:
        rng = self.rng
        late = self.source == "citizen_hotline" and rng.random() < 0.4
        if late:
            asked = self.later(self.dispatched, 12.5, 60)
            tags.add("return_late")
        elif self.source == "citizen_hotline":
            asked = self.later(self.dispatched, 1, 11.5)
        else:
            asked = self.later(self.dispatched, 1, 48)
        decided = self.later(asked, 1, 30)
        accept, visit = self.between(self.dispatched, asked, 2)
        self.accept(accept)
        self.visit(visit)
        given = {
            "site_check": f"到现场核实，{self.district}该处设施不属集团管辖。",
            "reason": "该处为小区自建管网，产权和维护责任属物业。",
            "legal_basis": "《城市供水条例》第三十条：用户自建管网由产权人维护。",
        }
        pk = self.new_request(
            unit_id=self.unit,
            kind="return",
            days=None,
            reason=given["reason"],
            data=dumps(given),
            late=late,
            requested_by_id=self.w.user(self.designee),
            requested_at=asked,
            state="approved",
            ops_approved_by_id=None,
            ops_approved_at=None,
            decided_by_id=self.w.user("ops1"),
            decided_at=decided,
            decision_reason="",
        )
        self.event(
            "request_return",
            self.designee,
            asked,
            {"request": pk, "late": late, **given},
        )
        self.decide(pk, "return", decided)
        self.fact("return", self.unit, asked, f"非集团管辖回退：{given['reason'][:80]}")
        if late:
            self.fact("return_late", self.unit, asked, "接收 12 小时后才申请回退")
        self.state, self.returned_at, self.return_late = "returned", asked, late
        self.closed_at = decided

    def accept(self, at: datetime) -> None:
        self.event("accept", self.designee, at)
        self.state, self.accepted_at = "handling", at

    def visit(self, at: datetime) -> None:
        self.event(
            "record_site_visit",
            self.staff,
            at,
            {
                "visited_at": at.isoformat(),
                "findings": f"到现场核实{self.category}情况，与来电反映一致。",
                "face_to_face": self.kind == "complaint",
            },
        )

    def contact(self, at: datetime) -> None:
        self.event(
            "record_contact",
            self.staff,
            at,
            {
                "contacted_at": at.isoformat(),
                "method": "phone",
                "outcome": "已电话联系来电人，了解诉求并约定上门时间。",
                "refused_meeting": False,
            },
        )

    def decide(self, pk: int, kind: str, at: datetime, **more: Any) -> None:
        data = {
            "request": pk,
            "kind": kind,
            "approved": True,
            "days": more.get("days"),
            "reason": "",
            "awaiting_review": bool(more.get("awaiting_review")),
        }
        self.event("decide_request", "ops1", at, data)

    def play_handling(self, ending: str, tags: set[str]) -> None:
        rng = self.rng
        base_due = self.due()
        extended = rng.random() < P_EXTENSION
        days = rng.randint(1, 5) if extended else 0
        due = (
            derive_due(
                self.received,
                self.limit.limit,
                [Step("extend", days=days)],
                self.w.calendar,
            ).at
            if extended
            else base_due
        )
        late = rng.random() < P_LATE
        if late:
            done = due + timedelta(seconds=int(rng.expovariate(1 / 120000)) + 600)
        else:
            done = self.dispatched + (due - self.dispatched) * rng.uniform(0.2, 0.96)
            done = done.replace(microsecond=0)
        transfer = rng.random() < P_TRANSFER
        plan = ["accept"]
        if transfer:
            plan += ["transfer", "accept"]
            tags.add("transfer")
        plan += ["contact", "visit"]
        if extended:
            plan += ["request_extension", "decide_extension"]
            tags.add("extension")
        end = min(done, base_due - timedelta(minutes=5)) if extended else done
        moments = self.between(self.dispatched, end, len(plan))
        for i, (step, at) in enumerate(zip(plan, moments, strict=True)):
            if step == "accept":
                self.accept(at)
            elif step == "transfer":
                self.transfer(at)
            elif step == "contact":
                self.contact(at)
            elif step == "visit":
                self.visit(at)
            elif step == "request_extension":
                reason = "需协调道路开挖审批，申请延期。"
                extension = self.new_request(
                    unit_id=self.unit,
                    kind="extension",
                    days=days,
                    reason=reason,
                    data="{}",
                    late=False,
                    requested_by_id=self.w.user(self.designee),
                    requested_at=at,
                    state="approved",
                    ops_approved_by_id=None,
                    ops_approved_at=None,
                    decided_by_id=self.w.user("ops1"),
                    decided_at=moments[i + 1],
                    decision_reason="",
                )
                self.event(
                    "request_extension",
                    self.designee,
                    at,
                    {"request": extension, "days": days, "reason": reason},
                )
                asked_unit = self.unit
            else:
                self.decide(extension, "extension", at, days=days)
                self.steps.append(Step("extend", days=days))
                self.fact(
                    "extension",
                    asked_unit,
                    at,
                    f"延期 {days} 个工作日：{reason[:80]}",
                    days,
                )
        if late:
            tags.add("late")

        if ending == OPEN:
            self.play_open(done, due, tags)
            return
        completion = self.complete(ending, done, late, tags)
        self.end_round(completion, due)
        self.follow_up(completion, tags, redo_allowed=ending == REPLY)

    def transfer(self, at: datetime) -> None:
        before = self.unit_code
        codes = [c for c in self.city.units if c != before]
        to = self.rng.choice(codes)
        self.event(
            "transfer",
            self.designee,
            at,
            {"from": before, "to": to, "reason": f"经核实该诉求属{to}职责，内部转办。"},
        )
        self.arrive(to, at)
        self.state, self.accepted_at = "dispatched", None

    def play_open(self, done: datetime, due: datetime, tags: set[str]) -> None:
        """Still in the unit's hands: no reply, or one awaiting judgement."""
        if self.rng.random() < 0.5:
            self.submit("resolved", done)
            self.state, self.pending_reply_at = "submitted", done
            tags.add("pending")
            if done <= due:
                return  # a reply in time holds the clock (D4)
        self.fact(
            "overdue",
            self.owners.at(due),
            due - INSTANT,
            f"时限 {format_due(due)}，此前无有效回复",
        )

    def submit(self, kind: str, at: datetime, **more: Any) -> int:
        elements: dict[str, Any] = {
            "investigation": f"到现场核查{self.category}问题，查明原因。",
            "acceptance": "已电话告知来电人，来电人表示认可。",
        }
        if kind == "resolved":
            elements["result"] = "已处理完成并恢复正常，现场已清理。"
        elif kind == "short_term":
            elements["follow_up_plan"] = more["promise"]
            elements["promised_date"] = more["promised"].isoformat()
        elif kind == "cannot_satisfy":
            elements["process"] = "多次上门沟通并组织协调。"
            elements["reasonableness"] = "诉求超出供水服务范围。"
            elements["cause"] = "相关设施规划尚未批复。"
        if more.get("caller_delay"):
            elements["delay_reason"] = "来电人要求待其出差回来后再上门处理。"
        pk = self.new_reply(
            unit_id=self.unit,
            kind=kind,
            elements=dumps(elements),
            caller_delay=bool(more.get("caller_delay")),
            submitted_by_id=self.w.user(self.designee),
            submitted_at=at,
            verdict=more.get("verdict", ""),
            judged_by_id=self.w.user(more["judge"]) if "judge" in more else None,
            judged_at=more.get("judged_at"),
            judge_reason=more.get("judge_reason", ""),
        )
        self.event("submit_reply", self.designee, at, {"reply": pk, "kind": kind})
        return pk

    def complete(
        self, ending: str, done: datetime, late: bool, tags: set[str]
    ) -> tuple[int, datetime, str, bool, datetime]:
        """Play the completion; return (unit, at, how, caller delay, when
        the follow-up may start)."""
        rng = self.rng
        if ending == REPLY and rng.random() < P_INVALID_FIRST:
            last = self.events[-1][2]
            first, judged = self.between(last, done, 2)
            pk = self.submit(
                "resolved",
                first,
                verdict="invalid",
                judge="ops1",
                judged_at=judged,
                judge_reason="回复未说明处理结果。",
            )
            self.event(
                "judge_reply",
                "ops1",
                judged,
                {
                    "reply": pk,
                    "valid": False,
                    "reason": "回复未说明处理结果。",
                    "caller_delay_accepted": False,
                },
            )
            tags.add("invalid_first")
        if ending == REPLY:
            judged = self.later(done, 0.5, 20)
            kind, more = "resolved", {}
            if rng.random() < P_SHORT_TERM:
                kind = "short_term"
                promised = done.astimezone(TZ).date() + timedelta(rng.randint(10, 60))
                more = {"promise": "待管材到货后更换整段管道。", "promised": promised}
                tags.add("commitment")
            delay = late and kind == "resolved" and rng.random() < P_CALLER_DELAY
            if delay:
                tags.add("caller_delay")
            pk = self.submit(
                kind,
                done,
                caller_delay=delay,
                verdict="valid",
                judge="ops1",
                judged_at=judged,
                **more,
            )
            self.event(
                "judge_reply",
                "ops1",
                judged,
                {
                    "reply": pk,
                    "valid": True,
                    "reason": "",
                    "caller_delay_accepted": delay,
                },
            )
            self.reply_id, self.caller_delay_accepted = pk, delay
            if kind == "short_term":
                self.commitment(more["promise"], more["promised"], done, judged)
            how = f"回复（{REPLY_LABELS[kind]}）经审核有效"
            self.state, self.valid_reply_at = "follow_up", done
            return self.unit, done, how, delay, judged
        if ending == RULED:
            ruled = self.later(done, 24, 120)
            oa_ref, reason = f"OA-{YEAR}-{self.id:07d}", "诉求不合理，回复成立。"
            pk = self.submit(
                "cannot_satisfy",
                done,
                verdict="valid",
                judge="quality1",
                judged_at=ruled,
                judge_reason=f"[{oa_ref}] {reason}",
            )
            self.event(
                "rule_cannot_satisfy",
                "quality1",
                ruled,
                {"reply": pk, "reasonable": False, "oa_ref": oa_ref, "reason": reason},
            )
            self.reply_id = pk
            self.state, self.valid_reply_at = "follow_up", done
            return (
                self.unit,
                done,
                f"诉求无法满足，经评议不合理（{oa_ref}）",
                False,
                ruled,
            )
        return self.request_closure(ending, done, tags)

    def request_closure(
        self, kind: str, asked: datetime, tags: set[str]
    ) -> tuple[int, datetime, str, bool, datetime]:
        """A plan, an unresolvable ruling or a statement, approved."""
        rng = self.rng
        decided = self.later(asked, 2, 48)
        ops_at = reviewed = None
        long = False
        if kind == "plan":
            measures = "分段更换老旧管道，施工期间设临时供水点。"
            today = asked.astimezone(TZ).date()
            span = rng.randint(100, 300) if rng.random() < P_LONG_PLAN else None
            span = span or rng.randint(15, 80)
            steps = [
                {"title": "完成设计与审批", "date": str(today + timedelta(span // 3))},
                {"title": "完成管道更换", "date": str(today + timedelta(span))},
            ]
            review_point = self.w.calendar.add_months(asked, 3).at
            long = end_of(today + timedelta(span)) > review_point
            data = {
                "measures": measures,
                "acceptance": "来电人认可方案。",
                "steps": steps,
                "long": long,
            }
            reason = measures
            event = ("request_plan", {"steps": len(steps), "long": long})
            if long:
                ops_at, reviewed = decided, self.later(decided, 24, 120)
                tags.add("plan_long")
        elif kind == "unresolvable":
            reason = "该区域属规划拆迁范围，暂不具备改造条件。"
            data = {"reason_code": "no_conditions", "explanation": reason}
            event = ("request_unresolvable", {"reason_code": "no_conditions"})
        else:
            reason = "管线位于他人产权地块内，经多次协调未获同意施工。"
            data = {"text": reason}
            event = ("request_statement", {})
        final = reviewed or decided
        pk = self.new_request(
            unit_id=self.unit,
            kind=kind,
            days=None,
            reason=reason,
            data=dumps(data),
            late=False,
            requested_by_id=self.w.user(self.designee),
            requested_at=asked,
            state="approved",
            ops_approved_by_id=self.w.user("ops1") if long else None,
            ops_approved_at=ops_at,
            decided_by_id=self.w.user("review1" if long else "ops1"),
            decided_at=final,
            decision_reason="",
        )
        self.event(event[0], self.designee, asked, {"request": pk, **event[1]})
        self.decide(pk, kind, decided, awaiting_review=long)
        if long:
            self.event(
                "review_plan",
                "review1",
                reviewed,  # type: ignore[arg-type]
                {"request": pk, "approved": True, "reason": ""},
            )
        if kind == "plan":
            self.plan_steps(steps, final, long)
        self.fact(kind, self.unit, final, f"{bj(asked)} 申请，{bj(final)} 获批")
        self.closure, self.state, self.valid_reply_at = kind, "follow_up", asked
        return self.unit, asked, f"{CLOSURE_LABELS[kind]}获批", False, final

    def plan_steps(self, steps: list[dict[str, str]], at: datetime, long: bool) -> None:
        rows = [
            ("step", s["title"], end_of(date.fromisoformat(s["date"])), False)
            for s in steps
        ]
        if long:
            last, period = rows[-1][2], 1
            while True:
                point = self.w.calendar.add_months(at, 3 * period)
                if point.at >= last:
                    break
                title = f"第 {period} 个 3 个月进展回复"
                rows.append(("checkpoint", title, point.at, point.provisional))
                period += 1
        for seq, (kind, title, due, provisional) in enumerate(rows, start=1):
            pk = self.id * STEP_IDS + seq
            row = (pk, self.id, seq, kind, title, due, provisional, False, "")
            self.w.add("orders_planstep", row)

    def commitment(
        self, promise: str, promised: date, made: datetime, judged: datetime
    ) -> None:
        """The short-term reply's promise, kept, kept late, claimed or open."""
        rng = self.rng
        due = end_of(promised)
        draw = rng.random()
        claimed = confirmed = None
        state = "open"
        if draw < 0.55:
            state, claimed = (
                "kept",
                max(judged, made + (due - made) * rng.uniform(0.3, 0.95)),
            )
        elif draw < 0.7:
            state, claimed = "kept_late", self.later(max(due, judged), 2, 240)
        elif draw < 0.8:
            state, claimed = "claimed", self.later(judged, 24, 400)
        if claimed is not None:
            claimed = claimed.replace(microsecond=0) + timedelta(seconds=1)
        if state in ("kept", "kept_late"):
            confirmed = self.later(claimed, 1, 48)  # type: ignore[arg-type]
        pk = self.id
        note = "已更换管道并恢复供水。" if claimed else ""
        self.w.add(
            "orders_commitment",
            (
                pk,
                self.id,
                self.unit,
                promise,
                due,
                state,
                made,
                claimed,
                note,
                self.w.user("ops1") if confirmed else None,
                confirmed,
            ),
        )
        if claimed is not None:
            self.afterwards.append(
                (
                    "keep_commitment",
                    self.designee,
                    claimed,
                    {"commitment": pk, "note": note},
                )
            )
        if confirmed is not None:
            data = {"commitment": pk, "confirmed": True, "state": state, "reason": ""}
            self.afterwards.append(("confirm_commitment", "ops1", confirmed, data))
        self.fact("commitment_due", self.unit, due - INSTANT, promise[:60])
        if state == "kept":
            self.fact(
                "commitment_kept",
                self.unit,
                due - INSTANT,
                f"{bj(claimed)} 兑现：{promise[:60]}",  # type: ignore[arg-type]
            )
        elif state == "kept_late":
            self.fact(
                "commitment_kept_late",
                self.unit,
                due - INSTANT,
                f"{bj(claimed)} 才兑现：{promise[:60]}",  # type: ignore[arg-type]
            )
        elif state == "open":
            self.fact("commitment_open", self.unit, due - INSTANT, promise[:60])

    def end_round(
        self, completion: tuple[int, datetime, str, bool, datetime], due: datetime
    ) -> None:
        unit, at, how, delay, _ = completion
        self.fact("completed", unit, at, how)
        if at <= due:
            self.fact("on_time", unit, at, f"{bj(at)} 办结，时限 {format_due(due)}")
        elif delay:
            note = f"时限 {format_due(due)} 后办结，来电人原因延误已认定"
            self.fact("caller_delay", unit, at, note)
        else:
            note = f"时限 {format_due(due)}，有效回复 {bj(at)}"
            self.fact("overdue", self.owners.at(due), due - INSTANT, note)

    def follow_up(
        self,
        completion: tuple[int, datetime, str, bool, datetime],
        tags: set[str],
        *,
        redo_allowed: bool,
    ) -> None:
        """The hotline's calls back after the completion (R6.1, D5)."""
        rng = self.rng
        t = self.later(completion[4], 2, 72)
        draw = rng.random()
        if draw < P_NOT_FOLLOWED:
            tags.add("awaiting_follow_up")
            return
        if draw < P_NOT_FOLLOWED + P_UNREACHABLE:
            for attempt in (1, 2, 3):
                self.failed_call(t, attempt)
                t = self.later(t, 20, 30)
            tags.add("unreachable")
            return
        if rng.random() < P_FAILED_FIRST:
            self.failed_call(t, 1)
            t = self.later(t, 20, 30)
        redo = (
            redo_allowed
            and not self.afterwards
            and self.redo_count == 0
            and rng.random() < P_REDO / (1 - P_NOT_FOLLOWED - P_UNREACHABLE)
        )
        self.reached_call(t, redo, tags)
        if redo:
            tags.add("redo")
            self.second_round(t, tags)

    def failed_call(self, at: datetime, attempt: int) -> None:
        reason = "电话无人接听"
        self.new_followup(at, reached=False, failure_reason=reason)
        unreachable = attempt >= 3
        self.event(
            "follow_up",
            "agent2",
            at,
            {
                "reached": False,
                "failure_reason": reason,
                "attempts": attempt,
                "unreachable": unreachable,
            },
        )
        if unreachable:
            self.state, self.closed_at = "closed", at
            note = f"{attempt} 次回访均未联系上来电人"
            self.fact("unreachable", self.owners.at(at), at, note)

    def new_followup(self, at: datetime, **row: Any) -> int:
        self.followups += 1
        pk = self.id * FOLLOWUP_IDS + self.followups
        self.w.add(
            "followups_followup",
            (
                pk,
                self.id,
                self.reply_id,
                self.unit,
                self.w.user("agent2"),
                at,
                row["reached"],
                row.get("failure_reason", ""),
                row.get("contacted"),
                row.get("consistent"),
                row.get("process", ""),
                row.get("result", ""),
                row.get("feedback"),
                row.get("false_report"),
                row.get("threatened", False),
                row.get("cause", ""),
                row.get("redo", False),
                "",
            ),
        )
        return pk

    def reached_call(self, at: datetime, redo: bool, tags: set[str]) -> None:
        rng = self.rng
        if redo:
            process = result = "dissatisfied"
        else:
            process = rng.choices(
                ("satisfied", "basically_satisfied", "dissatisfied"), (78, 15, 7)
            )[0]
            result = process if rng.random() < 0.8 else rng.choice(tuple(RATING_LABELS))
        dissatisfied = "dissatisfied" in (process, result)
        cause = ("unit" if redo else "objective") if dissatisfied else ""
        feedback = rng.random() < 0.93
        threatened = rng.random() < P_THREAT
        pk = self.new_followup(
            at,
            reached=True,
            contacted=True,
            consistent=True,
            process=process,
            result=result,
            feedback=feedback,
            false_report=False,
            threatened=threatened,
            cause=cause,
            redo=redo,
        )
        round_due = self.due() if redo else None
        self.event(
            "follow_up",
            "agent2",
            at,
            {
                "reached": True,
                "process": process,
                "result": result,
                "feedback": feedback,
                "consistent": True,
                "false_report": False,
                "threatened": threatened,
                "cause": cause,
                "redo": redo,
                "round_due": round_due.isoformat() if round_due else None,
            },
        )
        unit = self.unit
        self.fact(
            "followed_up",
            unit,
            at,
            f"过程{RATING_LABELS[process]}，结果{RATING_LABELS[result]}，"
            f"{'已反馈' if feedback else '未反馈'}",
        )
        for (aspect, rating), kind in RATING_KINDS.items():
            if (process if aspect == "process" else result) == rating:
                self.fact(kind, unit, at, RATING_LABELS[rating])
        if feedback:
            self.fact("feedback", unit, at, "来电人确认已反馈")
        if redo:
            kind = "redo" if self.source == "citizen_hotline" else "redo_other"
            self.fact(kind, unit, at, "不满意，单位原因")
        if threatened:
            tags.add("notice")
            self.notice(pk, at)
        if redo:
            self.state, self.valid_reply_at = "handling", None
            self.redo_count += 1
            self.steps.append(Step("restart", at=at))
        else:
            self.state, self.closed_at = "closed", at

    def notice(self, followup: int, at: datetime) -> None:
        """A threat heard on the call: confirmed, dismissed or pending."""
        draw = self.rng.random()
        state = "confirmed" if draw < 0.8 else "dismissed" if draw < 0.9 else "pending"
        decided = self.later(at, 2, 72) if state != "pending" else None
        reason = "经核实情况不属实。" if state == "dismissed" else ""
        self.w.add(
            "followups_notice",
            (
                followup,  # one notice per follow-up: its id serves
                self.id,
                self.unit,
                followup,
                at,
                state,
                self.w.user("ops1") if decided else None,
                decided,
                reason,
            ),
        )
        if decided is not None:
            data = {
                "notice": followup,
                "confirmed": state == "confirmed",
                "reason": reason,
            }
            self.afterwards.append(("decide_notice", "ops1", decided, data))
        if state == "confirmed":
            self.fact("notice", self.unit, at, "回访发现威胁来电人，已通报")

    def second_round(self, since: datetime, tags: set[str]) -> None:
        """After a redo: a new limit from the call, a reply, a call back."""
        rng = self.rng
        due = self.due()
        if rng.random() < 0.85:
            done = since + (due - since) * rng.uniform(0.2, 0.95)
            done = done.replace(microsecond=0)
        else:
            done = due + timedelta(hours=rng.uniform(2, 72))
            done = done.replace(microsecond=0)
        visit = self.between(since, done, 1)[0]
        self.visit(visit)
        judged = self.later(done, 0.5, 20)
        pk = self.submit(
            "resolved", done, verdict="valid", judge="ops1", judged_at=judged
        )
        self.event(
            "judge_reply",
            "ops1",
            judged,
            {"reply": pk, "valid": True, "reason": "", "caller_delay_accepted": False},
        )
        self.reply_id, self.state, self.valid_reply_at = pk, "follow_up", done
        completion = (self.unit, done, "回复（已解决）经审核有效", False, judged)
        self.end_round(completion, due)
        self.follow_up(completion, tags, redo_allowed=False)

    def finish(self) -> None:
        """Write the events in the order they happened, then the order."""
        # Every path appends its events in time order; the afterwards slot in
        # among the calls (a stable sort keeps ties in the order played).
        events = sorted(self.events + self.afterwards, key=lambda e: e[2])
        w = self.w
        for seq, (action, who, at, data) in enumerate(events, start=1):
            user, unit = w.city.users[who]
            w.add(
                "orders_event", (self.id, seq, action, user, unit, at, at, dumps(data))
            )
        for kind, unit, at, value, note in self.facts:
            w.add(
                "reports_fact",
                (self.id, unit, kind, at, value, note, self.parent, self.district),
            )
        deadline = derive_due(self.received, self.limit.limit, self.steps, w.calendar)
        name = self.rng.choice(SURNAMES) + self.rng.choice(("先生", "女士"))
        street = self.rng.choice(STREETS)
        w.add(
            "orders_order",
            (
                self.id,
                self.source,
                self.kind,
                self.category_id,
                False,
                self.urgency,
                f"{street}附近{self.category}问题，来电人请求尽快处理。",
                f"{self.district}{street}{self.rng.randint(1, 400)}号",
                self.district,
                name,
                f"1{self.rng.randint(3, 9)}{self.rng.randrange(10**9):09d}",
                self.received,
                self.registered,
                self.state,
                self.unit,
                self.dispatched,
                self.accepted_at,
                deadline.at,
                deadline.provisional,
                self.limit.limit.label(),
                self.limit.limit.amount,
                self.limit.limit.unit,
                self.unit_received_at,
                self.returned_at,
                self.closure,
                self.caller_delay_accepted,
                self.return_late,
                self.pending_reply_at,
                self.valid_reply_at,
                self.closed_at,
                self.redo_count,
            ),
        )


class Writer:
    """Rows of one chunk, per table, and what they need to know."""

    def __init__(self, city: City, calendar: WorkCalendar) -> None:
        self.city, self.calendar = city, calendar
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self.limits: dict[tuple[str, str, str, str], LimitRule] = {}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def user(self, name: str) -> int:
        return self.city.users[name][0]

    def limit(self, source: str, kind: str, category: str, urgency: str) -> LimitRule:
        key = (source, kind, category, urgency)
        if key not in self.limits:
            self.limits[key] = pick_limit(
                DEFAULT_LIMITS,
                source=source,
                kind=kind,
                category=category,
                urgency=urgency,
            )
        return self.limits[key]


def received_moments(
    rng: random.Random, start: datetime, end: datetime, count: int
) -> list[datetime]:
    """``count`` moments of receipt in [start, end), busier by day."""
    span, top = (end - start).total_seconds(), max(HOUR_WEIGHTS)
    moments = []
    while len(moments) < count:
        moment = start + timedelta(seconds=int(rng.random() * span))
        if rng.random() * top < HOUR_WEIGHTS[moment.astimezone(TZ).hour]:
            moments.append(moment)
    return sorted(moments)


def write_chunk(chunk: Chunk) -> dict[str, Any]:
    """Play ``chunk``'s orders and COPY their rows; return counts and the
    order ids of each path, for the sample that is checked."""
    rng = random.Random(chunk.seed)
    writer = Writer(chunk.city, calendar_from_package())
    paths: dict[str, list[int]] = {}
    moments = received_moments(rng, chunk.start, chunk.end, chunk.count)
    for n, received in enumerate(moments):
        order_id = chunk.first + n
        for tag in Story(writer, order_id, received, rng).play():
            paths.setdefault(tag, []).append(order_id)

    counts = {}
    with psycopg.connect(chunk.dsn) as connection:
        with connection.cursor() as cursor:
            for table in TABLES:
                columns = ", ".join(COLUMNS[table].split())
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in writer.rows[table]:
                        copy.write_row(row)
                counts[table] = len(writer.rows[table])
    return {"counts": counts, "paths": {k: v[:50] for k, v in paths.items()}}
