"""The assessment per unit and for the group, and the orders behind it.

Reports read; they never write. Every figure is a count of facts
(``reports.facts``) whose moment falls in the period, each fact under the
unit that owned the order at that moment; rates are exact fractions of
such counts (R6.3, D5). docs/assessment.md defines each figure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongdan.org.models import Unit, UnitKind
from gongdan.rules.satisfaction import Rates, rates_of_counts
from gongdan.rules.workdays import TZ

from .facts import INSTANT, TIMED_KINDS
from .models import Fact


@dataclass(frozen=True)
class Figure:
    """One column of the assessment: the facts of ``kind`` in the period."""

    key: str
    label: str
    rule: str
    kind: str
    definition: str


FIGURES: tuple[Figure, ...] = (
    Figure(
        "received",
        "受理",
        "R1.3",
        "received",
        "热线转办给本单位的工单，按转办时间计",
    ),
    Figure(
        "dispatched",
        "热线转办",
        "R1.3",
        "dispatch",
        "市民热线、城建热线转办给本单位的工单（计算转办用时）",
    ),
    Figure(
        "dispatch_late",
        "转办超时",
        "R1.3",
        "dispatch",
        "其中受理后超过规定分钟数才转办的工单",
    ),
    Figure(
        "completed",
        "办结",
        "R3.1",
        "completed",
        "有效回复（或获批的方案、无法解决、情况说明）所在单位，按有效回复时间计",
    ),
    Figure(
        "on_time",
        "按时办结",
        "R3.6",
        "on_time",
        "办结不晚于办理时限",
    ),
    Figure(
        "overdue",
        "超期",
        "R3.6 R4.6 D4",
        "overdue",
        "办理时限已过而无有效回复（含到期后才有有效回复），按时限计入到期时的责任单位",
    ),
    Figure(
        "caller_delay",
        "来电人原因延误",
        "R4.5 D4",
        "caller_delay",
        "时限后办结，来电人原因经运营管理部认定，不计超期",
    ),
    Figure(
        "extension",
        "延期",
        "R4.2",
        "extension",
        "获批的延期申请，按批准时间计",
    ),
    Figure(
        "plan",
        "方案解决",
        "R4.3",
        "plan",
        "获批的方案解决，按最终批准时间计",
    ),
    Figure(
        "unresolvable",
        "无法解决",
        "R4.4",
        "unresolvable",
        "获批的无法解决，按批准时间计",
    ),
    Figure(
        "statement",
        "情况说明",
        "R5.3",
        "statement",
        "获批的情况说明，按批准时间计",
    ),
    Figure(
        "return",
        "回退",
        "R5.4",
        "return",
        "获批的非集团管辖回退，按申请时间计",
    ),
    Figure(
        "return_late",
        "超时回退",
        "R5.4",
        "return_late",
        "接收 12 小时后才申请的回退",
    ),
    Figure(
        "redo",
        "重办",
        "R5.5",
        "redo",
        "因单位原因重办的市民热线工单，按回访时间计",
    ),
    Figure(
        "redo_other",
        "其他来源重办",
        "R5.5",
        "redo_other",
        "因单位原因重办的其他来源工单",
    ),
    Figure(
        "notice",
        "通报",
        "R5.6",
        "notice",
        "回访发现威胁来电人并经运营管理部确认",
    ),
    Figure(
        "commitment_due",
        "到期承诺",
        "R3.7",
        "commitment_due",
        "承诺解决时限落在期间内且已到期的承诺事项",
    ),
    Figure(
        "commitment_kept",
        "按期兑现",
        "R3.7",
        "commitment_kept",
        "到期前报兑现并经确认",
    ),
    Figure(
        "commitment_kept_late",
        "逾期兑现",
        "R3.7",
        "commitment_kept_late",
        "到期后才报兑现并经确认",
    ),
    Figure(
        "commitment_broken",
        "未兑现",
        "R3.7",
        "commitment_open",
        "已到期仍未报兑现",
    ),
    Figure(
        "followed_up",
        "回访",
        "R6.1 D5",
        "followed_up",
        "联系上来电人的回访，按回访时间计",
    ),
    Figure(
        "unreachable",
        "未回访到",
        "D5",
        "unreachable",
        "多次回访均未联系上来电人，另行统计",
    ),
)
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}
# The inputs of the R6.3 rates, kept for the formula sheet and drill-downs.
INPUTS: tuple[Figure, ...] = (
    Figure(
        "feedback",
        "已反馈",
        "R6.3 D10",
        "feedback",
        "来电人确认单位已反馈",
    ),
    Figure(
        "process_satisfied",
        "过程满意",
        "R6.2",
        "process_satisfied",
        "",
    ),
    Figure(
        "process_basic",
        "过程基本满意",
        "R6.2",
        "process_basic",
        "",
    ),
    Figure(
        "result_satisfied",
        "结果满意",
        "R6.2",
        "result_satisfied",
        "",
    ),
    Figure(
        "result_basic",
        "结果基本满意",
        "R6.2",
        "result_basic",
        "",
    ),
)
INPUT_BY_KEY = {figure.key: figure for figure in INPUTS}
RATE_LABELS = {
    "feedback_rate": "反馈率",
    "process_satisfaction": "过程满意率",
    "result_satisfaction": "结果满意率",
    "user_satisfaction": "用户满意率",
}


class PeriodError(ValueError):
    """A period asked for that cannot be read; ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# A day as the pages and the API write it: ASCII digits only.
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A unit's code as the organisation table holds them.
UNIT_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,31}")


