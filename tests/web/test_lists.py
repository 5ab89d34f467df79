"""The order list with its filters, and the unit inbox with its marks."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongdan.orders import actions
from gongdan.orders.models import Order, Unit

from .steps import handling, login, register


def set_due(order: Order, hours: float) -> None:
    Order.objects.filter(pk=order.pk).update(
        due_at=timezone.now() + timedelta(hours=hours)
    )


def test_list_filters_by_state_unit_source(cast: dict) -> None:
    east = handling(cast)
    fresh = register(cast, source="citizen_hotline")
    client = login("agent")

    by_state = client.get("/orders/?state=registered").content.decode()
    by_unit = client.get("/orders/?unit=EAST").content.decode()
    by_source = client.get("/orders/?source=citizen_hotline").content.decode()

    assert fresh.number in by_state and east.number not in by_state
    assert east.number in by_unit and fresh.number not in by_unit
    assert fresh.number in by_source and east.number not in by_source


def test_list_filters_overdue(cast: dict) -> None:
    late, on_time = handling(cast), handling(cast)
    set_due(late, -2)
    set_due(on_time, 48)
    client = login("agent")

    overdue = client.get("/orders/?overdue=yes").content.decode()
    not_overdue = client.get("/orders/?overdue=no").content.decode()

    assert late.number in overdue and on_time.number not in overdue
    assert on_time.number in not_overdue and late.number not in not_overdue


def test_unit_roles_list_only_their_orders(cast: dict) -> None:
    east = handling(cast)

    page = login("west_designee").get("/orders/").content.decode()

    assert east.number not in page
    assert "没有工单" in page


def test_inbox_sorted_by_due_with_marks(cast: dict) -> None:
    later, soon, late = handling(cast), handling(cast), handling(cast)
    set_due(later, 100)
    set_due(soon, 3)
    set_due(late, -1)
    closed_elsewhere = register(cast)
    actions.do_dispatch(closed_elsewhere, cast["agent"], Unit.objects.get(code="WEST"))

    page = login("east_staff").get("/inbox/").content.decode()

    positions = [page.index(o.number) for o in (late, soon, later)]
    assert positions == sorted(positions)
    assert closed_elsewhere.number not in page
    assert '<span class="mark overdue">已超期</span>' in page
    assert '<span class="mark due-soon">即将到期</span>' in page


def test_due_at_midnight_shows_24_00(cast: dict) -> None:
    order = handling(cast)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    Order.objects.filter(pk=order.pk).update(due_at=midnight + timedelta(days=3))
    day = (midnight + timedelta(days=2)).date().isoformat()

    page = login("east_designee").get("/inbox/").content.decode()

    assert f"{day} 24:00" in page
