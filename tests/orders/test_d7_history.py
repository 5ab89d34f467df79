"""D7: every action is an event; events are never changed or deleted."""

import pytest

from gongdan.orders import actions
from gongdan.orders.models import Event
from gongdan.rules.errors import RuleViolations


def test_d7_each_action_appends_one_event_in_order(flow, cast):
    order = flow.follow_up()

    actions_done = list(order.events.values_list("seq", "action"))

    assert actions_done == [
        (1, "register"),
        (2, "dispatch"),
        (3, "accept"),
        (4, "record_contact"),
        (5, "record_site_visit"),
        (6, "submit_reply"),
        (7, "judge_reply"),
    ]
    assert order.events.get(action="accept").actor == cast.east_designee
    assert order.events.get(action="accept").unit == cast.east


def test_d7_event_cannot_be_edited_or_deleted(flow):
    event = flow.register().events.get()

    event.action = "forged"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()

    assert Event.objects.get(pk=event.pk).action == "register"


def test_d7_refused_action_leaves_no_trace(flow, cast):
    order = flow.ready()
    before = list(order.events.values_list("seq", "action"))

    with pytest.raises(RuleViolations):
        actions.do_submit_reply(
            order, cast.east_designee, kind="resolved", elements={"result": "已处理"}
        )

    assert list(order.events.values_list("seq", "action")) == before
    order.refresh_from_db()
    assert order.state == "handling"


def test_d7_database_refuses_update_and_delete_of_events(flow):
    """The trigger holds even for code that bypasses the model: UPDATE on
    both databases, DELETE on PostgreSQL (docs in migration 0005)."""
    from django.db import DatabaseError, connection, transaction

    event = flow.register().events.get()
    statements = ["UPDATE orders_event SET action = 'forged' WHERE id = %s"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM orders_event WHERE id = %s")

    for statement in statements:
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])

    assert Event.objects.get(pk=event.pk).action == "register"


def test_d7_queryset_update_and_delete_refused_too(flow):
    order = flow.register()

    with pytest.raises(ValueError):
        Event.objects.filter(order=order).update(action="forged")
    with pytest.raises(ValueError):
        Event.objects.filter(order=order).delete()
    with pytest.raises(ValueError):
        order.events.all().delete()

    assert order.events.get().action == "register"
