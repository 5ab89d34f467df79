"""R3.4: the quality group rules on a cannot-satisfy reply."""

import pytest

from gongdan.orders import actions, procedures
from gongdan.rules.errors import NotAllowed, RuleViolations
from tests.conftest import bj

CANNOT = {
    "investigation": "经现场核查，漏点位于表后约3米的入户埋地管，属用户自有管道。",
    "process": "已按漏损减免规定对超出部分减免50%，并当面说明依据。",
    "acceptance": "来电人要求全额减免，对处理结果不认可。",
    "reasonableness": "来电人诉求减免全部水费，超出漏损减免规定，诉求不合理。",
    "cause": "按现行水费减免规定，用户自有管道漏损只能减免一半。",
}


@pytest.fixture
def quality(cast):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from gongdan.org.models import Membership, Unit

    user = get_user_model().objects.create_user("quality")
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="QUALITY"), role="committee"
    )
    return user


def submitted(flow, cast):  # type: ignore[no-untyped-def]
    order = flow.ready(received_at=bj(2026, 7, 6, 9, 0))
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="cannot_satisfy",
        elements=CANNOT,
        at=bj(2026, 7, 7, 9, 0),
    )
    return order


def test_r3_4_needs_reasonableness_and_cause(flow, cast):
    order = flow.ready()

    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(
            order,
            cast.east_designee,
            kind="cannot_satisfy",
            elements={**CANNOT, "reasonableness": "", "cause": "同上"},
        )

    assert {p.field for p in caught.value.problems} == {"reasonableness", "cause"}


def test_r3_4_operations_dept_does_not_judge_it(flow, cast):
    order = submitted(flow, cast)

    with pytest.raises(NotAllowed) as caught:
        actions.do_judge_reply(order, cast.ops, valid=True)

    assert caught.value.rule == "R3.4"


def test_r3_4_not_reasonable_reply_stands(flow, cast, quality):
    order = submitted(flow, cast)

    procedures.do_rule_cannot_satisfy(
        order,
        quality,
        reasonable=False,
        oa_ref="OA-2026-0712",
        reason="诉求超出减免政策，答复成立。",
    )

    order.refresh_from_db()
    assert order.state == "follow_up"
    assert order.valid_reply_at == bj(2026, 7, 7, 9, 0)
    event = order.events.get(action="rule_cannot_satisfy")
    assert event.data["oa_ref"] == "OA-2026-0712"


def test_r3_4_reasonable_means_extend_then_continue(flow, cast, quality):
    order = submitted(flow, cast)

    procedures.do_rule_cannot_satisfy(
        order,
        quality,
        reasonable=True,
        oa_ref="OA-2026-0713",
        reason="诉求合理，应协调维修后按实际漏损重新核定。",
        at=bj(2026, 7, 8, 9, 0),
    )
    order.refresh_from_db()
    assert order.state == "handling"

    with pytest.raises(RuleViolations) as caught:
        actions.do_submit_reply(
            order, cast.east_designee, kind="cannot_satisfy", elements=CANNOT
        )
    assert caught.value.problems[0].code == "extension_required"

    procedures.do_request_extension(
        order,
        cast.east_designee,
        days=5,
        reason="按评议结果协调维修，申请延期。",
        at=bj(2026, 7, 8, 10, 0),
    )
    procedures.do_decide_request(
        order, cast.ops, request=order.requests.get().pk, approve=True
    )
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="resolved",
        elements={
            "investigation": CANNOT["investigation"],
            "result": "已协调维修入户管并按实际漏损重新核定水费。",
            "acceptance": "来电人对重新核定结果表示认可。",
        },
        at=bj(2026, 7, 10, 9, 0),
    )
    order.refresh_from_db()
    assert order.state == "submitted"


def test_r3_4_only_quality_group_rules(flow, cast):
    order = submitted(flow, cast)

    with pytest.raises(NotAllowed):
        procedures.do_rule_cannot_satisfy(
            order, cast.ops, reasonable=False, oa_ref="OA-1", reason="答复成立"
        )
