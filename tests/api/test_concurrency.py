"""Two people acting on one order at once: exactly one wins, the other is
told so, and the history holds the winner's event only (D7)."""

import threading

import pytest
from django.db import connection

from gongdan.orders.models import Event
from tests.api.test_api_orders import client_for
from tests.conftest import GOOD_REPLY


def race(calls):  # type: ignore[no-untyped-def]
    """Run (user, url, body) calls at the same moment; return statuses."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []

    def call(user, url, body):  # type: ignore[no-untyped-def]
        client = client_for(user)
        barrier.wait()
        try:
            statuses.append(client.post(url, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=c) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.fixture
def tflow(transactional_cast):  # type: ignore[no-untyped-def]
    from tests.conftest import make_flow

    return transactional_cast, make_flow(transactional_cast)


@pytest.mark.django_db(transaction=True)
def test_two_accepts_one_wins(tflow):
    cast, flow = tflow
    order = flow.register()
    from gongdan.orders import actions

    actions.do_dispatch(order, cast.agent, cast.east)
    url = f"/api/orders/{order.pk}/accept/"

    statuses = race([(cast.east_designee, url, {}), (cast.east_designee, url, {})])

    assert statuses == [200, 409]
    assert Event.objects.filter(order=order, action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_judgements_one_wins(tflow):
    cast, flow = tflow
    order = flow.submitted()
    url = f"/api/orders/{order.pk}/judge-reply/"

    statuses = race(
        [
            (cast.ops, url, {"valid": True}),
            (cast.ops, url, {"valid": False, "reason": "认可情况与实际不符"}),
        ]
    )

    assert statuses == [200, 409]
    assert Event.objects.filter(order=order, action="judge_reply").count() == 1
    assert order.replies.get().verdict in ("valid", "invalid")


@pytest.mark.django_db(transaction=True)
def test_submit_and_transfer_race(tflow):
    cast, flow = tflow
    order = flow.ready()

    statuses = race(
        [
            (
                cast.east_designee,
                f"/api/orders/{order.pk}/submit-reply/",
                {"kind": "resolved", "elements": GOOD_REPLY},
            ),
            (
                cast.east_head,
                f"/api/orders/{order.pk}/transfer/",
                {"unit": "WEST", "reason": "属西城区，转西城分公司"},
            ),
        ]
    )

    order.refresh_from_db()
    assert statuses[0] == 200 and statuses[1] in (403, 409)
    done = Event.objects.filter(order=order, action__in=("submit_reply", "transfer"))
    assert done.count() == 1
    assert (order.state == "submitted") == (done.get().action == "submit_reply")
