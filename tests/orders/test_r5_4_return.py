"""R5.4: returning an order outside the group's jurisdiction."""

from datetime import timedelta

import pytest

from gongdan.orders import actions, procedures
from gongdan.orders.demo import tiny_png
from gongdan.rules.errors import Conflict, RuleViolations
from tests.conftest import GOOD_REPLY

RETURN = {
    "site_check": "现场核实：漏水点位于小区内部楼栋间管道，属物业管理的二次供水设施。",
    "reason": "属物业产权设施维修，非供水集团管辖。",
    "legal_basis": (
        "《城市供水条例》第二十八条：用水单位自行建设的供水管道及其附属设施"
        "由产权单位负责维护。"
    ),
}


def photo(order, user):  # type: ignore[no-untyped-def]
    actions.do_attach_evidence(order, user, name="现场.png", content=tiny_png(9))


def test_r5_4_every_element_and_a_photo_required(flow, cast):
    order = flow.handling()

    with pytest.raises(RuleViolations) as caught:
        procedures.do_request_return(
            order, cast.east_designee, site_check="", reason="同上", legal_basis=" "
        )

    fields = {p.field for p in caught.value.problems}
    assert fields == {"site_check", "reason", "legal_basis", "evidence"}
    assert all(p.rule == "R5.4" for p in caught.value.problems)
    assert not order.requests.exists()


def test_r5_4_return_within_12_hours_not_late(flow, cast):
    order = flow.handling(source="citizen_hotline")
    photo(order, cast.east_staff)
    at = order.unit_received_at + timedelta(hours=11, minutes=59)

    procedures.do_request_return(order, cast.east_designee, at=at, **RETURN)
    request = order.requests.get()
    procedures.do_decide_request(
        order, cast.ops, request=request.pk, approve=True, at=at + timedelta(hours=2)
    )

    order.refresh_from_db()
    assert request.late is False
    assert order.state == "returned"
    assert order.returned_at == at
    assert order.return_late is False


def test_r5_4_return_after_12_hours_taken_but_late(flow, cast):
    order = flow.handling(source="citizen_hotline")
    photo(order, cast.east_staff)
    at = order.unit_received_at + timedelta(hours=12, minutes=1)

    event = procedures.do_request_return(order, cast.east_designee, at=at, **RETURN)
    procedures.do_decide_request(
        order, cast.ops, request=order.requests.get().pk, approve=True, at=at
    )

    order.refresh_from_db()
    assert event.data["late"] is True
    assert order.return_late is True


def test_r5_4_window_counts_from_transfer_to_the_unit(flow, cast):
    order = flow.handling(unit=cast.west, source="citizen_hotline")
    later = order.unit_received_at + timedelta(hours=20)
    actions.do_transfer(order, cast.west_designee, cast.east, "属东城区", at=later)
    actions.do_accept(order, cast.east_designee, at=later + timedelta(minutes=5))
    photo(order, cast.east_staff)

    event = procedures.do_request_return(
        order, cast.east_designee, at=later + timedelta(hours=3), **RETURN
    )

    assert event.data["late"] is False


def test_r5_4_no_reply_while_return_waits(flow, cast):
    order = flow.ready()
    photo(order, cast.east_staff)
    procedures.do_request_return(order, cast.east_designee, **RETURN)

    with pytest.raises(Conflict):
        actions.do_submit_reply(
            order, cast.east_designee, kind="resolved", elements=GOOD_REPLY
        )


def test_r5_4_window_is_a_citizen_hotline_rule(flow, cast):
    """Section 5 of the standard: other sources have no 12-hour window."""
    order = flow.handling(source="water_hotline")
    photo(order, cast.east_staff)
    at = order.unit_received_at + timedelta(days=2)

    event = procedures.do_request_return(order, cast.east_designee, at=at, **RETURN)

    assert procedures.return_due(order) is None
    assert event.data["late"] is False
