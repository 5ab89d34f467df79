"""Access: several roles per person, the follow-up agent, and groups that
see what waits for their decision (D6)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from gongdan.orders import actions
from gongdan.orders.queries import visible_orders
from gongdan.org.models import Membership, Unit
from gongdan.rules.errors import NotAllowed
from tests.conftest import order_data

CANNOT = {
    "investigation": "经现场核查，漏点位于表后入户管，属用户自有管道。",
    "process": "已按漏损减免规定减免一半并当面说明。",
    "acceptance": "来电人要求全额减免，不认可。",
    "reasonableness": "全额减免超出规定，诉求不合理。",
    "cause": "现行规定只能减免一半。",
}


def person(name, code, *roles):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(name)
    for role in roles:
        Membership.objects.create(
            user=user, unit=Unit.objects.get(code=code), role=role
        )
    return user


def test_a_person_may_hold_several_roles_in_one_unit(flow, cast):
    both = person("south.both", "SOUTH", "designee", "head")
    order = actions.do_register(
        cast.agent,
        order_data(
            category="",
            category_undetermined=True,
            candidate_unit="SOUTH",
            district="南湖区",
            address="南湖区湖滨路1号",
        ),
    )

    actions.do_confirm_category(order, both, "漏水")  # as the head (R1.2)
    actions.do_dispatch(order, cast.agent, Unit.objects.get(code="SOUTH"))
    actions.do_accept(order, both)  # as the designee (R5.1)

    order.refresh_from_db()
    assert order.state == "handling"


def test_roles_of_one_person_stay_in_one_unit(cast):
    user = person("split", "EAST", "staff")

    with pytest.raises(ValidationError):
        Membership.objects.create(user=user, unit=cast.west, role="head")


def test_r6_1_follow_up_agent_follows_up_but_does_not_register(flow, cast):
    caller = person("followup", "HOTLINE", "followup")
    order = flow.follow_up()

    with pytest.raises(NotAllowed):
        actions.do_register(caller, order_data())
    actions.do_follow_up(
        order,
        caller,
        reached=True,
        contacted=True,
        consistent=True,
        feedback=True,
        false_report=False,
        process="satisfied",
        result="satisfied",
    )

    order.refresh_from_db()
    assert order.state == "closed"


def test_d6_a_group_sees_what_waits_for_its_decision(flow, cast):
    quality = person("quality", "QUALITY", "committee")
    review = person("review", "REVIEW", "committee")
    waiting = flow.ready()
    actions.do_submit_reply(
        waiting, cast.east_designee, kind="cannot_satisfy", elements=CANNOT
    )
    other = flow.submitted()

    assert list(visible_orders(quality)) == [waiting]
    assert list(visible_orders(review)) == []
    assert other not in visible_orders(quality)
