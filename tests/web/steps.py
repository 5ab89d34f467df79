"""Steps that bring an order of the cast to a given point, through the
actions, and small helpers of the page tests."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from gongdan.orders import actions
from gongdan.orders.models import Order
from gongdan.org.models import Unit

PASSWORD = "pw-gongdan-1"


def login(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def intake(**overrides: Any) -> dict[str, Any]:
    """A complete, valid order of the water hotline in 东城区."""
    data = {
        "source": "water_hotline",
        "kind": "help",
        "category": "漏水",
        "content": "小区门口路面冒水，已经流了一上午。",
        "address": "东城区东门大街33号",
        "district": "东城区",
        "caller_name": "林女士",
        "caller_phone": "13912345678",
        "received_at": timezone.now() - timedelta(hours=1),
    }
    data.update(overrides)
    return data


def register(cast: dict[str, Any], **overrides: Any) -> Order:
    return actions.do_register(cast["agent"], intake(**overrides))


def handling(cast: dict[str, Any], **overrides: Any) -> Order:
    """An order dispatched to EAST and accepted by its designee."""
    order = register(cast, **overrides)
    actions.do_dispatch(order, cast["agent"], Unit.objects.get(code="EAST"))
    actions.do_accept(order, cast["east_designee"])
    order.refresh_from_db()
    return order


def contacted(cast: dict[str, Any], order: Order) -> Order:
    actions.do_record_contact(
        order, cast["east_designee"], method="phone", outcome="电话联系来电人说明安排"
    )
    return order


def visited(cast: dict[str, Any], order: Order) -> Order:
    actions.do_record_site_visit(
        order, cast["east_designee"], findings="到场查看，路面下DN100管道渗漏"
    )
    return order


GOOD_REPLY = {
    "kind": "resolved",
    "resolved-investigation": "现场核实为小区门口DN100供水管接口渗漏。",
    "resolved-result": "当日更换接口并恢复路面，已不再冒水。",
    "resolved-acceptance": "来电人表示认可，对处理结果满意。",
}


def submitted(cast: dict[str, Any], order: Order) -> Order:
    contacted(cast, order)
    actions.do_submit_reply(
        order,
        cast["east_designee"],
        kind="resolved",
        elements={
            key.split("-", 1)[1]: value
            for key, value in GOOD_REPLY.items()
            if key != "kind"
        },
    )
    order.refresh_from_db()
    return order


def followed_up(cast: dict[str, Any], order: Order) -> Order:
    submitted(cast, order)
    actions.do_judge_reply(order, cast["ops"], valid=True)
    order.refresh_from_db()
    return order


def tiny_png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x10\x80\x40"))
        + chunk(b"IEND", b"")
    )
