"""The intake actions on the order page: confirm category, dispatch, mark
duplicate (R1.1–R1.3)."""

from __future__ import annotations

from gongdan.orders.models import Order

from .steps import login, register


def test_r1_3_dispatch_sends_order_to_unit(cast: dict) -> None:
    order = register(cast)

    agent = login("agent")

    response = agent.post(f"/orders/{order.pk}/dispatch/", {"unit": "EAST"})

    order.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.pk}/"
    assert order.state == "dispatched" and order.unit.code == "EAST"
    page = agent.get(response["Location"]).content.decode()
    assert "已转办" in page


def test_r1_2_dispatch_refused_until_head_confirms(cast: dict) -> None:
    order = register(
        cast, category="", category_undetermined=True, candidate_unit="EAST"
    )

    response = login("agent").post(f"/orders/{order.pk}/dispatch/", {"unit": "EAST"})

    assert response.status_code == 400
    assert "【R1.2】分类未确定，须经责任单位负责人确认后才能转办。" in (
        response.content.decode()
    )
    assert Order.objects.get(pk=order.pk).state == "registered"


def test_r1_2_head_finds_and_confirms_undetermined_category(cast: dict) -> None:
    order = register(
        cast, category="", category_undetermined=True, candidate_unit="EAST"
    )
    head = login("east_head")

    inbox = head.get("/inbox/").content.decode()
    response = head.post(f"/orders/{order.pk}/confirm-category/", {"category": "漏水"})

    order.refresh_from_db()
    assert "待确认分类" in inbox and order.number in inbox
    assert response.status_code == 302
    assert order.category.name == "漏水"
    event = order.events.last()
    assert event.action == "confirm_category" and event.actor == cast["east_head"]


def test_mark_duplicate_by_number(cast: dict) -> None:
    original = register(cast)
    repeat = register(cast)

    response = login("agent").post(
        f"/orders/{repeat.pk}/mark-duplicate/", {"original": original.number}
    )

    repeat.refresh_from_db()
    assert response.status_code == 302
    assert repeat.duplicate_of == original and repeat.state == "closed"


def test_mark_duplicate_unknown_number_refused(cast: dict) -> None:
    order = register(cast)

    response = login("agent").post(
        f"/orders/{order.pk}/mark-duplicate/", {"original": "GD99999999"}
    )

    assert response.status_code == 400
    assert "未找到该编号的工单" in response.content.decode()


def test_dispatch_by_wrong_role_is_403(cast: dict) -> None:
    order = register(cast)

    response = login("ops").post(f"/orders/{order.pk}/dispatch/", {"unit": "EAST"})

    assert response.status_code == 403
    assert "【R1.3】当前角色不能执行“转办”。" in response.content.decode()


def test_action_views_only_accept_post(cast: dict) -> None:
    order = register(cast)

    assert login("agent").get(f"/orders/{order.pk}/dispatch/").status_code == 405
