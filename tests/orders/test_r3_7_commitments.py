"""R3.3, R3.7: a short-term reply's promise is tracked until kept."""

from datetime import timedelta

import pytest

from gongdan.orders import actions, procedures
from gongdan.orders.demo import tiny_pdf
from gongdan.rules.errors import Conflict, RuleViolation, RuleViolations
from tests.conftest import bj

SHORT = {
    "investigation": "经现场测压，该片区位于管网末梢，高峰时段压力偏低。",
    "follow_up_plan": "已将该路段老管更换列入改造计划，8月底前完成。",
    "acceptance": "来电人表示理解，同意按计划处理。",
    "promised_date": "2026-08-31",
}


def promised(flow, cast):  # type: ignore[no-untyped-def]
    order = flow.ready(received_at=bj(2026, 7, 6, 9, 0))
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="short_term",
        elements=SHORT,
        at=bj(2026, 7, 7, 9, 0),
    )
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 7, 15, 0))
    return order


def proof(order, cast, at):  # type: ignore[no-untyped-def]
    actions.do_attach_evidence(
        order,
        cast.east_staff,
        name="竣工单.pdf",
        content=tiny_pdf(5),
        purpose="proof",
        at=at,
    )


def test_r3_3_short_term_needs_a_promised_date(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(
            order,
            cast.east_designee,
            kind="short_term",
            elements={**SHORT, "promised_date": ""},
        )

    assert caught.value.problems[0].field == "promised_date"


def test_r3_7_valid_short_term_reply_opens_a_commitment(flow, cast):
    order = promised(flow, cast)

    commitment = order.commitments.get()

    assert commitment.state == "open"
    assert commitment.unit == cast.east
    assert commitment.due_at == bj(2026, 9, 1)  # 24:00 of 31 August
    assert commitment.promise == SHORT["follow_up_plan"]


def test_r3_7_kept_in_time_needs_proof_and_confirmation(flow, cast):
    order = promised(flow, cast)
    commitment = order.commitments.get()

    with pytest.raises(RuleViolation) as caught:
        procedures.do_keep_commitment(
            order, cast.east_designee, commitment=commitment.pk, note="已完成换管"
        )
    assert caught.value.code == "proof_missing"

    proof(order, cast, bj(2026, 8, 28, 10, 0))
    procedures.do_keep_commitment(
        order,
        cast.east_designee,
        commitment=commitment.pk,
        note="8月28日完成换管，压力恢复正常。",
        at=bj(2026, 8, 28, 11, 0),
    )
    procedures.do_confirm_commitment(
        order,
        cast.ops,
        commitment=commitment.pk,
        confirm=True,
        at=bj(2026, 8, 29, 9, 0),
    )

    commitment.refresh_from_db()
    assert commitment.state == "kept"


def test_r3_7_kept_after_the_date_is_kept_late(flow, cast):
    order = promised(flow, cast)
    commitment = order.commitments.get()
    late = bj(2026, 9, 1) + timedelta(hours=10)
    proof(order, cast, late)

    procedures.do_keep_commitment(
        order,
        cast.east_designee,
        commitment=commitment.pk,
        note="9月1日完成换管。",
        at=late,
    )
    procedures.do_confirm_commitment(
        order, cast.ops, commitment=commitment.pk, confirm=True
    )

    commitment.refresh_from_db()
    assert commitment.state == "kept_late"


def test_r3_7_sent_back_claim_reopens(flow, cast):
    order = promised(flow, cast)
    commitment = order.commitments.get()
    proof(order, cast, bj(2026, 8, 28, 10, 0))
    procedures.do_keep_commitment(
        order,
        cast.east_designee,
        commitment=commitment.pk,
        note="已完成换管。",
        at=bj(2026, 8, 28, 11, 0),
    )

    procedures.do_confirm_commitment(
        order,
        cast.ops,
        commitment=commitment.pk,
        confirm=False,
        reason="回访核实压力仍偏低。",
    )

    commitment.refresh_from_db()
    assert commitment.state == "open"
    with pytest.raises(Conflict):
        procedures.do_confirm_commitment(
            order, cast.ops, commitment=commitment.pk, confirm=True
        )
