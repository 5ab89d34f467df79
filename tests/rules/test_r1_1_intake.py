"""R1.1: an order records content, category, address, caller and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gongdan.rules.errors import RuleViolation
from gongdan.rules.intake import (
    check_intake,
    clean_text,
    mask_name,
    mask_phone,
    normalize_phone,
)

NOW = datetime(2026, 7, 2, 21, 20, tzinfo=UTC)


def good_order() -> dict[str, object]:
    return {
        "source": "water_hotline",
        "kind": "help",
        "content": "南湖名都20栋1单元整栋楼停水大半天了。",
        "category": "二次供水",
        "urgency": "urgent",
        "address": "南湖区湖滨路76号南湖名都20栋1单元",
        "district": "南湖区",
        "caller_name": "林女士",
        "caller_phone": "19036315130",
        "received_at": NOW - timedelta(minutes=7),
        "now": NOW,
    }


@pytest.mark.parametrize(
    "raw", ["12299848233", "", "1572149974", "0571-887023", "134804471443", None]
)
def test_r1_1_malformed_phones_refused(raw: str | None) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalize_phone(raw)

    assert caught.value.rule == "R1.1"
    assert caught.value.field == "caller_phone"
    assert caught.value.code in ("caller_phone_malformed", "caller_phone_missing")


def test_r1_1_empty_phone_is_missing() -> None:
    with pytest.raises(RuleViolation) as caught:
        normalize_phone(" \u3000 ")

    assert caught.value.code == "caller_phone_missing"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0571-88702300", "0571-88702300"),
        ("057188702300", "0571-88702300"),
        ("010-62345678", "010-62345678"),
        ("0571-88702300转123", "0571-88702300-123"),
        ("0571-88702300-123", "0571-88702300-123"),
        ("13771745538", "13771745538"),
        ("15409158059", "15409158059"),
        ("+86 137 7174 5538", "13771745538"),
        ("8613771745538", "13771745538"),
        ("１３７７１７４５５３８", "13771745538"),
        (" 137-7174-5538\t", "13771745538"),
    ],
)
def test_r1_1_phones_accepted_and_normalised(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_r1_1_clean_text_keeps_the_inside() -> None:
    text = "\u3000\t 水管漏水💧，請盡快處理\n第二行 \n\u3000"

    assert clean_text(text) == "水管漏水💧，請盡快處理\n第二行"
    assert clean_text(None) == ""


def test_r1_1_masks_for_logs() -> None:
    assert mask_phone("13771745538") == "137****5538"
    assert mask_phone("0571-88702300") == "0571-******00"
    assert mask_phone("12299848233") == "***"
    assert mask_name("林女士") == "林**"
    assert mask_name("谢子勇") == "谢**"
    assert mask_name("林") == "*"
    assert mask_name("") == ""


def test_r1_1_good_order_passes() -> None:
    assert check_intake(good_order()) == []


def test_r1_1_missing_fields_reported_at_once() -> None:
    order = good_order()
    order.update(content="  ", category="", address=None)

    problems = check_intake(order)

    assert [(p.rule, p.code, p.field) for p in problems] == [
        ("R1.1", "content_missing", "content"),
        ("R1.1", "category_missing", "category"),
        ("R1.1", "address_missing", "address"),
    ]
    assert all(p.message for p in problems)


def test_r1_2_undetermined_category_may_be_empty() -> None:
    order = good_order()
    order.update(category="", category_undetermined=True)

    assert check_intake(order) == []


def test_r1_1_unknown_source_and_kind_invalid() -> None:
    order = good_order()
    order.update(source="wechat", kind="chat")

    codes = [p.code for p in check_intake(order)]

    assert codes == ["source_invalid", "kind_invalid"]


def test_r1_1_bad_phone_and_time_reported() -> None:
    order = good_order()
    order.update(caller_phone="1572149974", received_at=NOW + timedelta(minutes=6))

    codes = [(p.code, p.field) for p in check_intake(order)]

    assert codes == [
        ("caller_phone_malformed", "caller_phone"),
        ("received_at_future", "received_at"),
    ]


def test_r1_1_received_at_must_be_aware() -> None:
    order = good_order()
    order.update(received_at=datetime(2026, 7, 2, 21, 13))

    assert [p.code for p in check_intake(order)] == ["received_at_invalid"]


def test_r1_1_received_at_within_clock_skew_accepted() -> None:
    order = good_order()
    order.update(received_at=NOW + timedelta(minutes=5))

    assert check_intake(order) == []


def test_r1_1_content_too_long_refused() -> None:
    order = good_order()
    order.update(content="水" * 20001)

    assert [p.code for p in check_intake(order)] == ["content_too_long"]

    order.update(content="水" * 20000)
    assert check_intake(order) == []


def test_r1_1_sample_orders_phones(orders: list[dict[str, str]]) -> None:
    """Every sample row flagged malformed_phone is refused, the rest pass."""
    for row in orders:
        malformed = "malformed_phone" in row["notes"]
        try:
            normalize_phone(row["caller_phone"])
        except RuleViolation:
            assert malformed, row["external_no"]
        else:
            assert not malformed, row["external_no"]
