"""R5.6, D9: complaints face to face; R4.5, D4: delays caused by the caller."""

from datetime import timedelta

import pytest

from gongdan.orders import actions
from gongdan.orders.demo import WAV
from gongdan.orders.queries import order_is_overdue
from gongdan.rules.errors import RuleViolations
from tests.conftest import GOOD_REPLY, bj


def test_r5_6_complaint_without_face_to_face_refused(flow, cast):
    order = flow.ready(kind="complaint")

    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(
            order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
        )

    assert ("R5.6", "face_to_face") in {
        (p.rule, p.field) for p in caught.value.problems
    }


def test_r5_6_face_to_face_visit_allows_submission(flow, cast):
    order = flow.ready(kind="complaint")
    actions.do_record_site_visit(
        order,
        cast.east_staff,
        face_to_face=True,
        findings="上门当面听取来电人意见并解释处理方案。",
    )

    actions.do_submit_reply(
        order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
    )

    order.refresh_from_db()
    assert order.state == "submitted"


def test_d9_refusal_to_meet_needs_its_proof(flow, cast):
    order = flow.ready(kind="complaint")
    actions.do_record_contact(
        order,
        cast.east_staff,
        method="phone",
        outcome="来电人表示不需要上门，电话说明即可。",
        refused_meeting=True,
    )
    with pytest.raises(RuleViolations):
        actions.do_submit_reply(
            order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
        )

    actions.do_attach_evidence(
        order, cast.east_staff, name="通话录音.wav", content=WAV, purpose="proof"
    )
    actions.do_submit_reply(
        order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
    )

    order.refresh_from_db()
    assert order.state == "submitted"


def test_r4_5_caller_delay_needs_reason_and_proof(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(
            order,
            cast.east_designee,
            kind="resolved",
            elements=GOOD_REPLY,
            caller_delay=True,
        )

    assert {p.code for p in caught.value.problems} == {
        "delay_reason_missing",
        "delay_proof_missing",
    }


def test_d4_accepted_caller_delay_is_not_overdue(flow, cast):
    order = flow.caller_delayed(accepted=True, received_at=bj(2026, 7, 6, 9, 0))

    assert order.caller_delay_accepted is True
    assert order_is_overdue(order, order.valid_reply_at + timedelta(days=1)) is False


def test_d4_unaccepted_caller_delay_is_overdue(flow, cast):
    order = flow.caller_delayed(accepted=False, received_at=bj(2026, 7, 6, 9, 0))

    assert order.caller_delay_accepted is False
    assert order_is_overdue(order, order.valid_reply_at + timedelta(days=1)) is True
