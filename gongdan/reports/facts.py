"""Derive the facts the assessment counts from an order's history.

Each fact belongs to the unit that owned the order when the fact
happened, at the moment it happened: a transfer moves the later facts to
the new unit and leaves the earlier ones where they were (docs/
assessment.md defines every kind). ``refresh_facts`` replaces one order's
rows; the actions call it, through ``orders.actions.changes_orders``,
inside the transaction that appends the event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from gongdan.followups.models import FollowUp, Notice
from gongdan.orders.models import Commitment, Order, Reply, Request
from gongdan.org.models import Unit
from gongdan.rules.intake import SOURCES
from gongdan.rules.workdays import format_due

from .models import Fact

logger = logging.getLogger(__name__)

# R1.3: the hotlines whose orders go to the unit "at once".
PROMPT_SOURCES = ("citizen_hotline", "construction_hotline")
# Kinds that count only once their moment has passed: an overdue order's
# due time, a commitment's date (D4, R3.7): a period still running counts
# the commitments that have fallen due so far.
TIMED_KINDS = (
    "overdue",
    "commitment_due",
    "commitment_kept",
    "commitment_kept_late",
    "commitment_open",
)
RATING_KINDS = {
    ("process", "satisfied"): "process_satisfied",
    ("process", "basically_satisfied"): "process_basic",
    ("result", "satisfied"): "result_satisfied",
    ("result", "basically_satisfied"): "result_basic",
}
RATING_LABELS = {"satisfied": "满意", "basically_satisfied": "基本满意"}
RATING_LABELS["dissatisfied"] = "不满意"
CLOSURE_KINDS = {
    "plan": "方案解决",
    "unresolvable": "无法解决",
    "statement": "情况说明",
}


# A deadline's fact is kept at the last instant before it, so that a due
# time of 24:00 (stored as 00:00 of the next day, D2) counts in the day,
# month and quarter whose end it is. The report counts such a fact once
# the deadline itself has passed (``queries.counted``).
INSTANT = timedelta(microseconds=1)


def deadline_moment(due: datetime) -> datetime:
    return due - INSTANT


@dataclass(frozen=True)
class FactRow:
    kind: str
    unit_id: int
    at: datetime
    note: str = ""
    value: int | None = None


@dataclass
class Completion:
    """How one round of handling ended with a valid reply (R3.6)."""

    unit_id: int
    at: datetime
    how: str
    caller_delay: bool = False


def bj(moment: datetime) -> str:
    from gongdan.rules.workdays import TZ

    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


class Owners:
    """Which unit held the order at each moment (dispatch and transfers)."""

    def __init__(self, codes: dict[str, int]) -> None:
        self.codes = codes
        self.spans: list[tuple[datetime, int]] = []

    def arrive(self, at: datetime, data: dict[str, object]) -> int | None:
        """The unit an event sent the order to: by its id where the event
        records it, else by the code it recorded."""
        unit_id = data.get("to_id")
        if not isinstance(unit_id, int) or unit_id not in self.codes.values():
            unit_id = self.codes.get(str(data.get("to", "")))
        if unit_id is not None:
            self.spans.append((at, unit_id))
        return unit_id

    @property
    def first_arrival(self) -> datetime | None:
        return self.spans[0][0] if self.spans else None

    def at(self, moment: datetime) -> int | None:
        """The unit holding the order at ``moment``; None before any did."""
        holder = None
        for start, unit_id in self.spans:
            if start <= moment:
                holder = unit_id
        return holder


def derive_facts(order: Order, codes: dict[str, int] | None = None) -> list[FactRow]:
    """Every countable fact of ``order``, from its events and records."""
    if order.duplicate_of_id is not None:
        return []  # a merged repeat call counts nowhere (docs/decisions.md)
    codes = codes if codes is not None else unit_codes()
    replies = {r.pk: r for r in Reply.objects.filter(order=order)}
    requests = {r.pk: r for r in Request.objects.filter(order=order)}
    followups = list(FollowUp.objects.filter(order=order).order_by("at", "pk"))
    confirmed = {
        n.followup_id for n in Notice.objects.filter(order=order, state="confirmed")
    }
    owners = Owners(codes)
    facts: list[FactRow] = []
    completion: Completion | None = None
    source = SOURCES.get(order.source, order.source)

    def end_round(due: datetime | None) -> None:
        """Count the round that ends: on time, caller delay or overdue."""
        facts.extend(round_facts(order, completion, due, owners))

    for event in order.events.order_by("seq"):
        data = event.data or {}
        action = event.action
        if action == "dispatch":
            unit_id = owners.arrive(event.at, data)
            if unit_id is None:
                continue
            facts.append(FactRow("received", unit_id, event.at, f"{source}转办"))
            if order.source in PROMPT_SOURCES:
                delay = int(round(float(data.get("delay_seconds") or 0)))
                facts.append(
                    FactRow(
                        "dispatch",
                        unit_id,
                        event.at,
                        f"受理后 {delay // 60} 分钟转办",
                        max(delay, 0),
                    )
                )
        elif action == "transfer":
            owners.arrive(event.at, data)
        elif action == "judge_reply" and data.get("valid"):
            reply = replies.get(data.get("reply"))
            if reply is not None:
                completion = Completion(
                    reply.unit_id,
                    reply.submitted_at,
                    f"回复（{reply.get_kind_display()}）经审核有效",
                    bool(data.get("caller_delay_accepted")),
                )
        elif action == "rule_cannot_satisfy" and not data.get("reasonable"):
            reply = replies.get(data.get("reply"))
            if reply is not None:
                completion = Completion(
                    reply.unit_id,
                    reply.submitted_at,
                    f"诉求无法满足，经评议不合理（{data.get('oa_ref', '')}）",
                )
        elif action in ("decide_request", "review_plan") and data.get("approved"):
            request = requests.get(data.get("request"))
            if request is None or data.get("awaiting_review"):
                continue
            facts.extend(request_facts(request, event.at))
            if request.kind in CLOSURE_KINDS:
                completion = Completion(
                    request.unit_id,
                    request.requested_at,
                    f"{CLOSURE_KINDS[request.kind]}获批",
                )
        elif action == "follow_up":
            if data.get("redo"):
                end_round(parse_moment(data.get("round_due")) or order.due_at)
                completion = None
            elif data.get("unreachable"):
                unit_id = owners.at(event.at)
                if unit_id is not None:
                    facts.append(
                        FactRow(
                            "unreachable",
                            unit_id,
                            event.at,
                            f"{data.get('attempts', '')} 次回访均未联系上来电人",
                        )
                    )

    if order.state != "returned" and owners.spans:
        end_round(order.due_at)
    facts.extend(followup_facts(order, followups, confirmed))
    facts.extend(commitment_facts(Commitment.objects.filter(order=order)))
    return facts


def round_facts(
    order: Order,
    completion: Completion | None,
    due: datetime | None,
    owners: Owners,
) -> list[FactRow]:
    """The facts of one round of handling (R3.6, R4.5, R4.6, D4)."""
    rows: list[FactRow] = []
    if completion is not None:
        rows.append(
            FactRow("completed", completion.unit_id, completion.at, completion.how)
        )
        if due is None or completion.at <= due:
            rows.append(
                FactRow(
                    "on_time",
                    completion.unit_id,
                    completion.at,
                    f"{bj(completion.at)} 办结，时限 {format_due(due) if due else '—'}",
                )
            )
            return rows
        if completion.caller_delay:
            rows.append(
                FactRow(
                    "caller_delay",
                    completion.unit_id,
                    completion.at,
                    f"时限 {format_due(due)} 后办结，来电人原因延误已认定",
                )
            )
            return rows
        rows.extend(
            overdue_facts(due, owners, f"有效回复 {bj(completion.at)}")
            or [
                FactRow(
                    "overdue",
                    completion.unit_id,
                    deadline_moment(due),
                    f"时限 {format_due(due)}，有效回复 {bj(completion.at)}",
                )
            ]
        )
        return rows
    if due is None:
        return rows
    # No valid reply yet: a reply awaiting judgement, submitted in time,
    # holds the clock (D4); otherwise the order is overdue once ``due``
    # has passed, which the report checks against the moment of asking.
    if order.pending_reply_at is not None and order.pending_reply_at <= due:
        return rows
    rows.extend(overdue_facts(due, owners, "此前无有效回复"))
    return rows


def overdue_facts(due: datetime, owners: Owners, how: str) -> list[FactRow]:
    """The overdue of a round, for the unit holding the order when its due
    time passed; an order that reached its first unit only after its due
    time counts for that unit, at the moment it arrived (D4)."""
    moment, note = deadline_moment(due), f"时限 {format_due(due)}，{how}"
    first = owners.first_arrival
    if first is not None and first > due:
        moment = first
        note = f"转办到单位时已超过时限 {format_due(due)}，{how}"
    unit_id = owners.at(moment)
    if unit_id is None:
        return []
    return [FactRow("overdue", unit_id, moment, note)]


def request_facts(request: Request, decided_at: datetime) -> list[FactRow]:
    """An approved request's own figure (R4.2–R4.4, R5.3, R5.4)."""
    unit_id = request.unit_id
    if request.kind == "extension":
        return [
            FactRow(
                "extension",
                unit_id,
                decided_at,
                f"延期 {request.days} 个工作日：{request.reason[:80]}",
                request.days,
            )
        ]
    if request.kind == "return":
        rows = [
            FactRow(
                "return",
                unit_id,
                request.requested_at,
                f"非集团管辖回退：{request.reason[:80]}",
            )
        ]
        if request.late:
            rows.append(
                FactRow(
                    "return_late",
                    unit_id,
                    request.requested_at,
                    "接收 12 小时后才申请回退",
                )
            )
        return rows
    if request.kind in CLOSURE_KINDS:
        return [
            FactRow(
                request.kind,
                unit_id,
                decided_at,
                f"{bj(request.requested_at)} 申请，{bj(decided_at)} 获批",
            )
        ]
    return []


