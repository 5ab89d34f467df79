"""Pages speak Chinese and show people's words, not the system's codes."""

from __future__ import annotations

from gongdan.orders import actions
from gongdan.org.models import Unit

from .steps import handling, login


def test_missing_order_page_says_why_in_chinese(cast: dict) -> None:
    answer = login("ops").get("/orders/999999/")

    assert answer.status_code == 404
    page = answer.content.decode()
    assert "不在您的查看范围内" in page and "Not Found" not in page


def test_another_units_order_is_not_found_in_chinese(cast: dict) -> None:
    order = handling(cast)

    answer = login("west_designee").get(f"/orders/{order.pk}/")

    assert answer.status_code == 404
    assert "找不到" in answer.content.decode()


def test_history_shows_the_unit_not_its_id(cast: dict) -> None:
    order = handling(cast)
    actions.do_transfer(
        order, cast["east_designee"], Unit.objects.get(code="WEST"), "属西城辖区"
    )

    page = login("ops").get(f"/orders/{order.pk}/").content.decode()

    assert "转至：西城供水分公司" in page
    assert "to_id" not in page
