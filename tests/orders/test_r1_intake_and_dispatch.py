"""R1.1–R1.3: recording an order and sending it to a unit."""

from datetime import timedelta

import pytest

from gongdan.orders import actions
from gongdan.orders.models import Event, Order
from gongdan.rules.errors import NotAllowed, RuleViolations
from tests.conftest import bj, order_data


def fields_of(error: RuleViolations) -> set[str]:
    return {p.field for p in error.problems}


def test_r1_1_missing_content_category_address_each_named(cast):
    """An order missing content, category and address is refused, and the
    error names each missing field."""
    data = order_data(content="  ", category="", address="")

    with pytest.raises(RuleViolations) as caught:
        actions.do_register(cast.agent, data, at=bj(2026, 7, 6, 9, 5))

    assert {"content", "category", "address"} <= fields_of(caught.value)
    assert all(p.rule == "R1.1" for p in caught.value.problems)
    assert Order.objects.count() == 0
    assert Event.objects.count() == 0


def test_r1_1_malformed_phone_refused(cast):
    data = order_data(caller_phone="1572149974")

    with pytest.raises(RuleViolations) as caught:
        actions.do_register(cast.agent, data, at=bj(2026, 7, 6, 9, 5))

    assert fields_of(caught.value) == {"caller_phone"}


def test_r1_1_order_records_everything_with_an_event(cast):
    order = actions.do_register(cast.agent, order_data(), at=bj(2026, 7, 6, 9, 2))

    assert order.state == "registered"
    assert order.category.name == "漏水"
    assert order.caller_phone == "13912345678"
    assert order.received_at == bj(2026, 7, 6, 9, 0)
    assert list(order.events.values_list("action", flat=True)) == ["register"]


def test_r1_1_content_kept_exactly_but_trimmed(cast):
    text = "\u3000 水表箱里漏水😡，\n請盡快處理 \t"

    order = actions.do_register(
        cast.agent, order_data(content=text), at=bj(2026, 7, 6, 9, 2)
    )

    assert order.content == "水表箱里漏水😡，\n請盡快處理"


def test_r1_1_only_hotline_agent_registers(cast):
    with pytest.raises(NotAllowed):
        actions.do_register(cast.east_designee, order_data(), at=bj(2026, 7, 6, 9, 2))


def test_r1_1_same_external_number_twice_refused(cast):
    actions.do_register(
        cast.agent, order_data(external_no="GS-1"), at=bj(2026, 7, 6, 9, 2)
    )

    with pytest.raises(RuleViolations) as caught:
        actions.do_register(
            cast.agent, order_data(external_no="GS-1"), at=bj(2026, 7, 6, 9, 3)
        )

    assert caught.value.problems[0].code == "external_no_duplicate"
    assert Order.objects.count() == 1


def test_r1_2_undetermined_category_needs_head_confirmation(cast):
    order = actions.do_register(
        cast.agent,
        order_data(category="", category_undetermined=True, candidate_unit=cast.east),
        at=bj(2026, 7, 6, 9, 2),
    )

    with pytest.raises(RuleViolations) as caught:
        actions.do_dispatch(order, cast.agent, cast.east, at=bj(2026, 7, 6, 9, 5))
    assert caught.value.problems[0].rule == "R1.2"
    assert caught.value.problems[0].code == "category_unconfirmed"

    actions.do_confirm_category(order, cast.east_head, "漏水", at=bj(2026, 7, 6, 9, 20))
    actions.do_dispatch(order, cast.agent, cast.east, at=bj(2026, 7, 6, 9, 25))

    order.refresh_from_db()
    assert order.state == "dispatched"
    confirm = order.events.get(action="confirm_category")
    assert confirm.actor == cast.east_head
    assert confirm.at == bj(2026, 7, 6, 9, 20)
    assert confirm.data["category"] == "漏水"


def test_r1_2_only_a_unit_head_confirms(cast):
    order = actions.do_register(
        cast.agent,
        order_data(category="", category_undetermined=True, candidate_unit=cast.east),
        at=bj(2026, 7, 6, 9, 2),
    )

    with pytest.raises(NotAllowed):
        actions.do_confirm_category(order, cast.east_staff, "漏水")


def test_r1_3_dispatch_delay_is_kept(flow, cast):
    order = flow.register(source="citizen_hotline")

    event = actions.do_dispatch(
        order, cast.agent, cast.east, at=order.received_at + timedelta(minutes=7)
    )

    assert event.data["delay_seconds"] == 420
    order.refresh_from_db()
    assert order.dispatched_at - order.received_at == timedelta(minutes=7)


def test_r5_1_unit_without_designee_cannot_receive(flow, cast):
    order = flow.register()
    south = type(cast.east).objects.get(code="SOUTH")

    with pytest.raises(Exception) as caught:
        actions.do_dispatch(order, cast.agent, south)

    assert caught.value.rule == "R5.1"
    order.refresh_from_db()
    assert order.state == "registered"


def test_r5_1_second_designee_in_a_unit_refused(cast):
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    from gongdan.org.models import Membership

    other = get_user_model().objects.create_user("east.designee2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=other, unit=cast.east, role="designee")


def test_r1_2_undetermined_category_names_the_confirming_unit(cast):
    with pytest.raises(RuleViolations) as caught:
        actions.do_register(
            cast.agent,
            order_data(category="", category_undetermined=True),
            at=bj(2026, 7, 6, 9, 2),
        )

    assert caught.value.problems[0].field == "candidate_unit"


def test_r1_2_head_of_another_unit_cannot_confirm(cast):
    order = actions.do_register(
        cast.agent,
        order_data(category="", category_undetermined=True, candidate_unit=cast.east),
        at=bj(2026, 7, 6, 9, 2),
    )

    with pytest.raises(NotAllowed):
        actions.do_confirm_category(order, cast.west_head, "漏水")

    from gongdan.orders.queries import visible_orders

    assert list(visible_orders(cast.east_head)) == [order]
    assert list(visible_orders(cast.west_head)) == []
    assert list(visible_orders(cast.east_designee)) == []