@dataclass(frozen=True)
class Period:
    """A half-open span [start, end) of Beijing time, with its name."""

    label: str
    start: datetime
    end: datetime

    @property
    def query(self) -> str:
        """The query string that names this period in links."""
        if re.fullmatch(r"\d{4}Q[1-4]", self.label):
            return f"quarter={self.label}"
        last = (self.end - timedelta(days=1)).astimezone(TZ).date()
        return f"start={self.start.astimezone(TZ).date()}&end={last}"


def quarter_bounds(quarter: str) -> tuple[datetime, datetime]:
    """``2026Q3`` → [2026-07-01 00:00, 2026-10-01 00:00) in Beijing time."""
    match = re.fullmatch(r"([0-9]{4})Q([1-4])", quarter.strip().upper())
    if not match:
        raise ValueError("季度格式应为 2026Q3")
    year, q = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100:
        raise ValueError("年份须在 2000–2100 之间")
    start = datetime(year, 3 * q - 2, 1, tzinfo=TZ)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=TZ)
    return start, end


def quarter_period(quarter: str) -> Period:
    start, end = quarter_bounds(quarter)
    return Period(quarter.strip().upper(), start, end)


def date_period(first: date, last: date) -> Period:
    """The days ``first`` to ``last``, both included."""
    for name, day in (("start", first), ("end", last)):
        if not 2000 <= day.year <= 2100:
            raise PeriodError(name, "日期须在 2000–2100 年之间")
    if last < first:
        raise PeriodError("end", "结束日期不能早于开始日期")
    start = datetime(first.year, first.month, first.day, tzinfo=TZ)
    end = datetime(last.year, last.month, last.day, tzinfo=TZ) + timedelta(days=1)
    return Period(f"{first}～{last}", start, end)


def period_from(params: Mapping[str, str | None]) -> Period:
    """Read ``quarter=2026Q3``, or ``start`` and ``end`` dates (both days
    included); with neither, the current quarter."""
    first, last = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    if first or last:
        days = []
        for name, value, label in (("start", first, "开始"), ("end", last, "结束")):
            if not value:
                raise PeriodError(name, f"请填写{label}日期")
            if not DAY.fullmatch(value):
                raise PeriodError(name, f"{label}日期须写作 2026-07-01")
            try:
                days.append(date.fromisoformat(value))
            except ValueError:
                raise PeriodError(name, f"{label}日期不存在：{value}") from None
        return date_period(days[0], days[1])
    quarter = (params.get("quarter") or current_quarter()).strip().upper()
    try:
        return quarter_period(quarter)
    except ValueError as error:
        raise PeriodError("quarter", str(error)) from None