def followup_facts(
    order: Order, followups: Iterable[FollowUp], confirmed: set[int]
) -> list[FactRow]:
    """Follow-ups that reached the caller, their ratings, redos, notices."""
    rows: list[FactRow] = []
    for call in followups:
        if not call.reached:
            continue
        process = RATING_LABELS.get(call.process, call.process)
        result = RATING_LABELS.get(call.result, call.result)
        told = "已反馈" if call.feedback else "未反馈"
        rows.append(
            FactRow(
                "followed_up",
                call.unit_id,
                call.at,
                f"过程{process}，结果{result}，{told}",
            )
        )
        for (aspect, rating), kind in RATING_KINDS.items():
            if getattr(call, aspect) == rating:
                rows.append(FactRow(kind, call.unit_id, call.at, RATING_LABELS[rating]))
        if call.feedback:
            rows.append(FactRow("feedback", call.unit_id, call.at, "来电人确认已反馈"))
        if call.redo:
            why = []
            if call.consistent is False:
                why.append("回复与用户所述不一致")
            if call.false_report:
                why.append("虚报瞒报")
            if call.cause == "unit":
                why.append("不满意，单位原因")
            kind = "redo" if order.source == "citizen_hotline" else "redo_other"
            rows.append(FactRow(kind, call.unit_id, call.at, "，".join(why)))
        if call.pk in confirmed:
            rows.append(
                FactRow("notice", call.unit_id, call.at, "回访发现威胁来电人，已通报")
            )
    return rows


