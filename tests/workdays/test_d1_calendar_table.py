"""D1, D2: the calendar table, a year added by CSV, recomputed due times."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from gongdan.orders import actions
from gongdan.workdays.models import CalendarDay, CalendarYear
from gongdan.workdays.queries import add_year, get_calendar, missing_next_year
from tests.conftest import bj

YEAR_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-14,makeup,春节
"""


def test_d1_seeded_from_package(cast):
    calendar = get_calendar()

    assert calendar.is_known(2026)
    assert not calendar.is_workday(date(2026, 10, 5))
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday make-up day
    assert calendar.explain(date(2026, 10, 3)).name == "国庆节"


def test_d1_year_added_from_csv_ends_provisional(flow, cast):
    from gongdan.orders.models import TimeLimit

    # A 30-working-day limit from 1 December runs into 2027.
    TimeLimit.objects.create(category="漏水", kind="report", amount=30, unit="workdays")
    order = flow.handling(received_at=bj(2026, 12, 1, 10, 0))
    # 22 working days left in December, then 1, 4–8, 11, 12 January with
    # 2027 counted on weekends only.
    assert order.due_at == bj(2027, 1, 13)
    assert order.due_provisional is True
    old_due = order.due_at

    add_year(YEAR_2027, "测试")
    changed = actions.recompute_open_due_times(cast.ops, "添加 2027 年日历")

    order.refresh_from_db()
    assert changed == 1
    assert order.due_provisional is False
    # 1 January is New Year's Day: 4–8, 11, 12, 13 January.
    assert order.due_at == bj(2027, 1, 14)
    event = order.events.get(action="due_changed")
    assert event.data["old"] == old_due.isoformat()
    assert event.data["new"] == bj(2027, 1, 14).isoformat()


def test_d1_calendar_edit_moves_open_orders_only(flow, cast):
    open_order = flow.handling(received_at=bj(2026, 7, 6, 9, 0))
    closed = flow.follow_up(received_at=bj(2026, 7, 6, 9, 0))
    actions.do_follow_up(
        closed,
        cast.follower,
        reached=True,
        contacted=True,
        consistent=True,
        feedback=True,
        false_report=False,
        process="satisfied",
        result="satisfied",
    )
    closed.refresh_from_db()
    kept = closed.due_at

    CalendarDay.objects.create(day=date(2026, 7, 8), kind="holiday", name="临时停工")
    actions.recompute_open_due_times(cast.ops, "日历修改")

    open_order.refresh_from_db()
    closed.refresh_from_db()
    assert open_order.due_at == bj(2026, 7, 17)
    assert closed.due_at == kept
    assert not closed.events.filter(action="due_changed").exists()


def test_d1_csv_with_two_years_refused(cast):
    with pytest.raises(ValueError):
        add_year(YEAR_2027 + "2028-01-01,holiday,元旦\n", "测试")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_d1_csv_makeup_on_weekday_refused(cast):
    with pytest.raises(ValueError) as caught:
        add_year("2027-03-03,makeup,x\n", "测试")
    assert "第 1 行" in str(caught.value)


def test_d1_warns_from_november_when_next_year_missing(cast):
    assert missing_next_year(date(2026, 10, 31)) is None
    assert missing_next_year(date(2026, 11, 1)) == 2027
    add_year(YEAR_2027, "测试")
    assert missing_next_year(date(2026, 11, 1)) is None


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_d2_workdays_add_command(cast):
    assert run("add", "--from", "2026-09-30T17:00:00+08:00", "--days", "5") == (
        "2026-10-14T00:00:00+08:00"
    )
    assert run("add", "--from", "2026-09-30T17:00:00+08:00", "--hours", "12") == (
        "2026-10-01T05:00:00+08:00"
    )
    assert run("add", "--from", "2026-03-31T10:00:00+08:00", "--months", "3") == (
        "2026-07-01T00:00:00+08:00"
    )


def test_d1_workdays_check_command(cast):
    assert run("check", "2026-10-10") == "2026-10-10 工作日：调休上班日（国庆节）"
    assert run("check", "2026-10-05") == "2026-10-05 休息日：法定节假日（国庆节）"
    assert run("check", "2026-07-11") == "2026-07-11 休息日：周末"


def test_d2_plan_point_moves_when_its_year_is_added(flow, cast, committee):
    """A long plan finally approved on 1 October 2026 has its first 3-month
    point on 1 January 2027: 暂定 while 2027 is unknown (a Friday, counted
    as working), then, with 2027's calendar, New Year's Day moves it to
    24:00 on Monday 4 January (D2, Civil Code art. 203)."""
    from gongdan.orders import procedures

    review = committee[0]
    order = flow.ready(received_at=bj(2026, 9, 28, 9, 0))
    procedures.do_request_plan(
        order,
        cast.east_designee,
        measures="更换该片区DN300主管，分段施工，施工期间临时供水。",
        steps=[{"title": "主管更换完工", "date": "2027-03-31"}],
        acceptance="来电人同意按计划办理。",
        at=bj(2026, 9, 29, 10, 0),
    )
    request = order.requests.get().pk
    procedures.do_decide_request(
        order, cast.ops, request=request, approve=True, at=bj(2026, 9, 30, 10, 0)
    )
    procedures.do_review_plan(
        order, review, request=request, approve=True, at=bj(2026, 10, 1, 10, 0)
    )
    point = order.plan_steps.get(kind="checkpoint")
    assert (point.due_at, point.provisional) == (bj(2027, 1, 2), True)

    add_year(YEAR_2027, "测试")
    changed = actions.recompute_open_due_times(cast.ops, "添加 2027 年日历")

    point.refresh_from_db()
    assert changed == 1
    assert (point.due_at, point.provisional) == (bj(2027, 1, 5), False)
    event = order.events.get(action="due_changed")
    assert event.data["step"] == point.seq
    assert event.data["new"] == bj(2027, 1, 5).isoformat()
