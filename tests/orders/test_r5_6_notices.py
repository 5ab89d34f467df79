"""R5.6, D6: a follow-up that hears of a threat raises a notice against the
unit; the operations dept confirms or dismisses it, and only a confirmed
notice counts, for the unit and quarter of the follow-up."""

import pytest

from gongdan.followups.models import Notice
from gongdan.orders import actions, procedures
from gongdan.reports.queries import assess, quarter_period
from gongdan.rules.errors import NotAllowed, RuleViolation
from tests.conftest import bj

THREATENED = dict(
    reached=True,
    contacted=True,
    consistent=True,
    feedback=True,
    false_report=False,
    process="dissatisfied",
    result="basically_satisfied",
    threatened=True,
)


def notice_count(code: str, quarter: str) -> int:
    result = assess(quarter_period(quarter))
    return next(u for u in result.units if u.code == code).counts["notice"]


def threatened_order(flow, cast, cause="objective", at=None):  # type: ignore[no-untyped-def]
    order = flow.follow_up()
    actions.do_follow_up(
        order,
        cast.follower,
        cause=cause,
        at=at or bj(2026, 7, 8, 10, 0),
        **THREATENED,
    )
    order.refresh_from_db()
    return order


def test_r5_6_threatened_follow_up_raises_pending_notice_not_yet_counted(flow, cast):
    order = threatened_order(flow, cast)

    notice = Notice.objects.get(order=order)
    assert notice.state == "pending"
    assert notice.unit == cast.east
    assert notice.raised_at == bj(2026, 7, 8, 10, 0)
    assert notice_count("EAST", "2026Q3") == 0


def test_r5_6_confirmed_notice_counts_for_the_unit(flow, cast):
    order = threatened_order(flow, cast)
    notice = Notice.objects.get(order=order)

    procedures.do_decide_notice(
        order, cast.ops, notice=notice.pk, confirm=True, at=bj(2026, 7, 9, 9, 0)
    )

    notice.refresh_from_db()
    assert (notice.state, notice.decided_by) == ("confirmed", cast.ops)
    assert notice_count("EAST", "2026Q3") == 1
    assert notice_count("WEST", "2026Q3") == 0
    event = order.events.order_by("-seq").first()
    assert event.action == "decide_notice"
    assert event.data == {"notice": notice.pk, "confirmed": True, "reason": ""}


def test_r5_6_notice_counts_for_unit_and_quarter_of_the_follow_up(flow, cast):
    """A redo sends the order back to 东城, which transfers it to 西城; the
    notice is confirmed in the next quarter. It counts for 东城, in the
    quarter of the follow-up (2026Q3), and nowhere else."""
    order = threatened_order(flow, cast, cause="unit", at=bj(2026, 9, 30, 22, 0))
    assert order.state == "handling"
    actions.do_transfer(
        order,
        cast.east_designee,
        cast.west,
        "该路段属西城管网，转西城办理。",
        at=bj(2026, 10, 9, 9, 0),
    )
    notice = Notice.objects.get(order=order)

    procedures.do_decide_notice(
        order, cast.ops, notice=notice.pk, confirm=True, at=bj(2026, 10, 12, 9, 0)
    )

    assert notice_count("EAST", "2026Q3") == 1
    assert notice_count("WEST", "2026Q3") == 0
    assert notice_count("EAST", "2026Q4") == 0
    assert notice_count("WEST", "2026Q4") == 0


def test_r5_6_dismissed_notice_not_counted(flow, cast):
    order = threatened_order(flow, cast)
    notice = Notice.objects.get(order=order)

    procedures.do_decide_notice(
        order,
        cast.ops,
        notice=notice.pk,
        confirm=False,
        reason="调取通话录音核实，单位人员未有威胁言语。",
    )

    notice.refresh_from_db()
    assert notice.state == "dismissed"
    assert notice.reason == "调取通话录音核实，单位人员未有威胁言语。"
    assert notice_count("EAST", "2026Q3") == 0


@pytest.mark.parametrize("reason", ["", "  ", "无"])
def test_d6_dismiss_without_reason_refused(flow, cast, reason):
    order = threatened_order(flow, cast)
    notice = Notice.objects.get(order=order)
    events = order.events.count()

    with pytest.raises(RuleViolation) as caught:
        procedures.do_decide_notice(
            order, cast.ops, notice=notice.pk, confirm=False, reason=reason
        )

    assert (caught.value.rule, caught.value.code) == ("D6", "reason_missing")
    notice.refresh_from_db()
    assert (notice.state, notice.decided_by, notice.reason) == ("pending", None, "")
    assert order.events.count() == events


@pytest.mark.parametrize("who", ["east_designee", "east_head", "agent", "follower"])
def test_r5_6_only_ops_decides_a_notice(flow, cast, who):
    order = threatened_order(flow, cast)
    notice = Notice.objects.get(order=order)
    events = order.events.count()

    with pytest.raises(NotAllowed) as caught:
        procedures.do_decide_notice(
            order, getattr(cast, who), notice=notice.pk, confirm=False, reason="不成立"
        )

    assert (caught.value.rule, caught.value.code) == ("R5.6", "role_not_allowed")
    notice.refresh_from_db()
    assert notice.state == "pending"
    assert order.events.count() == events


def test_r5_6_notice_decided_once(flow, cast):
    order = threatened_order(flow, cast)
    notice = Notice.objects.get(order=order)
    procedures.do_decide_notice(order, cast.ops, notice=notice.pk, confirm=True)

    with pytest.raises(RuleViolation) as caught:
        procedures.do_decide_notice(
            order, cast.ops, notice=notice.pk, confirm=False, reason="误报"
        )

    assert (caught.value.code, caught.value.status) == ("notice_not_pending", 409)
    notice.refresh_from_db()
    assert notice.state == "confirmed"


def test_r5_6_no_notice_without_a_threat(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order, cast.follower, cause="objective", **{**THREATENED, "threatened": False}
    )

    assert not Notice.objects.exists()
