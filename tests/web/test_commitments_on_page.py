"""Commitments made in short-term replies, kept by the unit and confirmed by
the operations dept, on the order page (R3.3, R3.7)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongdan.orders.models import Commitment

from .steps import handling, login, promised, section, tiny_png

NOTE = "管道已于本周整段更换，来电人确认水压恢复。"


def test_r3_7_commitment_kept_on_page(cast: dict) -> None:
    order = promised(cast, handling(cast))
    commitment = order.commitments.get()
    unit = login("east_designee")

    before = unit.get(f"/orders/{order.pk}/").content.decode()
    without_proof = unit.post(
        f"/orders/{order.pk}/keep-commitment/", {"item": commitment.pk, "note": NOTE}
    )
    proof = SimpleUploadedFile("完工照片.png", tiny_png(), content_type="image/png")
    unit.post(
        f"/orders/{order.pk}/attach-evidence/", {"file": proof, "purpose": "proof"}
    )
    kept = unit.post(
        f"/orders/{order.pk}/keep-commitment/", {"item": commitment.pk, "note": NOTE}
    )
    ops = login("ops")
    ops_form = section(
        ops.get(f"/orders/{order.pk}/").content.decode(), "confirm_commitment"
    )
    confirmed = ops.post(
        f"/orders/{order.pk}/confirm-commitment/",
        {"item": commitment.pk, "confirm": "yes"},
    )

    commitment.refresh_from_db()
    assert "列入下月管网改造计划" in before and "未兑现" in before
    assert without_proof.status_code == 400
    assert "【R3.7】请先上传兑现承诺的证明材料。" in section(
        without_proof.content.decode(), "keep_commitment"
    )
    assert kept.status_code == 302
    assert NOTE[:20] in ops_form
    assert confirmed.status_code == 302
    assert commitment.state == "kept"
    page = ops.get(f"/orders/{order.pk}/").content.decode()
    assert '<span class="ok">按期兑现</span>' in page


def test_r3_7_broken_commitment_shown(cast: dict) -> None:
    order = promised(cast, handling(cast))
    Commitment.objects.filter(order=order).update(
        due_at=timezone.now() - timedelta(days=1)
    )

    page = login("agent").get(f"/orders/{order.pk}/").content.decode()

    assert '<span class="bad">已逾期未兑现</span>' in page


def test_r3_7_ops_sends_claim_back_with_reason(cast: dict) -> None:
    order = promised(cast, handling(cast))
    commitment = order.commitments.get()
    unit = login("east_designee")
    proof = SimpleUploadedFile("完工照片.png", tiny_png(), content_type="image/png")
    unit.post(
        f"/orders/{order.pk}/attach-evidence/", {"file": proof, "purpose": "proof"}
    )
    unit.post(
        f"/orders/{order.pk}/keep-commitment/", {"item": commitment.pk, "note": NOTE}
    )
    ops = login("ops")

    refused = ops.post(
        f"/orders/{order.pk}/confirm-commitment/",
        {"item": commitment.pk, "confirm": "no"},
    )
    sent_back = ops.post(
        f"/orders/{order.pk}/confirm-commitment/",
        {"item": commitment.pk, "confirm": "no", "reason": "照片看不出完工情况。"},
    )

    commitment.refresh_from_db()
    assert refused.status_code == 400
    assert "【D6】驳回时须写明理由。" in refused.content.decode()
    assert sent_back.status_code == 302 and commitment.state == "open"
