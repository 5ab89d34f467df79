"""R5.3, R3.1: a unit passes an order to the unit whose duty it is."""

import pytest

from gongdan.orders import actions
from gongdan.rules.errors import NotAllowed, RuleViolation


def test_r5_3_transfer_keeps_the_clock(flow, cast):
    order = flow.handling(unit=cast.west)
    due = order.due_at

    actions.do_transfer(
        order, cast.west_designee, cast.east, "属东城区，转东城分公司办理"
    )

    order.refresh_from_db()
    assert order.unit == cast.east
    assert order.state == "dispatched"
    assert order.due_at == due
    event = order.events.get(action="transfer")
    assert (event.data["from"], event.data["to"]) == ("WEST", "EAST")


def test_r5_3_transfer_needs_a_reason(flow, cast):
    order = flow.handling(unit=cast.west)

    with pytest.raises(RuleViolation) as caught:
        actions.do_transfer(order, cast.west_designee, cast.east, "")

    assert caught.value.field == "reason"


def test_r3_1_transferring_unit_can_no_longer_act(flow, cast):
    order = flow.handling(unit=cast.west)
    actions.do_transfer(
        order, cast.west_designee, cast.east, "属东城区，转东城分公司办理"
    )
    actions.do_accept(order, cast.east_designee)

    with pytest.raises(NotAllowed):
        actions.do_record_contact(
            order, cast.west_staff, method="phone", outcome="已联系来电人"
        )
