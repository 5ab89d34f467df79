"""Steps that bring an order of the cast to a given point, through the
actions, and small helpers of the page tests."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from gongdan.orders import actions, procedures
from gongdan.orders.models import Order, Request
from gongdan.org.models import Unit

PASSWORD = "pw-gongdan-1"


def login(username: str) -> Client:
    client = Client()
    # django-axes checks every login against the request it came with.
    client.login(request=HttpRequest(), username=username, password=PASSWORD)
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


# --- steps of the special procedures ---------------------------------------------


def attach(
    cast: dict[str, Any],
    order: Order,
    purpose: str = "evidence",
    name: str = "现场.png",
    **kwargs: Any,
) -> None:
    actions.do_attach_evidence(
        order,
        cast["east_designee"],
        name=name,
        content=tiny_png(),
        purpose=purpose,
        **kwargs,
    )


def day(offset: int) -> str:
    """The ISO date ``offset`` days from today, Beijing time."""
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def plan_proposed(cast: dict[str, Any], order: Order, *offsets: int) -> Request:
    """A plan whose steps end ``offsets`` days from today (R4.3)."""
    if not order.events.filter(action="record_contact").exists():
        contacted(cast, order)  # R2.1: the caller was contacted first
    procedures.do_request_plan(
        order,
        cast["east_designee"],
        measures="将该路段DN100老管更换为DN200，改造前高峰时段调高出厂压力。",
        steps=[
            {"title": f"第{n}段管道更换", "date": day(offset)}
            for n, offset in enumerate(offsets, start=1)
        ],
        acceptance="已电话告知来电人改造计划，来电人表示理解并同意按计划办理。",
    )
    return order.requests.get(kind="plan", state="pending")


def plan_approved(cast: dict[str, Any], order: Order, *offsets: int) -> Order:
    """A plan approved by the operations dept (and the review group when it
    runs over 3 months); the order then waits for its follow-up."""
    request = plan_proposed(cast, order, *offsets)
    procedures.do_decide_request(order, cast["ops"], request=request.pk, approve=True)
    request.refresh_from_db()
    if request.state == "pending":
        procedures.do_review_plan(
            order, cast["review"], request=request.pk, approve=True
        )
    order.refresh_from_db()
    return order


SHORT_TERM = {
    "investigation": "现场核实为主管老化，需整段更换。",
    "follow_up_plan": "列入下月管网改造计划，先行临时加固。",
    "acceptance": "来电人表示理解，同意等待改造。",
}


def promised(cast: dict[str, Any], order: Order, offset: int = 30) -> Order:
    """A short-term reply judged valid: its commitment is open (R3.3, R3.7)."""
    contacted(cast, order)
    actions.do_submit_reply(
        order,
        cast["east_designee"],
        kind="short_term",
        elements={**SHORT_TERM, "promised_date": day(offset)},
    )
    actions.do_judge_reply(order, cast["ops"], valid=True)
    order.refresh_from_db()
    return order


CANNOT_SATISFY = {
    "investigation": "来电人要求将小区水压提高到0.6兆帕以上。",
    "process": "到场测压为0.32兆帕，符合国家标准，已向来电人解释。",
    "acceptance": "来电人不认可，坚持要求加压。",
    "reasonableness": "诉求超出供水服务标准，不具合理性。",
    "cause": "管网设计压力有限，单户加压会影响周边用户。",
}


def cannot_satisfy(cast: dict[str, Any], order: Order) -> Order:
    """A cannot-satisfy reply waiting for the quality group (R3.4)."""
    contacted(cast, order)
    actions.do_submit_reply(
        order, cast["east_designee"], kind="cannot_satisfy", elements=CANNOT_SATISFY
    )
    order.refresh_from_db()
    return order


def beside(page: str, field_id: str, text: str, within: int = 700) -> bool:
    """Whether ``text`` is shown right after the input ``field_id``."""
    field = page.index(f'id="{field_id}"')
    return 0 < page.index(text, field) - field < within


def section(page: str, action: str) -> str:
    """The page's side-column section of ``action``."""
    start = page.index(f'<section class="card action" id="{action}">')
    return page[start : page.index("</section>", start)]
