"""D3: the base time limit is picked from a table, most specific first."""

from __future__ import annotations

from datetime import datetime

import pytest

from gongdan.rules.limits import (
    DEFAULT_LIMITS,
    LimitRule,
    TimeLimit,
    due_time,
    pick_limit,
)
from gongdan.rules.workdays import TZ, WorkCalendar


def pick(**order: str | None) -> TimeLimit:
    fields = {"source": None, "kind": None, "category": None, "urgency": None}
    fields.update(order)
    return pick_limit(DEFAULT_LIMITS, **fields).limit


def test_d3_labels_in_chinese() -> None:
    assert TimeLimit(24, "hours").label() == "24小时"
    assert TimeLimit(3, "workdays").label() == "3个工作日"


def test_d3_bad_limit_refused() -> None:
    with pytest.raises(ValueError):
        TimeLimit(3, "days")
    with pytest.raises(ValueError):
        TimeLimit(0, "hours")


def test_d3_defaults_by_category_urgency_kind() -> None:
    assert pick(kind="complaint", category="施工", urgency="urgent") == TimeLimit(
        13, "workdays"
    )
    assert pick(kind="report", category="违章用水") == TimeLimit(13, "workdays")
    assert pick(kind="complaint", category="服务态度") == TimeLimit(3, "workdays")
    assert pick(kind="help", category="其他") == TimeLimit(1, "workdays")
    assert pick(kind="complaint", category="停水", urgency="urgent") == TimeLimit(
        24, "hours"
    )
    assert pick(kind="consultation", category="水费") == TimeLimit(3, "workdays")
    assert pick(kind="help", category="水表") == TimeLimit(3, "workdays")
    assert pick(kind="praise", category="漏水") == TimeLimit(3, "workdays")
    assert pick(kind="complaint", category="水表") == TimeLimit(7, "workdays")
    assert pick(kind="report", category="漏水") == TimeLimit(7, "workdays")
    assert pick(kind="suggestion", category="停水") == TimeLimit(7, "workdays")
    assert pick(kind="other_kind", category="水质") == TimeLimit(5, "workdays")


def test_d3_every_default_has_a_note_and_a_catch_all_ends() -> None:
    catch_all = DEFAULT_LIMITS[-1]

    assert all(rule.note for rule in DEFAULT_LIMITS)
    assert catch_all.limit == TimeLimit(5, "workdays")
    assert catch_all.criteria() == {}
    assert len(DEFAULT_LIMITS) == 12


def test_d3_most_specific_rule_wins() -> None:
    general = LimitRule(TimeLimit(5, "workdays"), kind="complaint")
    specific = LimitRule(
        TimeLimit(2, "workdays"), kind="complaint", source="citizen_hotline"
    )
    rules = [general, specific]

    chosen = pick_limit(
        rules, source="citizen_hotline", kind="complaint", category="水表", urgency=None
    )

    assert chosen is specific


def test_d3_tie_goes_to_earliest() -> None:
    first = LimitRule(TimeLimit(1, "workdays"), category="水表")
    second = LimitRule(TimeLimit(9, "workdays"), kind="complaint")

    chosen = pick_limit(
        [first, second], source=None, kind="complaint", category="水表", urgency=None
    )

    assert chosen is first


def test_d3_no_match_raises_lookup_error() -> None:
    rules = [LimitRule(TimeLimit(1, "workdays"), category="水表")]

    with pytest.raises(LookupError):
        pick_limit(rules, source=None, kind="complaint", category="停水", urgency=None)


def test_d3_due_time_in_hours_and_workdays(calendar: WorkCalendar) -> None:
    received = datetime(2026, 9, 30, 17, 0, tzinfo=TZ)

    by_hours = due_time(received, TimeLimit(24, "hours"), calendar)
    by_days = due_time(received, TimeLimit(5, "workdays"), calendar)

    assert by_hours.at == datetime(2026, 10, 1, 17, 0, tzinfo=TZ)
    assert by_days.at == datetime(2026, 10, 14, 0, 0, tzinfo=TZ)
