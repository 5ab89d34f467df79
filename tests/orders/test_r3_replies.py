"""R2.1, R3.1–R3.6, R4.1, R5.2: what a submission needs."""

from datetime import timedelta

import pytest

from gongdan.orders import actions
from gongdan.rules.errors import Conflict, NotAllowed, RuleViolations
from tests.conftest import GOOD_REPLY


def refusal(order, user, **reply):  # type: ignore[no-untyped-def]
    reply.setdefault("kind", "resolved")
    reply.setdefault("elements", GOOD_REPLY)
    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(order, user, **reply)
    order.refresh_from_db()
    assert order.state == "handling"
    assert not order.replies.exists()
    return {(p.rule, p.code, p.field) for p in caught.value.problems}


def test_r3_2_missing_acceptance_refused(flow, cast):
    order = flow.ready()
    elements = {**GOOD_REPLY, "acceptance": ""}

    found = refusal(order, cast.east_designee, elements=elements)

    assert ("R3.2", "reply_element_missing", "acceptance") in found


@pytest.mark.parametrize("filler", ["已处理", "同上", "   ", "情况属实，已处理。"])
def test_r3_6_filler_result_refused(flow, cast, filler):
    order = flow.ready()

    found = refusal(
        order, cast.east_designee, elements={**GOOD_REPLY, "result": filler}
    )

    assert any(field == "result" for _, _, field in found)


def test_r3_5_outside_needs_investigation_and_result(flow, cast):
    order = flow.ready()

    found = refusal(
        order, cast.east_designee, kind="outside", elements={"investigation": ""}
    )

    assert ("R3.5", "reply_element_missing", "investigation") in found
    assert ("R3.5", "reply_element_missing", "result") in found


def test_r3_2_valid_reply_is_submitted(flow, cast):
    order = flow.ready()

    event = actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="resolved",
        elements=GOOD_REPLY,
        at=order.received_at + timedelta(hours=3),
    )

    order.refresh_from_db()
    assert event.action == "submit_reply"
    assert order.state == "submitted"
    assert order.pending_reply_at == order.received_at + timedelta(hours=3)


def test_r3_1_other_unit_cannot_submit(flow, cast):
    order = flow.ready()

    with pytest.raises(NotAllowed) as caught:
        actions.do_submit_reply(
            order, cast.west_designee, kind="resolved", elements=GOOD_REPLY
        )

    assert caught.value.rule == "R3.1"
    order.refresh_from_db()
    assert order.state == "handling"


def test_r3_1_order_outside_unit_duty_cannot_be_submitted(flow, cast):
    """A 东城区 leak dispatched to 西城 is not 西城's duty: transfer, not submit."""
    order = flow.handling(unit=cast.west)
    actions.do_record_contact(
        order, cast.west_staff, method="phone", outcome="已联系来电人"
    )

    found = refusal(order, cast.west_designee)

    assert ("R3.1", "not_unit_duty", "unit") in found


def test_r2_1_no_contact_refused(flow, cast):
    order = flow.handling()

    found = refusal(order, cast.east_designee)

    assert ("R2.1", "contact_missing", "contact") in found


def test_r4_1_hazard_without_evidence_refused(flow, cast):
    order = flow.handling(category="井盖", kind="report")
    actions.do_record_contact(
        order, cast.east_staff, method="phone", outcome="已联系来电人"
    )

    found = refusal(order, cast.east_designee)

    assert ("R4.1", "evidence_missing", "evidence") in found


def test_r4_1_construction_hotline_hazard_needs_no_evidence(flow, cast):
    order = flow.ready(category="井盖", source="construction_hotline")

    actions.do_submit_reply(
        order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
    )

    order.refresh_from_db()
    assert order.state == "submitted"


def test_r4_1_hazard_with_photo_submitted(flow, cast):
    order = flow.ready(category="井盖")
    assert order.attachments.filter(media_kind="image").exists()

    actions.do_submit_reply(
        order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
    )

    order.refresh_from_db()
    assert order.state == "submitted"


def test_r5_2_citizen_hotline_without_site_visit_refused(flow, cast):
    order = flow.handling(source="citizen_hotline")
    actions.do_record_contact(
        order, cast.east_staff, method="phone", outcome="已联系来电人"
    )

    found = refusal(order, cast.east_designee)

    assert ("R5.2", "site_visit_missing", "site_visit") in found


def test_r5_2_water_hotline_needs_no_site_visit(flow, cast):
    order = flow.handling()
    actions.do_record_contact(
        order, cast.east_staff, method="phone", outcome="已联系来电人"
    )

    actions.do_submit_reply(
        order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
    )

    order.refresh_from_db()
    assert order.state == "submitted"


def test_r3_6_invalid_judgement_returns_order_and_clock_runs(flow, cast):
    order = flow.submitted()
    due = order.due_at

    actions.do_judge_reply(
        order, cast.ops, valid=False, reason="用户认可情况与实际不符"
    )

    order.refresh_from_db()
    assert order.state == "handling"
    assert order.valid_reply_at is None
    assert order.pending_reply_at is None
    assert order.due_at == due
    assert order.replies.get().verdict == "invalid"


def test_r3_6_invalid_judgement_needs_reason(flow, cast):
    order = flow.submitted()

    with pytest.raises(Exception) as caught:
        actions.do_judge_reply(order, cast.ops, valid=False, reason="")

    assert caught.value.code == "reason_missing"
    order.refresh_from_db()
    assert order.state == "submitted"


def test_r3_6_valid_judgement_sets_valid_reply_time(flow, cast):
    order = flow.submitted()

    actions.do_judge_reply(order, cast.ops, valid=True)

    order.refresh_from_db()
    assert order.state == "follow_up"
    assert order.valid_reply_at == order.received_at + timedelta(hours=3)


def test_r3_6_only_operations_dept_judges(flow, cast):
    order = flow.submitted()

    with pytest.raises(NotAllowed):
        actions.do_judge_reply(order, cast.east_head, valid=True)


def test_second_accept_is_a_conflict(flow, cast):
    order = flow.handling()

    with pytest.raises(Conflict):
        actions.do_accept(order, cast.east_designee)

    assert order.events.filter(action="accept").count() == 1
