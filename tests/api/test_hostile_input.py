"""Hostile and malformed input found by a breaker: each refused cleanly,
with nothing changed (R1.1, D1, D7)."""

import threading

import pytest
from django.db import connection

from gongdan.orders.models import Event, Order
from tests.api.test_api_orders import ORDER, client_for


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T12:00:00+08:00",
        "1900-01-01T00:00:00+08:00",
        "2099-06-01T00:00:00+08:00",
    ],
)
def test_d1_receipt_times_out_of_range_refused(cast, received_at):
    answer = client_for(cast.agent).post(
        "/api/orders/", {**ORDER, "received_at": received_at}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["field"] == "received_at"
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "due_within_hours=99999999999",
        "due_within_hours=1e20",
        "limit=100000000000000000000",
        "offset=100000000000000000000",
        "received_after=0001-01-01T00:00:00",
        "received_before=9999-12-31T23:59:59%2B08:00",
    ],
)
def test_api_list_parameters_never_500(flow, cast, query):
    flow.handling()

    answer = client_for(cast.agent).get(f"/api/orders/?{query}")

    assert answer.status_code in (200, 400)
    if answer.status_code == 400:
        assert set(answer.json()) >= {"rule", "code", "field", "message"}


def test_r3_6_reply_keys_outside_the_kind_are_not_stored(flow, cast):
    from tests.conftest import GOOD_REPLY

    order = flow.ready()
    elements = {**GOOD_REPLY, "<script>x</script>": "y", "a\u0000b": "z"}

    answer = client_for(cast.east_designee).post(
        f"/api/orders/{order.pk}/submit-reply/",
        {"kind": "resolved", "elements": elements},
        format="json",
    )

    assert answer.status_code == 200, answer.json()
    assert set(order.replies.get().elements) == set(GOOD_REPLY)


def test_r1_1_nul_and_invisible_characters_do_not_fill_a_field(cast):
    answer = client_for(cast.agent).post(
        "/api/orders/", {**ORDER, "content": "\u200b\u200b\x00 "}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["field"] == "content"


def test_r1_1_reserved_external_number_refused(cast):
    answer = client_for(cast.agent).post(
        "/api/orders/", {**ORDER, "external_no": "GD00000001"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "external_no_reserved"


def test_api_unknown_path_answers_json_404(cast):
    answer = client_for(cast.agent).get("/api/nothing-here/")

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_api_report_closed_to_unit_staff(cast):
    assert (
        client_for(cast.east_staff).get("/api/report/?quarter=2026Q3").status_code
        == 403
    )
    assert client_for(cast.ops).get("/api/report/?quarter=2026Q3").status_code == 200


def test_r5_3_no_transfer_while_a_request_waits(flow, cast):
    from gongdan.orders import procedures

    order = flow.handling()
    procedures.do_request_extension(
        order,
        cast.east_designee,
        days=2,
        reason="等待材料",
        at=order.received_at.replace(hour=11),
    )

    answer = client_for(cast.east_designee).post(
        f"/api/orders/{order.pk}/transfer/",
        {"unit": "WEST", "reason": "属西城区"},
        format="json",
    )

    assert answer.status_code == 409
    assert answer.json()["code"] == "request_pending"
    order.refresh_from_db()
    assert order.unit == cast.east


@pytest.mark.django_db(transaction=True)
def test_r1_1_two_agents_merging_a_pair_each_way(transactional_cast):
    """Exactly one merge wins; the orders never point at each other."""
    cast = transactional_cast
    from gongdan.orders import actions
    from tests.conftest import order_data

    a = actions.do_register(cast.agent, order_data(external_no="A-1"))
    b = actions.do_register(cast.agent, order_data(external_no="B-1"))
    barrier = threading.Barrier(2)
    codes = []

    def merge(order, original, user):  # type: ignore[no-untyped-def]
        client = client_for(user)
        barrier.wait()
        answer = client.post(
            f"/api/orders/{order.pk}/mark-duplicate/",
            {"original": original.pk},
            format="json",
        )
        codes.append(answer.status_code)
        connection.close()

    threads = [
        threading.Thread(target=merge, args=(a, b, cast.agent)),
        threading.Thread(target=merge, args=(b, a, cast.follower)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    a.refresh_from_db()
    b.refresh_from_db()
    assert sorted(codes) in ([200, 400], [200, 409])
    assert not (a.duplicate_of_id and b.duplicate_of_id)
    assert Event.objects.filter(action="mark_duplicate").count() == 1
