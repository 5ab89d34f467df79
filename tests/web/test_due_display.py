"""The due time as the order page explains it, and the calendar warning
(D1, D2, D3)."""

from __future__ import annotations

from typing import Any

from gongdan.orders.models import Order
from gongdan.rules.workdays import format_due

from .steps import handling, login


def test_d3_due_time_explained_on_order_page(cast: dict) -> None:
    order = handling(cast)

    page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    assert f"基础时限：{order.limit_label}，自受理时间" in page
    assert f"办理时限：{format_due(order.due_at)}。" in page
    assert "剩余 " in page
    assert '<span class="tag provisional"' not in page


def test_d1_provisional_due_marked(cast: dict) -> None:
    order = handling(cast)
    Order.objects.filter(pk=order.pk).update(due_provisional=True)

    page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    assert '<span class="tag provisional"' in page and ">暂定</span>" in page
    assert "暂定：期限跨入日历尚未收录的年份" in page


def test_d1_calendar_warning_shown_to_ops(cast: dict, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        "gongdan.workdays.context.missing_next_year", lambda today: 2027
    )

    ops_page = login("ops").get("/orders/").content.decode()
    unit_page = login("east_designee").get("/orders/").content.decode()

    assert 'class="banner calendar-warning"' in ops_page
    assert "2027 年的节假日安排尚未录入日历" in ops_page
    assert "calendar-warning" not in unit_page


def test_d1_no_warning_when_calendar_is_complete(cast: dict, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        "gongdan.workdays.context.missing_next_year", lambda today: None
    )

    page = login("ops").get("/orders/").content.decode()

    assert "calendar-warning" not in page