def commitment_facts(commitments: Iterable[Commitment]) -> list[FactRow]:
    """Each commitment counts in the period of its date (R3.7)."""
    rows: list[FactRow] = []
    for item in commitments:
        promise = item.promise[:60]
        moment = deadline_moment(item.due_at)
        rows.append(FactRow("commitment_due", item.unit_id, moment, promise))
        if item.state == "kept":
            rows.append(
                FactRow(
                    "commitment_kept",
                    item.unit_id,
                    moment,
                    f"{bj(item.claimed_at)} 兑现：{promise}",  # type: ignore[arg-type]
                )
            )
        elif item.state == "kept_late":
            rows.append(
                FactRow(
                    "commitment_kept_late",
                    item.unit_id,
                    moment,
                    f"{bj(item.claimed_at)} 才兑现：{promise}",  # type: ignore[arg-type]
                )
            )
        elif item.state == "open":
            # Broken once its date has passed without being reported kept.
            rows.append(FactRow("commitment_open", item.unit_id, moment, promise))
    return rows


def parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def unit_codes() -> dict[str, int]:
    return dict(Unit.objects.values_list("code", "pk"))


def groups_of(order: Order) -> tuple[str, str]:
    """The order's category (upper level) and district, as facts keep them."""
    category = order.category.parent if order.category_id else ""  # type: ignore[union-attr]
    return category[:50], (order.district or "")[:50]


def refresh_facts(order: Order | int, codes: dict[str, int] | None = None) -> int:
    """Replace the order's facts with those its history implies now.

    The order's row is locked first and read again, so that an action
    committing meanwhile cannot have its facts overwritten by those of an
    older history (an action holds the same lock already).
    """
    pk = order.pk if isinstance(order, Order) else order
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=pk)
        )
        rows = derive_facts(order, codes)
        category, district = groups_of(order)
        Fact.objects.filter(order=order).delete()
        Fact.objects.bulk_create(
            Fact(
                order=order,
                unit_id=row.unit_id,
                kind=row.kind,
                at=row.at,
                value=row.value,
                note=row.note[:200],
                category=category,
                district=district,
            )
            for row in rows
        )
    return len(rows)


def rebuild_all(batch: int = 500) -> int:
    """Derive every order's facts again from its history."""
    codes = unit_codes()
    pks = list(Order.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        with transaction.atomic():
            for pk in pks[start : start + batch]:
                refresh_facts(pk, codes)
    logger.info("facts rebuilt for %s orders", len(pks))
    return len(pks)


def stored_rows(order: Order) -> list[tuple[object, ...]]:
    return sorted(
        Fact.objects.filter(order=order).values_list(
            "kind", "unit_id", "at", "value", "note", "category", "district"
        )
    )


def derived_rows(order: Order, codes: dict[str, int]) -> list[tuple[object, ...]]:
    category, district = groups_of(order)
    return sorted(
        (row.kind, row.unit_id, row.at, row.value, row.note[:200], category, district)
        for row in derive_facts(order, codes)
    )


def check_all() -> list[int]:
    """The orders whose stored facts differ from what their history
    implies now (none, unless something wrote around the actions)."""
    codes = unit_codes()
    return [
        order.pk
        for order in Order.objects.select_related("category")
        .order_by("pk")
        .iterator(chunk_size=500)
        if stored_rows(order) != derived_rows(order, codes)
    ]
