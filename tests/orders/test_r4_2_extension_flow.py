"""R2.2, R4.2, D3, D6: asking for and deciding extensions."""

from datetime import timedelta

import pytest

from gongdan.orders import actions, procedures
from gongdan.rules.errors import Conflict, NotAllowed, RuleViolation
from tests.conftest import bj


@pytest.fixture
def order(flow):  # type: ignore[no-untyped-def]
    # A leak report: 7 working days from Monday 6 July 09:00 → 24:00 15 July.
    made = flow.handling(received_at=bj(2026, 7, 6, 9, 0))
    assert made.due_at == bj(2026, 7, 16)
    return made


def ask(order, user, days=3, at=None):  # type: ignore[no-untyped-def]
    return procedures.do_request_extension(
        order,
        user,
        days=days,
        reason="需开挖确认漏点，等待道路挖掘许可",
        at=at or bj(2026, 7, 8, 10),
    )


def test_r4_2_approved_extension_moves_due_by_workdays(order, cast):
    event = ask(order, cast.east_designee, days=3)
    request = order.requests.get()

    procedures.do_decide_request(
        order, cast.ops, request=request.pk, approve=True, at=bj(2026, 7, 8, 15)
    )

    order.refresh_from_db()
    # From 24:00 15 July: 16, 17, 20 July → 24:00 20 July.
    assert order.due_at == bj(2026, 7, 21)
    decision = order.events.get(action="decide_request")
    assert decision.actor == cast.ops
    assert decision.data["approved"] is True
    assert event.data["days"] == 3


def test_r4_2_refused_extension_leaves_due_and_needs_reason(order, cast):
    ask(order, cast.east_designee)
    request = order.requests.get()

    with pytest.raises(RuleViolation):
        procedures.do_decide_request(order, cast.ops, request=request.pk, approve=False)
    procedures.do_decide_request(
        order,
        cast.ops,
        request=request.pk,
        approve=False,
        reason="漏点已定位，可按期完成",
    )

    order.refresh_from_db()
    assert order.due_at == bj(2026, 7, 16)
    assert order.requests.get().state == "refused"
    assert order.requests.get().decision_reason == "漏点已定位，可按期完成"


def test_r4_2_third_extension_refused(order, cast):
    for day in (8, 9):
        ask(order, cast.east_designee, days=1, at=bj(2026, 7, day, 10))
        pending = order.requests.get(state="pending")
        procedures.do_decide_request(order, cast.ops, request=pending.pk, approve=True)

    with pytest.raises(RuleViolation) as caught:
        ask(order, cast.east_designee, days=1, at=bj(2026, 7, 10, 10))

    assert caught.value.rule == "R4.2"
    assert caught.value.code == "extension_limit_reached"
    assert order.requests.count() == 2


def test_r4_2_six_days_refused(order, cast):
    with pytest.raises(RuleViolation) as caught:
        ask(order, cast.east_designee, days=6)

    assert (caught.value.rule, caught.value.field) == ("R4.2", "days")
    assert not order.requests.exists()


def test_r2_2_request_after_due_refused(order, cast):
    with pytest.raises(RuleViolation) as caught:
        ask(order, cast.east_designee, at=bj(2026, 7, 16, 0, 1))

    assert caught.value.rule == "R2.2"


def test_r4_2_other_unit_cannot_ask(order, cast):
    with pytest.raises(NotAllowed):
        ask(order, cast.west_designee)


def test_d6_request_decided_once(order, cast):
    ask(order, cast.east_designee)
    request = order.requests.get()
    procedures.do_decide_request(order, cast.ops, request=request.pk, approve=True)

    with pytest.raises(Conflict):
        procedures.do_decide_request(order, cast.ops, request=request.pk, approve=True)

    order.refresh_from_db()
    assert order.due_at == bj(2026, 7, 21)


def test_d6_only_operations_dept_decides(order, cast):
    ask(order, cast.east_designee)

    with pytest.raises(NotAllowed):
        procedures.do_decide_request(
            order, cast.east_head, request=order.requests.get().pk, approve=True
        )


def test_d4_redo_restarts_and_keeps_extension_history(flow, cast):
    order = flow.follow_up()
    redo_at = order.received_at + timedelta(days=2)

    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        contacted=True,
        consistent=False,
        feedback=True,
        false_report=False,
        process="satisfied",
        result="satisfied",
        at=redo_at,
    )

    order.refresh_from_db()
    # 7 working days counted again from the redo (Wednesday 8 July).
    assert order.due_at == bj(2026, 7, 18)
