"""The unit's actions on the order page: accept, transfer, contact, site
visit, evidence (R2.1, R3.1, R4.1, R5.1, R5.3)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongdan.orders import actions
from gongdan.orders.models import Order, Unit

from .steps import handling, login, register, tiny_png


def dispatched(cast: dict) -> Order:
    order = register(cast)
    actions.do_dispatch(order, cast["agent"], Unit.objects.get(code="EAST"))
    return order


def test_r5_1_designee_accepts(cast: dict) -> None:
    order = dispatched(cast)
    client = login("east_designee")

    inbox = client.get("/inbox/").content.decode()
    response = client.post(f"/orders/{order.pk}/accept/")

    assert order.number in inbox
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).state == "handling"
    assert "已签收" in client.get(response["Location"]).content.decode()


def test_r5_1_staff_may_not_accept(cast: dict) -> None:
    order = dispatched(cast)

    response = login("east_staff").post(f"/orders/{order.pk}/accept/")

    assert response.status_code == 403
    assert "【R5.1】当前角色不能执行“签收”。" in response.content.decode()


def test_accept_twice_is_a_conflict(cast: dict) -> None:
    order = dispatched(cast)
    client = login("east_designee")
    client.post(f"/orders/{order.pk}/accept/")

    response = client.post(f"/orders/{order.pk}/accept/")

    assert response.status_code == 409
    assert "工单当前为“办理中”，不能执行“签收”" in response.content.decode()


def test_r5_3_transfer_needs_a_reason_then_moves_order(cast: dict) -> None:
    order = handling(cast)
    client = login("east_designee")

    refused = client.post(f"/orders/{order.pk}/transfer/", {"unit": "WEST"})
    done = client.post(
        f"/orders/{order.pk}/transfer/",
        {"unit": "WEST", "reason": "地址属西城区，由西城供水分公司负责"},
    )

    order.refresh_from_db()
    assert refused.status_code == 400
    assert "【R5.3】请填写“转办原因”，且须有实际内容。" in refused.content.decode()
    assert done.status_code == 302
    assert order.unit.code == "WEST" and order.state == "dispatched"


def test_r2_1_record_contact_and_site_visit(cast: dict) -> None:
    order = handling(cast)
    client = login("east_staff")
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    contact = client.post(
        f"/orders/{order.pk}/record-contact/",
        {"method": "phone", "outcome": "约定下午到场查看", "contacted_at": now},
    )
    visit = client.post(
        f"/orders/{order.pk}/record-site-visit/",
        {"findings": "到场确认路面下管道渗漏", "face_to_face": "on"},
    )

    assert contact.status_code == 302 and visit.status_code == 302
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "方式：电话" in page and "约定下午到场查看" in page
    assert "核实情况：到场确认路面下管道渗漏" in page and "当面沟通：是" in page


def test_r2_1_contact_without_outcome_refused_beside_field(cast: dict) -> None:
    order = handling(cast)

    response = login("east_staff").post(
        f"/orders/{order.pk}/record-contact/", {"method": "sms", "outcome": "好"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "【R2.1】请填写“联系结果”，且须有实际内容。" in page
    assert 'id="id_record_contact_outcome"' in page


def test_r2_1_contact_in_the_future_refused(cast: dict) -> None:
    order = handling(cast)

    response = login("east_staff").post(
        f"/orders/{order.pk}/record-contact/",
        {
            "method": "phone",
            "outcome": "电话说明情况",
            "contacted_at": "2099-01-01T08:00",
        },
    )

    assert response.status_code == 400
    assert "【R2.1】时间不能晚于当前时间。" in response.content.decode()


def test_r4_1_upload_evidence(cast: dict) -> None:
    order = handling(cast)
    upload = SimpleUploadedFile("现场.png", tiny_png(), content_type="image/png")

    response = login("east_staff").post(
        f"/orders/{order.pk}/attach-evidence/",
        {"file": upload, "description": "漏点照片"},
    )

    attachment = order.attachments.get()
    assert response.status_code == 302
    assert attachment.original_name == "现场.png"
    assert attachment.media_kind == "image" and attachment.description == "漏点照片"


def test_r4_1_upload_refuses_unknown_type(cast: dict) -> None:
    order = handling(cast)
    upload = SimpleUploadedFile("a.png", b"<script>alert(1)</script>")

    response = login("east_staff").post(
        f"/orders/{order.pk}/attach-evidence/", {"file": upload}
    )

    assert response.status_code == 400
    assert "【R4.1】无法识别文件类型" in response.content.decode()
    assert not order.attachments.exists()


def test_r4_1_upload_without_file_refused(cast: dict) -> None:
    order = handling(cast)

    response = login("east_staff").post(f"/orders/{order.pk}/attach-evidence/", {})

    assert response.status_code == 400
    assert "【R4.1】文件为空。" in response.content.decode()
