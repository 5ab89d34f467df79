"""R4.3: plan resolution, its approvals, steps, progress and appeals."""

from datetime import date, timedelta

import pytest

from gongdan.orders import procedures
from gongdan.rules.errors import Conflict, NotAllowed, RuleViolations
from tests.conftest import bj

ACCEPT = "已电话告知来电人改造计划，来电人表示理解并同意按计划办理。"
MEASURES = "将该路段DN100老管更换为DN200，改造前高峰时段调高出厂压力。"


def propose(order, cast, *days, at=None):  # type: ignore[no-untyped-def]
    steps = [{"title": f"第{n}步施工", "date": d} for n, d in enumerate(days, 1)]
    return procedures.do_request_plan(
        order,
        cast.east_designee,
        measures=MEASURES,
        steps=steps,
        acceptance=ACCEPT,
        at=at or bj(2026, 7, 7, 10, 0),
    )


def test_r4_3_plan_needs_measures_steps_and_acceptance(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_plan(
            order,
            cast.east_designee,
            measures="",
            steps=[],
            acceptance="同上",
            at=bj(2026, 7, 7, 10, 0),
        )

    fields = {p.field for p in caught.value.problems}
    assert fields == {"measures", "steps", "acceptance"}
    assert not order.requests.exists()


def test_r4_3_short_plan_closes_on_ops_approval(flow, cast):
    order = flow.ready()
    propose(order, cast, "2026-08-20")
    request = order.requests.get()

    procedures.do_decide_request(
        order, cast.ops, request=request.pk, approve=True, at=bj(2026, 7, 7, 15, 0)
    )

    order.refresh_from_db()
    assert request.data["long"] is False
    assert order.state == "follow_up"
    assert order.closure == "plan"
    assert order.valid_reply_at == bj(2026, 7, 7, 10, 0)
    step = order.plan_steps.get()
    assert step.due_at == bj(2026, 8, 21)  # 24:00 of 20 August


def test_r4_3_long_plan_needs_review_group_too(flow, cast, committee):
    review, appeal, quality = committee
    order = flow.ready()
    propose(order, cast, "2026-09-30", "2027-01-31")
    request = order.requests.get()

    procedures.do_decide_request(
        order, cast.ops, request=request.pk, approve=True, at=bj(2026, 7, 8, 9, 0)
    )
    order.refresh_from_db()
    assert order.state == "handling"
    with pytest.raises(NotAllowed):
        procedures.do_review_plan(order, quality, request=request.pk, approve=True)
    procedures.do_review_plan(
        order, review, request=request.pk, approve=True, at=bj(2026, 7, 10, 9, 0)
    )

    order.refresh_from_db()
    assert order.state == "follow_up"
    points = list(
        order.plan_steps.filter(kind="checkpoint").values_list("due_at", flat=True)
    )
    # Every 3 months from the final approval on 10 July, before 31 January:
    # 10 October (a Saturday make-up day, so it stands) and 10 January 2027
    # (a Sunday, so the next working day, counted on the weekend-only 2027).
    assert points == [bj(2026, 10, 11), bj(2027, 1, 12)]
    provisional = order.plan_steps.filter(kind="checkpoint").values_list(
        "provisional", flat=True
    )
    assert list(provisional) == [False, True]  # 2027 is not in the calendar yet
    assert order.events.filter(action="review_plan").get().actor == review


def test_r4_3_review_before_ops_approval_refused(flow, cast, committee):
    review = committee[0]
    order = flow.ready()
    propose(order, cast, "2027-03-01")

    with pytest.raises(Conflict):
        procedures.do_review_plan(
            order, review, request=order.requests.get().pk, approve=True
        )


def test_r4_3_progress_reply_and_appeal_extension(flow, cast, committee):
    appeal = committee[1]
    order = flow.ready()
    propose(order, cast, "2026-08-20")
    procedures.do_decide_request(
        order,
        cast.ops,
        request=order.requests.get().pk,
        approve=True,
        at=bj(2026, 7, 7, 15, 0),
    )
    step = order.plan_steps.get()

    with pytest.raises(NotAllowed):
        procedures.do_extend_plan_step(
            order, cast.ops, step=step.pk, new_date=date(2026, 9, 10), reason="台风"
        )
    procedures.do_extend_plan_step(
        order,
        appeal,
        step=step.pk,
        new_date=date(2026, 9, 10),
        reason="台风“海葵”过境，施工停工一周，属不可抗力。",
    )
    step.refresh_from_db()
    assert step.due_at == bj(2026, 9, 11)
    assert step.extended_by_appeal

    event = procedures.do_progress_reply(
        order,
        cast.east_designee,
        step=step.pk,
        progress="管道已更换完成，压力恢复正常。",
        at=bj(2026, 9, 5, 10, 0),
    )
    assert event.data["late"] is False
    with pytest.raises(Conflict):
        procedures.do_progress_reply(
            order, cast.east_designee, step=step.pk, progress="再次回复进展情况"
        )


def test_r4_3_step_date_in_the_past_refused(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        propose(order, cast, (bj(2026, 7, 7).date() - timedelta(days=1)).isoformat())

    assert caught.value.problems[0].code == "step_date_past"


def test_r3_1_plan_refused_outside_the_units_duty_and_without_contact(flow, cast):
    """A plan completes the order like a reply: the unit's duty (R3.1) and a
    contact with the caller (R2.1) are needed first."""
    order = flow.handling(unit=cast.west)  # a 东城区 leak sent to 西城

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_plan(
            order,
            cast.west_designee,
            measures=MEASURES,
            acceptance=ACCEPT,
            steps=[{"title": "换管", "date": "2026-08-20"}],
            at=bj(2026, 7, 7, 10, 0),
        )

    codes = {(p.rule, p.code) for p in caught.value.problems}
    assert ("R3.1", "not_unit_duty") in codes
    assert ("R2.1", "contact_missing") in codes
    assert not order.requests.exists()
