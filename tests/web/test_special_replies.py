"""Complaints handled face to face, caller-caused delays and attachment
purposes on the order page (R4.5, R5.6, D4, D9)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .steps import (
    GOOD_REPLY,
    attach,
    beside,
    contacted,
    handling,
    login,
    section,
    submitted,
    tiny_png,
)

DELAY = "来电人出差在外，两次要求待其返回后再上门处理，通话已录音。"


def test_d7_attachment_purpose_chosen_on_page(cast: dict) -> None:
    order = handling(cast)
    upload = SimpleUploadedFile("录音截图.png", tiny_png(), content_type="image/png")
    client = login("east_staff")

    form = section(
        client.get(f"/orders/{order.pk}/").content.decode(), "attach_evidence"
    )
    response = client.post(
        f"/orders/{order.pk}/attach-evidence/", {"file": upload, "purpose": "proof"}
    )

    assert '<option value="statement">签字情况说明</option>' in form
    assert response.status_code == 302
    assert order.attachments.get().purpose == "proof"


def test_r5_6_complaint_without_meeting_refused(cast: dict) -> None:
    order = contacted(cast, handling(cast, kind="complaint"))

    response = login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", GOOD_REPLY
    )

    assert response.status_code == 400
    assert "【R5.6】投诉工单须当面处理" in section(
        response.content.decode(), "submit_reply"
    )


def test_d9_refused_meeting_with_proof_lets_complaint_submit(cast: dict) -> None:
    order = handling(cast, kind="complaint")
    client = login("east_designee")

    client.post(
        f"/orders/{order.pk}/record-contact/",
        {
            "method": "phone",
            "outcome": "来电人拒绝见面，只接受电话沟通，已录音。",
            "refused_meeting": "on",
        },
    )
    attach(cast, order, "proof", name="通话录音.png")
    response = client.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)

    assert order.events.get(action="record_contact").data["refused_meeting"] is True
    assert response.status_code == 302
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "来电人拒绝见面：是" in page


def test_r4_5_caller_delay_needs_reason_beside_field(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", {**GOOD_REPLY, "caller_delay": "on"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(
        page,
        "id_submit_reply_delay_reason",
        "【R4.5】因来电人原因未按时办结的，须详细描述原因。",
    )
    assert "【R4.5】须上传来电人要求暂不处理的证明（如电话录音）。" in page


def test_r4_5_delay_accepted_by_ops_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    attach(cast, order, "proof", name="通话录音.png")
    login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/",
        {**GOOD_REPLY, "caller_delay": "on", "delay_reason": DELAY},
    )
    ops = login("ops")

    form = section(ops.get(f"/orders/{order.pk}/").content.decode(), "judge_reply")
    review = ops.get("/review/").content.decode()
    ops.post(
        f"/orders/{order.pk}/judge-reply/",
        {"valid": "yes", "caller_delay_accepted": "on"},
    )

    order.refresh_from_db()
    assert order.replies.get().elements["delay_reason"] == DELAY
    assert "认定来电人原因延误" in form and "认定来电人原因延误" in review
    assert order.caller_delay_accepted
    page = ops.get(f"/orders/{order.pk}/").content.decode()
    assert "已认定，不计超期（R4.5、D4）" in page


def test_r4_5_no_delay_checkbox_without_claim(cast: dict) -> None:
    order = submitted(cast, handling(cast))

    form = section(
        login("ops").get(f"/orders/{order.pk}/").content.decode(), "judge_reply"
    )

    assert "认定来电人原因延误" not in form


def test_r4_5_delay_reason_dropped_without_claim(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", {**GOOD_REPLY, "delay_reason": DELAY}
    )

    reply = order.replies.get()
    assert "delay_reason" not in reply.elements and not reply.caller_delay
