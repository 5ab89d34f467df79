"""Whatever a caller or a unit typed is shown as text, never run."""

from __future__ import annotations

from .steps import contacted, handling, login, register

SCRIPT = '<script>alert("x")</script>'


def test_escapes_script_in_content(cast: dict) -> None:
    order = register(
        cast,
        content=f"水管漏了{SCRIPT}",
        caller_name="<b>林</b>",
        address="东城区<img src=x onerror=alert(1)>",
    )

    pages = [
        login("agent").get(f"/orders/{order.pk}/").content.decode(),
        login("agent").get("/orders/").content.decode(),
    ]

    for page in pages:
        assert SCRIPT not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_escapes_script_in_reply_and_history(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    client = login("east_designee")
    client.post(
        f"/orders/{order.pk}/record-site-visit/",
        {"findings": f"现场查看情况{SCRIPT}"},
    )
    client.post(
        f"/orders/{order.pk}/submit-reply/",
        {
            "kind": "resolved",
            "resolved-investigation": f"现场核实渗漏情况{SCRIPT}",
            "resolved-result": "更换接口并恢复路面通行",
            "resolved-acceptance": "来电人表示认可处理结果",
        },
    )

    pages = [
        client.get(f"/orders/{order.pk}/").content.decode(),
        login("ops").get("/review/").content.decode(),
    ]

    for page in pages:
        assert SCRIPT not in page
        assert "&lt;script&gt;" in page
