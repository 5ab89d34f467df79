"""Attachment downloads: only for those who may see the order (D7)."""

from __future__ import annotations

from gongdan.orders import actions

from .steps import handling, login, tiny_png


def attach(cast: dict):  # type: ignore[no-untyped-def]
    order = handling(cast)
    actions.do_attach_evidence(
        order, cast["east_staff"], name="漏点 照片.png", content=tiny_png()
    )
    return order.attachments.get()


def test_download_is_an_attachment_with_stored_type(cast: dict) -> None:
    attachment = attach(cast)

    response = login("east_designee").get(f"/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == tiny_png()


def test_download_refused_to_other_unit(cast: dict) -> None:
    attachment = attach(cast)

    assert (
        login("west_designee").get(f"/attachments/{attachment.pk}/").status_code == 404
    )
    assert login("ops").get(f"/attachments/{attachment.pk}/").status_code == 200
