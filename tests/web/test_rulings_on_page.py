"""The quality group's ruling on a cannot-satisfy reply, on the order page
(R3.4)."""

from __future__ import annotations

from .steps import GOOD_REPLY, beside, cannot_satisfy, handling, login, section

RULING = {"oa_ref": "OA-2026-1187", "reason": "诉求有一定合理性，须继续协调加压方案。"}


def test_r3_4_quality_group_rules_on_page(cast: dict) -> None:
    order = cannot_satisfy(cast, handling(cast))
    ops_page = login("ops").get(f"/orders/{order.pk}/").content.decode()
    review = login("ops").get("/review/").content.decode()
    quality = login("committee")
    quality_page = quality.get(f"/orders/{order.pk}/").content.decode()

    response = quality.post(
        f"/orders/{order.pk}/rule-cannot-satisfy/", {"reasonable": "no", **RULING}
    )

    order.refresh_from_db()
    assert "/judge-reply/" not in ops_page
    assert "由服务质量提升小组评议（R3.4）" in review
    assert f"/orders/{order.pk}/judge-reply/" not in review
    assert "待服务质量提升小组评议（R3.4）" in ops_page
    assert 'name="oa_ref"' in section(quality_page, "rule_cannot_satisfy")
    assert response.status_code == 302
    assert order.state == "follow_up"
    page = quality.get(f"/orders/{order.pk}/").content.decode()
    assert "OA 编号：OA-2026-1187" in page
    assert "[OA-2026-1187] 诉求有一定合理性" in page


def test_r3_4_ruling_needs_oa_reference_beside_field(cast: dict) -> None:
    order = cannot_satisfy(cast, handling(cast))

    response = login("committee").post(
        f"/orders/{order.pk}/rule-cannot-satisfy/",
        {"reasonable": "yes", "reason": RULING["reason"]},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(
        page,
        "id_rule_cannot_satisfy_oa_ref",
        "【R3.4】请填写“OA 审议编号”，且须有实际内容。",
    )


def test_r3_4_only_the_quality_group_rules(cast: dict) -> None:
    order = cannot_satisfy(cast, handling(cast))

    review_page = login("review").get(f"/orders/{order.pk}/")
    refused = login("review").post(
        f"/orders/{order.pk}/rule-cannot-satisfy/", {"reasonable": "no", **RULING}
    )
    judged = login("ops").post(f"/orders/{order.pk}/judge-reply/", {"valid": "yes"})

    # A group sees only what waits for its own decision: to the review
    # group this order does not exist.
    assert review_page.status_code == 404
    assert refused.status_code == 404
    assert judged.status_code == 403
    assert "由服务质量提升小组评议" in judged.content.decode()


def test_r3_4_reasonable_ruling_asks_for_extension_first(cast: dict) -> None:
    order = cannot_satisfy(cast, handling(cast))
    login("committee").post(
        f"/orders/{order.pk}/rule-cannot-satisfy/", {"reasonable": "yes", **RULING}
    )
    unit = login("east_designee")

    page = unit.get(f"/orders/{order.pk}/").content.decode()
    refused = unit.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)
    unit.post(
        f"/orders/{order.pk}/request-extension/",
        {"days": "5", "reason": "按评议结果协调加压方案，需要更多时间。"},
    )
    after = unit.get(f"/orders/{order.pk}/").content.decode()

    assert "请先申请延期，再按评议结果办理（R3.4）" in page
    assert refused.status_code == 400
    assert "【R3.4】服务质量提升小组评议须继续办理，请先申请延期" in (
        refused.content.decode()
    )
    assert "请先申请延期，再按评议结果办理" not in after
