"""R6.1, R6.2, R5.5, D8: the hotline's call back to the caller."""

from datetime import timedelta

import pytest

from gongdan.followups.models import FollowUp
from gongdan.orders import actions
from gongdan.rules.errors import RuleViolations

CONTENT = dict(contacted=True, feedback=True, false_report=False)


def test_r6_1_follow_up_closes_the_order(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        consistent=True,
        process="satisfied",
        result="basically_satisfied",
        **CONTENT,
    )

    order.refresh_from_db()
    assert order.state == "closed"
    record = FollowUp.objects.get(order=order)
    assert (record.process, record.result, record.feedback) == (
        "satisfied",
        "basically_satisfied",
        True,
    )
    assert record.unit == cast.east


def test_r6_1_every_check_is_required(flow, cast):
    order = flow.follow_up()

    with pytest.raises(RuleViolations) as caught:
        actions.do_follow_up(order, cast.follower, reached=True)

    fields = {p.field for p in caught.value.problems}
    assert {"contacted", "consistent", "feedback", "false_report"} <= fields
    assert {"process", "result"} <= fields
    order.refresh_from_db()
    assert order.state == "follow_up"
    assert not FollowUp.objects.exists()


def test_r6_2_rating_outside_the_three_refused(flow, cast):
    order = flow.follow_up()

    with pytest.raises(RuleViolations) as caught:
        actions.do_follow_up(
            order,
            cast.follower,
            reached=True,
            consistent=True,
            process="very_satisfied",
            result="satisfied",
            **CONTENT,
        )

    assert caught.value.problems[0].rule == "R6.2"


def test_d5_unreached_attempt_kept_and_order_stays(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order, cast.follower, reached=False, failure_reason="电话无人接听"
    )

    order.refresh_from_db()
    assert order.state == "follow_up"
    assert FollowUp.objects.get(order=order).reached is False


def test_r5_5_inconsistent_reply_is_a_redo(flow, cast):
    order = flow.follow_up()
    at = order.received_at + timedelta(days=1)

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        consistent=False,
        process="basically_satisfied",
        result="basically_satisfied",
        at=at,
        **CONTENT,
    )

    order.refresh_from_db()
    assert order.state == "handling"
    assert order.unit == cast.east
    assert order.redo_count == 1
    assert order.valid_reply_at is None
    assert order.due_at > at


def test_r5_5_false_report_is_a_redo(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        consistent=True,
        contacted=True,
        feedback=True,
        false_report=True,
        process="satisfied",
        result="satisfied",
    )

    order.refresh_from_db()
    assert order.redo_count == 1


def test_d8_dissatisfied_needs_cause(flow, cast):
    order = flow.follow_up()

    with pytest.raises(RuleViolations) as caught:
        actions.do_follow_up(
            order,
            cast.follower,
            reached=True,
            consistent=True,
            process="dissatisfied",
            result="dissatisfied",
            **CONTENT,
        )

    assert caught.value.problems[0].field == "cause"


def test_d8_objective_cause_is_no_redo(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        consistent=True,
        process="basically_satisfied",
        result="dissatisfied",
        cause="objective",
        **CONTENT,
    )

    order.refresh_from_db()
    assert order.state == "closed"
    assert order.redo_count == 0


def test_d8_unit_cause_is_a_redo(flow, cast):
    order = flow.follow_up()

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        consistent=True,
        process="dissatisfied",
        result="dissatisfied",
        cause="unit",
        **CONTENT,
    )

    order.refresh_from_db()
    assert order.redo_count == 1
    assert order.state == "handling"
