"""Requests to the operations dept on the order page, and its decisions:
extensions, returns, unresolvable rulings, statements (R2.2, R4.2, R4.4,
R5.3, R5.4, D6)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongdan.orders import actions, procedures
from gongdan.orders.models import Order, Unit

from .steps import attach, beside, contacted, handling, login, section, tiny_png

REASON = "需协调交警占道施工，须等待审批。"
RETURN = {
    "site_check": "现场核实：漏水点位于小区内部楼栋间管道，属物业管理的二次供水设施。",
    "reason": "属物业产权设施维修，非供水集团管辖。",
    "legal_basis": "《城市供水条例》第二十八条：自建供水设施由产权单位负责维护。",
}


def test_r4_2_extension_requested_and_approved_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    due_before = order.due_at

    asked = login("east_designee").post(
        f"/orders/{order.pk}/request-extension/", {"days": "3", "reason": REASON}
    )
    request = order.requests.get()
    ops = login("ops")
    ops_page = ops.get(f"/orders/{order.pk}/").content.decode()
    decided = ops.post(
        f"/orders/{order.pk}/decide-request/", {"item": request.pk, "approve": "yes"}
    )

    order.refresh_from_db()
    assert asked.status_code == 302 and decided.status_code == 302
    assert "单据延时 3 个工作日" in section(ops_page, "decide_request")
    assert order.due_at > due_before
    page = ops.get(f"/orders/{order.pk}/").content.decode()
    assert "批准延期 3 个工作日，自当时的办理时限顺延。" in page
    assert "已批准" in page and "运营 李明" in page


def test_r4_2_third_extension_refused_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    for _ in range(2):
        procedures.do_request_extension(
            order, cast["east_designee"], days=1, reason=REASON
        )

    response = login("east_designee").post(
        f"/orders/{order.pk}/request-extension/", {"days": "2", "reason": REASON}
    )

    page = response.content.decode()
    assert response.status_code == 400
    message = "【R4.2】每张工单最多延期 2 次，不能再申请。"
    assert beside(page, "id_request_extension_days", message)
    assert order.requests.count() == 2


def test_r4_2_six_days_refused_beside_days(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/request-extension/", {"days": "6", "reason": REASON}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(page, "id_request_extension_days", "【R4.2】每次延期最多 5 个工作日")


def test_d6_refusal_needs_a_reason_beside_field(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    procedures.do_request_extension(order, cast["east_designee"], days=2, reason=REASON)
    request = order.requests.get()

    response = login("ops").post(
        f"/orders/{order.pk}/decide-request/", {"item": request.pk, "approve": "no"}
    )

    page = response.content.decode()
    request.refresh_from_db()
    assert response.status_code == 400
    assert beside(
        page, f"id_decide_request_{request.pk}_reason", "【D6】驳回时须写明理由。"
    )
    assert request.state == "pending"


def test_d6_only_ops_sees_the_decision_form(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    procedures.do_request_extension(order, cast["east_designee"], days=2, reason=REASON)

    unit_page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()
    refused = login("east_head").post(
        f"/orders/{order.pk}/decide-request/",
        {"item": order.requests.get().pk, "approve": "yes"},
    )

    assert "/decide-request/" not in unit_page
    assert "待审批" in unit_page
    assert refused.status_code == 403


def test_r5_4_return_window_shown_while_handling(cast: dict) -> None:
    order = handling(cast, source="citizen_hotline")
    window = timezone.localtime(order.unit_received_at + timedelta(hours=12))

    page = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    assert "回退时限" in page
    assert window.strftime("%Y-%m-%d %H:%M") in page


def test_r5_4_return_without_photo_refused_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/request-return/", {**RETURN, "reason": "同上"}
    )

    page = section(response.content.decode(), "request_return")
    assert response.status_code == 400
    assert "【R5.4】回退须附相关图片、视频或录音。" in page
    assert beside(page, "id_request_return_reason", "【R5.4】回退须写明“回退原因”。")
    assert RETURN["legal_basis"] in page


def test_r5_4_late_return_marked_on_page(cast: dict) -> None:
    received = timezone.now() - timedelta(hours=20)
    order = actions.do_register(
        cast["agent"],
        {
            "source": "citizen_hotline",
            "kind": "help",
            "category": "漏水",
            "content": "小区楼栋间管道漏水，物业不管。",
            "address": "东城区东门大街33号",
            "district": "东城区",
            "caller_name": "林女士",
            "caller_phone": "13912345678",
            "received_at": received,
        },
        at=received,
    )
    east = Unit.objects.get(code="EAST")
    actions.do_dispatch(order, cast["agent"], east, at=received)
    actions.do_accept(order, cast["east_designee"], at=received + timedelta(hours=1))
    attach(cast, order)

    asked = login("east_designee").post(f"/orders/{order.pk}/request-return/", RETURN)
    request = order.requests.get()
    ops = login("ops")
    ops_page = ops.get(f"/orders/{order.pk}/").content.decode()
    ops.post(
        f"/orders/{order.pk}/decide-request/", {"item": request.pk, "approve": "yes"}
    )

    order.refresh_from_db()
    assert asked.status_code == 302 and request.late
    assert "【超过12小时】回退" in section(ops_page, "decide_request")
    assert '<span class="mark overdue">超过12小时</span>' in ops_page
    assert order.state == "returned" and order.return_late
    page = ops.get(f"/orders/{order.pk}/").content.decode()
    assert '<span class="mark overdue">超时回退</span>' in page
    assert "回退时限" not in page


def test_r4_4_unresolvable_without_signed_statement_refused_on_page(
    cast: dict,
) -> None:
    order = contacted(cast, handling(cast))
    client = login("east_designee")
    proof = SimpleUploadedFile("调解记录.png", tiny_png(), content_type="image/png")
    client.post(
        f"/orders/{order.pk}/attach-evidence/",
        {"file": proof, "purpose": "proof", "description": "社区调解记录"},
    )
    typed = {
        "reason_code": "no_policy",
        "explanation": "来电人要求免收二次供水加压费，现行政策无减免依据。",
    }

    refused = client.post(f"/orders/{order.pk}/request-unresolvable/", typed)
    statement = SimpleUploadedFile("情况说明.png", tiny_png(), content_type="image/png")
    client.post(
        f"/orders/{order.pk}/attach-evidence/",
        {"file": statement, "purpose": "statement"},
    )
    asked = client.post(f"/orders/{order.pk}/request-unresolvable/", typed)

    page = section(refused.content.decode(), "request_unresolvable")
    assert refused.status_code == 400
    assert "【R4.4】须上传单位负责人签字的工单情况说明（扫描件）。" in page
    assert "证明材料或相关文件" not in page  # the proof was there
    assert typed["explanation"] in page
    assert asked.status_code == 302
    assert order.requests.get().data["reason_code"] == "no_policy"
    shown = client.get(f"/orders/{order.pk}/").content.decode()
    assert "证明材料" in shown and "签字情况说明" in shown
    assert "暂无政策依据" in shown


def test_r4_4_unresolvable_reason_required_beside_select(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/request-unresolvable/", {"explanation": "同上"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(
        page, "id_request_unresolvable_reason_code", "【R4.4】请选择无法解决的原因"
    )
    assert beside(
        page,
        "id_request_unresolvable_explanation",
        "【R4.4】请写明无法解决的具体情况。",
    )


def test_r4_4_approved_unresolvable_completes_order(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    attach(cast, order, "proof")
    attach(cast, order, "statement", name="说明.png")
    procedures.do_request_unresolvable(
        order,
        cast["east_designee"],
        reason_code="no_conditions",
        explanation="该路段地下管线密集，暂不具备改线条件。",
    )

    login("ops").post(
        f"/orders/{order.pk}/decide-request/",
        {"item": order.requests.get().pk, "approve": "yes", "reason": "材料齐全"},
    )

    order.refresh_from_db()
    assert order.state == "follow_up" and order.closure == "unresolvable"
    page = login("agent").get(f"/orders/{order.pk}/").content.decode()
    assert "<dt>办结方式</dt><dd>无法解决</dd>" in page


def test_r5_3_statement_needs_signed_scan(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    text = {"text": "涉及两个小区共用管道产权争议，需区政府协调确权后方可施工。"}
    client = login("east_designee")

    refused = client.post(f"/orders/{order.pk}/request-statement/", text)
    attach(cast, order, "statement", name="签字说明.png")
    asked = client.post(f"/orders/{order.pk}/request-statement/", text)

    assert refused.status_code == 400
    assert "【R5.3】须上传责任人签字的纸质情况说明扫描件。" in refused.content.decode()
    assert asked.status_code == 302
    assert order.requests.get().kind == "statement"


def test_request_forms_only_for_the_owning_unit(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    west = login("west_head").get(f"/orders/{order.pk}/")
    staff = login("east_staff").get(f"/orders/{order.pk}/").content.decode()
    designee = login("east_designee").get(f"/orders/{order.pk}/").content.decode()

    assert west.status_code == 404
    assert "/request-extension/" not in staff
    for slug in (
        "request-extension",
        "request-return",
        "request-plan",
        "request-unresolvable",
        "request-statement",
    ):
        assert f'action="/orders/{order.pk}/{slug}/"' in designee
    assert Order.objects.get(pk=order.pk).state == "handling"