def current_quarter(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def dispatch_limit_seconds() -> int:
    return int(settings.GONGDAN_DISPATCH_DELAY_MINUTES) * 60


@dataclass
class UnitFigures:
    """The figures of one unit, or of the group (``code == "TOTAL"``)."""

    code: str
    name: str
    pk: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    dispatch_seconds: int = 0

    @property
    def rates(self) -> Rates:
        c = self.counts
        return rates_of_counts(
            c["followed_up"],
            c["feedback"],
            c["process_satisfied"] + c["process_basic"],
            c["result_satisfied"] + c["result_basic"],
        )

    @property
    def dispatch_minutes(self) -> Fraction | None:
        """The mean minutes from receipt to dispatch (R1.3)."""
        n = self.counts["dispatched"]
        return Fraction(self.dispatch_seconds, 60 * n) if n else None

    def add(self, other: UnitFigures) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        self.dispatch_seconds += other.dispatch_seconds

    def as_dict(self) -> dict[str, object]:
        r = self.rates
        data: dict[str, object] = {"unit": self.code, "name": self.name}
        for figure in (*FIGURES, *INPUTS):
            data[figure.key] = self.counts[figure.key]
        data["dispatch_minutes"] = self.dispatch_minutes
        data.update(
            {
                "feedback_rate": r.feedback_rate,
                "process_satisfaction": r.process,
                "result_satisfaction": r.result,
                "user_satisfaction": r.user,
            }
        )
        return data


@dataclass
class Assessment:
    period: Period
    now: datetime
    units: list[UnitFigures]
    total: UnitFigures
    # The group's counts per month of the period, by fact kind.
    months: list[UnitFigures] = field(default_factory=list)
    _breakdowns: dict[str, list[dict[str, object]]] | None = None

    def monthly(self) -> list[dict[str, object]]:
        """Per month: received, overdue, followed up and the user
        satisfaction of that month's follow-ups, for the whole group."""
        return [
            {
                "month": month.code,
                "received": month.counts["received"],
                "overdue": month.counts["overdue"],
                "followed_up": month.counts["followed_up"],
                "user_satisfaction": month.rates.user,
            }
            for month in self.months
        ]

    def breakdown(self, by: str) -> list[dict[str, object]]:
        """Received and overdue by category or district (one query for
        both, asked once)."""
        if self._breakdowns is None:
            self._breakdowns = breakdowns(self.period, self.now)
        return self._breakdowns[by]

    def row(self, code: str) -> UnitFigures | None:
        return next((u for u in [*self.units, self.total] if u.code == code), None)


def counted(period: Period, now: datetime) -> QuerySet[Fact]:
    """The facts of the period, the timed ones only once their deadline
    has passed: a deadline's fact is kept at the instant before it
    (``facts.deadline_moment``), so it has passed when that is earlier
    than one instant before ``now``."""
    return Fact.objects.filter(at__gte=period.start, at__lt=period.end).filter(
        ~Q(kind__in=TIMED_KINDS) | Q(at__lt=now - INSTANT)
    )


def assess(period: Period, now: datetime | None = None) -> Assessment:
    """Figures per unit and for the group, in one pass over the facts."""
    now = now or timezone.now()
    units = {
        u.pk: UnitFigures(u.code, u.name, u.pk)
        for u in Unit.objects.filter(kind=UnitKind.UNIT).order_by("code")
    }
    limit = dispatch_limit_seconds()
    by_kind: dict[str, list[str]] = defaultdict(list)
    for figure in (*FIGURES, *INPUTS):
        if figure.key != "dispatch_late":
            by_kind[figure.kind].append(figure.key)
    # Every column read is in the fact_period index, so PostgreSQL answers
    # from the index alone (an index-only scan): count rows, not ids, and
    # count the late dispatches by their value.
    # The months of the trend are counted in the same pass, by ranges of
    # ``at`` that the index holds too.
    months = month_bounds(period)
    by_month = {
        f"m{i}": Count("at", filter=Q(at__gte=start, at__lt=end))
        for i, (_, start, end) in enumerate(months)
    }
    rows = (
        counted(period, now)
        .values("unit_id", "kind")
        .annotate(
            n=Count("*"),
            total=Sum("value"),
            late=Count("value", filter=Q(kind="dispatch", value__gt=limit)),
            **by_month,
        )
        .order_by()
    )
    rows = list(rows)
    trend = {label: UnitFigures(label, label) for label, _, _ in months}
    for row in rows:
        for i, (label, _, _) in enumerate(months):
            trend[label].counts[row["kind"]] += row[f"m{i}"]
    # A unit that is no longer a handling unit keeps the facts it had: they
    # are shown under it, so that nothing counted vanishes from the total.
    strays = {row["unit_id"] for row in rows} - set(units)
    for unit in Unit.objects.filter(pk__in=strays).order_by("code"):
        units[unit.pk] = UnitFigures(unit.code, unit.name, unit.pk)
    for row in rows:
        figures = units[row["unit_id"]]
        for key in by_kind.get(row["kind"], ()):
            figures.counts[key] += row["n"]
        if row["kind"] == "dispatch":
            figures.counts["dispatch_late"] += row["late"]
            figures.dispatch_seconds += int(row["total"] or 0)
    total = UnitFigures("TOTAL", "集团合计")
    for figures in units.values():
        total.add(figures)
    return Assessment(period, now, list(units.values()), total, list(trend.values()))


def report_unit(code: str | None) -> Unit | None:
    """The unit a report link names, or None for the group (``TOTAL`` or
    nothing); raise ``PeriodError`` on ``unit`` for anything else."""
    code = (code or "TOTAL").strip().upper()
    if code == "TOTAL":
        return None
    unit = None
    if UNIT_CODE.fullmatch(code):
        unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise PeriodError("unit", "没有这个责任单位。")
    return unit


def figure_of(key: str | None) -> Figure:
    """The figure or rate input a report link names."""
    figure = FIGURE_BY_KEY.get(key or "") or INPUT_BY_KEY.get(key or "")
    if figure is None:
        raise PeriodError("figure", "没有这个指标。")
    return figure


def figure_facts(
    key: str, period: Period, unit: Unit | None = None, now: datetime | None = None
) -> QuerySet[Fact]:
    """The facts behind one figure (or rate input), oldest first: the
    drill-down list. ``unit`` None means the whole group."""
    figure = FIGURE_BY_KEY.get(key) or INPUT_BY_KEY.get(key)
    if figure is None:
        raise KeyError(key)
    facts = counted(period, now or timezone.now()).filter(kind=figure.kind)
    if key == "dispatch_late":
        facts = facts.filter(value__gt=dispatch_limit_seconds())
    if unit is not None:
        facts = facts.filter(unit=unit)
    return facts.select_related("order", "order__category", "unit").order_by("at", "pk")


def month_bounds(period: Period) -> list[tuple[str, datetime, datetime]]:
    """The calendar months the period touches, each cut to the period."""
    found = []
    cursor = period.start.astimezone(TZ).date().replace(day=1)
    while True:
        start = datetime(cursor.year, cursor.month, 1, tzinfo=TZ)
        if start >= period.end:
            return found
        following = (cursor + timedelta(days=32)).replace(day=1)
        end = datetime(following.year, following.month, 1, tzinfo=TZ)
        found.append(
            (f"{cursor:%Y-%m}", max(start, period.start), min(end, period.end))
        )
        cursor = following


BREAKDOWN_COLUMNS = {"category": "category", "district": "district"}
UNFILLED = "未填"


def breakdowns(
    period: Period, now: datetime | None = None
) -> dict[str, list[dict[str, object]]]:
    """Both breakdowns from one pass over the fact_groups index."""
    rows = (
        counted(period, now or timezone.now())
        .filter(kind__in=("received", "overdue"))
        .values("category", "district", "kind")
        .annotate(n=Count("*"))
        .order_by()
    )
    tables: dict[str, dict[str, dict[str, int]]] = {
        by: defaultdict(lambda: {"received": 0, "overdue": 0})
        for by in BREAKDOWN_COLUMNS
    }
    for row in rows:
        for by, column in BREAKDOWN_COLUMNS.items():
            tables[by][row[column] or UNFILLED][row["kind"]] += row["n"]
    return {
        by: [
            {"name": name, **counts}
            for name, counts in sorted(
                table.items(), key=lambda item: (-item[1]["received"], item[0])
            )
        ]
        for by, table in tables.items()
    }


def facts_in_group(facts: QuerySet[Fact], by: str, name: str) -> QuerySet[Fact]:
    """Narrow drill-down facts to one line of ``breakdown``: the orders of
    one category (upper level) or district, blank ones under ``UNFILLED``."""
    column = BREAKDOWN_COLUMNS[by]
    if name == UNFILLED:
        blank = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
        return facts.filter(blank | Q(**{column: UNFILLED}))
    return facts.filter(**{column: name})


@dataclass(frozen=True)
class DrillDown:
    """What a link to the orders behind a figure asks for (R4.6)."""

    period: Period
    figure: Figure
    unit: Unit | None  # None: the whole group
    groups: tuple[tuple[str, str], ...]  # (category|district, name) filters
    facts: QuerySet[Fact]  # every fact behind it, oldest first

    @property
    def code(self) -> str:
        return self.unit.code if self.unit else "TOTAL"


def drill_down(
    params: Mapping[str, str | None], now: datetime | None = None
) -> DrillDown:
    """Read a drill-down link: period, figure, unit, and the category or
    district a chart narrowed it to; ``PeriodError`` names a bad input."""
    period = period_from(params)
    figure = figure_of(params.get("figure"))
    unit = report_unit(params.get("unit"))
    facts = figure_facts(figure.key, period, unit, now)
    groups = []
    for by in BREAKDOWN_COLUMNS:
        name = (params.get(by) or "").strip()
        if name:
            facts = facts_in_group(facts, by, name)
            groups.append((by, name))
    return DrillDown(period, figure, unit, tuple(groups), facts)


def fraction_out(value: Fraction | None) -> float | None:
    """A rate as a number for JSON: a fraction of 1 with full precision."""
    return None if value is None else round(float(value), 10)


def report_json(period: Period, now: datetime | None = None) -> dict[str, object]:
    """The assessment as plain data: the API and ``gongdan report``."""
    result = assess(period, now)

    def out(figures: UnitFigures) -> dict[str, object]:
        data = figures.as_dict()
        for key in (*RATE_LABELS, "dispatch_minutes"):
            data[key] = fraction_out(data[key])  # type: ignore[arg-type]
        return data

    return {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "dispatch_delay_minutes": int(settings.GONGDAN_DISPATCH_DELAY_MINUTES),
        "units": [out(u) for u in result.units],
        "total": out(result.total),
    }


# Roles that read the assessment: it compares every unit with the others.
REPORT_ROLES = ("ops", "admin", "agent", "followup", "head")


def may_see_report(user) -> bool:  # type: ignore[no-untyped-def]
    """The hotline (agents and follow-up agents), the operations dept,
    administrators and unit heads; the pages and the API ask this alone."""
    from gongdan.org.models import Person

    if getattr(user, "is_superuser", False):
        return True
    return Person.of(user).has(*REPORT_ROLES)
