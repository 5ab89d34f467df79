"""工单登记 (R1.1, R1.2): the form, its refusals and its success."""

from __future__ import annotations

from gongdan.orders.models import Order

from .steps import login

FORM = {
    "source": "citizen_hotline",
    "kind": "complaint",
    "category": "漏水",
    "urgency": "",
    "content": "楼下水管破了，水流到马路上。",
    "address": "东城区东门大街33号",
    "district": "东城区",
    "caller_name": "江女士",
    "caller_phone": "139 1234 5678",
    "received_at": "2026-07-06T09:30",
    "external_no": "SM-2026-000001",
}


def test_register_form_offers_categories_and_now(cast: dict) -> None:
    page = login("agent").get("/orders/new/").content.decode()

    assert '<optgroup label="管网设施">' in page
    assert "分类无法确定，需责任单位负责人确认" in page
    assert 'type="datetime-local"' in page


def test_r1_1_register_creates_order_and_goes_to_it(cast: dict) -> None:
    response = login("agent").post("/orders/new/", FORM)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.pk}/"
    assert order.caller_phone == "13912345678"
    assert order.category.name == "漏水"
    # 09:30 typed in Beijing time is 01:30 UTC.
    assert order.received_at.isoformat() == "2026-07-06T01:30:00+00:00"


def test_r1_1_register_form_names_missing_fields(cast: dict) -> None:
    typed = {**FORM, "content": "", "address": "  ", "category": ""}

    response = login("agent").post("/orders/new/", typed)

    page = response.content.decode()
    assert response.status_code == 400
    assert "【R1.1】请填写诉求内容" in page
    assert "【R1.1】请填写地址" in page
    assert "【R1.1】请填写诉求分类" in page
    # What was typed is kept.
    assert "江女士" in page and "139 1234 5678" in page
    assert not Order.objects.exists()


def test_r1_1_malformed_phone_shown_beside_its_field(cast: dict) -> None:
    response = login("agent").post("/orders/new/", {**FORM, "caller_phone": "12345"})

    page = response.content.decode()
    assert response.status_code == 400
    field = page.index('name="caller_phone"')
    error = page.index("【R1.1】来电号码格式不正确")
    assert 0 < error - field < 400


def test_r1_2_undetermined_category_may_be_registered(cast: dict) -> None:
    typed = {**FORM, "category": "", "category_undetermined": "on"}

    refused = login("agent").post("/orders/new/", typed)
    response = login("agent").post("/orders/new/", {**typed, "candidate_unit": "EAST"})

    assert refused.status_code == 400
    assert "【R1.2】" in refused.content.decode()
    assert response.status_code == 302
    assert Order.objects.get().category_undetermined
    assert Order.objects.get().candidate_unit.code == "EAST"


def test_r1_1_duplicate_external_no_goes_to_its_field(cast: dict) -> None:
    client = login("agent")
    client.post("/orders/new/", FORM)

    response = client.post("/orders/new/", FORM)

    assert response.status_code == 400
    assert "【R1.1】外部工单号 SM-2026-000001 已登记过。" in response.content.decode()


def test_register_is_for_agents_only(cast: dict) -> None:
    response = login("east_designee").post("/orders/new/", FORM)

    assert response.status_code == 403
    assert not Order.objects.exists()
