"""R4.4, R5.3: unresolvable rulings and statements need signed papers."""

import pytest

from gongdan.orders import actions, procedures
from gongdan.orders.demo import tiny_pdf, tiny_png
from gongdan.rules.errors import RuleViolations

EXPLANATION = "水厂提标改造需列入区级财政计划，资金尚未落实，暂不具备解决条件。"


def upload(order, user, purpose, content):  # type: ignore[no-untyped-def]
    actions.do_attach_evidence(
        order, user, name=f"{purpose}.bin", content=content, purpose=purpose
    )


def test_r4_4_proof_and_signed_statement_required(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_unresolvable(
            order,
            cast.east_designee,
            reason_code="no_conditions",
            explanation=EXPLANATION,
        )

    assert {p.code for p in caught.value.problems} == {
        "proof_missing",
        "statement_missing",
    }


def test_r4_4_reason_must_be_one_of_five(flow, cast):
    order = flow.ready()
    upload(order, cast.east_staff, "proof", tiny_pdf(1))
    upload(order, cast.east_head, "statement", tiny_png(2))

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_unresolvable(
            order, cast.east_designee, reason_code="too_hard", explanation=EXPLANATION
        )

    assert caught.value.problems[0].field == "reason_code"


def test_r4_4_approved_ruling_completes_the_order(flow, cast):
    order = flow.ready()
    upload(order, cast.east_staff, "proof", tiny_pdf(1))
    upload(order, cast.east_head, "statement", tiny_png(2))
    procedures.do_request_unresolvable(
        order, cast.east_designee, reason_code="no_conditions", explanation=EXPLANATION
    )

    procedures.do_decide_request(
        order, cast.ops, request=order.requests.get().pk, approve=True
    )

    order.refresh_from_db()
    assert order.state == "follow_up"
    assert order.closure == "unresolvable"
    decision = order.events.get(action="decide_request")
    assert decision.actor == cast.ops


def test_r4_4_refusal_needs_a_reason_and_keeps_handling(flow, cast):
    order = flow.ready()
    upload(order, cast.east_staff, "proof", tiny_pdf(1))
    upload(order, cast.east_head, "statement", tiny_png(2))
    procedures.do_request_unresolvable(
        order, cast.east_designee, reason_code="no_policy", explanation=EXPLANATION
    )

    procedures.do_decide_request(
        order,
        cast.ops,
        request=order.requests.get().pk,
        approve=False,
        reason="现场已具备更换条件，应继续办理。",
    )

    order.refresh_from_db()
    assert order.state == "handling"
    assert order.requests.get().state == "refused"


def test_r5_3_statement_needs_text_and_signed_scan(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_statement(order, cast.east_designee, text="")

    assert {p.field for p in caught.value.problems} == {"text", "statement"}
    upload(order, cast.east_head, "statement", tiny_pdf(3))
    procedures.do_request_statement(
        order,
        cast.east_designee,
        text="该管段位于铁路红线内，须铁路部门审批后方可施工，目前无法回退亦无法解决。",
    )
    procedures.do_decide_request(
        order, cast.ops, request=order.requests.get().pk, approve=True
    )
    order.refresh_from_db()
    assert order.closure == "statement"
